"""Refuse request bodies the site cannot need, before anything reads them.

Django reads a body when something first asks for request.POST (the CSRF check does, for every
post), writing file parts to disk as it goes; the form's own size check came too late to stop a
500 MB post being spooled to /tmp. This middleware sits first, judges the body by its
Content-Length, and answers 413 without reading a byte of it:

- Visitors' posts (the appointment form, a private page's password, the admin's sign-in and
  password-reset forms) are small: at most PUBLIC_MAX_BODY bytes and PUBLIC_MAX_FIELDS fields.
- Signed-in editors may send uploads up to the image and document limits (plus room for the rest
  of the form) to the admin.

Posts must be UTF-8, as every form on the site is: a body in another charset (utf-7, say) would be
decoded into something the forms never expected, so it is refused with a 400.
"""

import re
from importlib import import_module

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.html import format_html

ADMIN_PREFIX = "/admin/"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ACCEPTED_CHARSETS = {"utf-8", "utf8"}
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


def public_max_body():
    return getattr(settings, "PUBLIC_MAX_BODY", 32 * 1024)


def public_max_fields():
    return getattr(settings, "PUBLIC_MAX_FIELDS", 100)


def editor_max_body():
    largest_upload = max(
        getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024),
        getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", 10 * 1024 * 1024) or 0,
    )
    # The rest of the form (a long page's StreamField, say) rides along with the file.
    return largest_upload + getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)


def _stylesheet():
    try:
        return static("css/site.css")
    except ValueError:  # not collected yet: the page still reads without it
        return ""


def _refusal(status, title, message):
    html = format_html(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>{}</title><link rel="stylesheet" href="{}"></head>\n'
        '<body><main><h1>{}</h1><p>{}</p><p><a href="/">Go to the home page</a></p></main></body>\n</html>\n',
        title,
        _stylesheet(),
        title,
        message,
    )
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    # The body was never read: the connection cannot be reused for another request.
    response["Connection"] = "close"
    return response


def too_large():
    return _refusal(
        413,
        "Request too large",
        "What was sent is larger than any form on this site needs. Please go back and send the form "
        "again without pasted text or attachments.",
    )


def unreadable(message="The request could not be read. Please go back and send the form again."):
    return _refusal(400, "Request not understood", message)


def _signed_in(request):
    """Whether the request carries a signed-in session (one read of the session store)."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    try:
        return bool(store.get("_auth_user_id"))
    except Exception:
        return False


def _field_count(request, content_type):
    body = request.body  # small: the length was checked first
    if content_type == "application/x-www-form-urlencoded":
        return body.count(b"&") + 1 if body else 0
    match = _BOUNDARY.search(request.META.get("CONTENT_TYPE", ""))
    if not match:
        return 0
    return body.count(b"--" + match.group(1).encode("latin-1"))


def refuse_body(request):
    """A 4xx response for a body the site will not read, or None."""
    raw_length = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(raw_length)
    except ValueError:
        return unreadable()
    if length < 0:
        return unreadable()
    if request.method not in BODY_METHODS and length == 0:
        return None
    charset = request.content_params.get("charset")
    if charset is not None and charset.strip().lower() not in ACCEPTED_CHARSETS:
        return unreadable("Forms on this site are sent as UTF-8; this request used another character set.")
    if length <= public_max_body():
        if (
            request.content_type in FORM_CONTENT_TYPES
            and _field_count(request, request.content_type) > public_max_fields()
            and not _from_an_editor(request)
        ):
            return too_large()
        return None
    if length <= editor_max_body() and _from_an_editor(request):
        # Django's own DATA_UPLOAD_MAX_NUMBER_FIELDS and upload limits apply from here on.
        return None
    return too_large()


def _from_an_editor(request):
    return request.path_info.startswith(ADMIN_PREFIX) and _signed_in(request)


class RequestLimitsMiddleware:
    """Answer oversized, over-fielded or non-UTF-8 bodies with a 4xx before anything reads them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return refuse_body(request) or self.get_response(request)
