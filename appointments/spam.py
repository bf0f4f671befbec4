"""Keeping bots and floods away from the appointment form without making patients prove anything.

Three checks, cheapest first: the size and type of the post, a rate limit per client address, and
(inside the form) a honeypot field plus a signed "form started" time that must be a few seconds old.
"""

import logging
import math
import time

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.utils.translation import gettext

from home.models import PracticeSettings
from ops import security

logger = logging.getLogger(__name__)

# A person needs several seconds to read the form and make four or five choices; a bot posts at once.
MIN_FILL_SECONDS = 3
# A form left open longer than this is sent back once with a fresh start time rather than accepted:
# it keeps one harvested token from being replayed for ever.
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# The default form posts well under 2 KB; editors may add a few fields, nothing needs more than this.
MAX_POST_BYTES = 32 * 1024

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_FORM_STARTED_SALT = "appointments.form-started"


def issue_form_token(now=None):
    """A signed record of when the visitor was given the form."""
    return signing.dumps(round(time.time() if now is None else now, 1), salt=_FORM_STARTED_SALT)


def form_token_age(token):
    """Seconds since the token was issued, or None if it is missing, forged or too old."""
    try:
        started = float(signing.loads(token, salt=_FORM_STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    age = time.time() - started
    if age > MAX_FORM_AGE_SECONDS or not math.isfinite(age):
        return None
    return age


def seconds_until_allowed(request):
    """0 when the client may post the form now, else how long it must wait (FORM_RATE_LIMIT)."""
    return security.seconds_until_allowed(
        "appointments:posts", security.client_ip(request) or "", settings.FORM_RATE_LIMIT, "FORM_RATE_LIMIT"
    )


def refuse_post(request):
    """A 4xx response for a post the form should never read, or None to go on.

    Django itself answers 400 for bodies it cannot parse or that exceed DATA_UPLOAD_MAX_*.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _plain(400, gettext("The request could not be read."))
    if length > MAX_POST_BYTES:
        return _plain(413, gettext("The request is too large. Please send the form again without pasted text."))
    if request.content_type not in FORM_CONTENT_TYPES:
        return _plain(400, gettext("The request could not be read. Please send the form from the contact page."))
    wait = seconds_until_allowed(request)
    if wait:
        phone = PracticeSettings.load(request_or_site=request).main_phone
        response = _plain(
            429,
            gettext(
                "Too many requests have been sent from your network in a short time. "
                "Please wait a minute and try again, or call us on %(phone)s."
            )
            % {"phone": phone},
        )
        response["Retry-After"] = str(wait)
        return response
    return None


def _plain(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
