"""Keeping bots and floods away from the appointment form without making patients prove anything.

Three checks, cheapest first: the size and type of the post, a rate limit per client address, and
(inside the form) a honeypot field plus a signed "form started" time that must be a few seconds old.
"""

import hashlib
import logging
import math
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from home.models import PracticeSettings

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
_RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


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


def parse_rate(rate):
    """'5/m' → (5, 60). An empty rate means no limit and gives None."""
    rate = (rate or "").strip().lower()
    if not rate:
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([smhd])", rate)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"FORM_RATE_LIMIT must look like '5/m' (posts per s, m, h or d), not {rate!r}.")
    return int(match[1]), int(match[2] or 1) * _RATE_UNITS[match[3]]


def client_address(request):
    """The visitor's address, read through as many reverse proxies as the deployment says it has.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the
    client is the entry that many places from the right; anything further left can be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def seconds_until_allowed(request):
    """0 when the client may post now, else how long it must wait.

    A fixed window counted in the cache: cheap, shared between workers when the cache is shared,
    and at worst lets through twice the limit across a window boundary.
    """
    limit = parse_rate(settings.FORM_RATE_LIMIT)
    if limit is None:
        return 0
    allowed, window = limit
    now = time.time()
    bucket = int(now // window)
    # Hashed so that the cache never holds visitors' addresses.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"appointments:posts:{address}:{window}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # The entry expired between add() and incr().
            cache.set(key, 1, timeout=window + 1)
            count = 1
    except Exception as error:
        # An unreachable cache (Redis down) must not cost a patient their request: let the post through.
        logger.warning("Appointment form: rate limit not applied, the cache failed (%s).", type(error).__name__)
        return 0
    if count <= allowed:
        return 0
    return max(1, math.ceil((bucket + 1) * window - now))


def refuse_post(request):
    """A 4xx response for a post the form should never read, or None to go on.

    Django itself answers 400 for bodies it cannot parse or that exceed DATA_UPLOAD_MAX_*.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _plain(400, "The request could not be read.")
    if length > MAX_POST_BYTES:
        return _plain(413, "The request is too large. Please send the form again without pasted text.")
    if request.content_type not in FORM_CONTENT_TYPES:
        return _plain(400, "The request could not be read. Please send the form from the contact page.")
    wait = seconds_until_allowed(request)
    if wait:
        phone = PracticeSettings.load(request_or_site=request).main_phone
        response = _plain(
            429,
            "Too many requests have been sent from your network in a short time. "
            f"Please wait a minute and try again, or call us on {phone}.",
        )
        response["Retry-After"] = str(wait)
        return response
    return None


def _plain(status, message):
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
