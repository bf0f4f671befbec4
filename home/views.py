import logging

from django.http import HttpResponseServerError
from django.template import loader

from home.models import PracticeSettings

logger = logging.getLogger(__name__)

# What the error page shows when nothing can be read: valid HTML, no number, no stylesheet.
BARE_SERVER_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Something went wrong</title></head>
<body><main>
<h1>Something went wrong</h1>
<p>Sorry, the page could not be shown. Please try again in a few minutes.</p>
<p>In a medical emergency, call 911.</p>
</main></body>
</html>
"""

# The practice's number as this process last read it, (shown, tel: link): the error page's fallback
# when the settings cannot be read (the database or the cache may be what failed).
_last_known_phone = ("", "")


def practice_phone(request):
    """The practice's main number as (shown, tel: link), remembered for when it cannot be read."""
    global _last_known_phone
    try:
        practice = PracticeSettings.load(request_or_site=request)
        phone = (practice.main_phone, practice.main_phone_e164)
    except Exception:
        logger.warning("Error page: practice settings unreadable, showing the last known number", exc_info=True)
        return _last_known_phone
    if phone[0]:
        _last_known_phone = phone
    return phone


def server_error(request):
    """handler500: the error page with the practice's number, so that patients can still call.

    Whatever broke the page may break this too (the database, the cache, a template), so every
    step falls back: to the last number this process read, then to a page without one.
    """
    try:
        phone, phone_e164 = practice_phone(request)
        html = loader.get_template("500.html").render({"phone": phone, "phone_e164": phone_e164})
    except Exception:
        logger.exception("Error page: the 500 template could not be rendered")
        html = BARE_SERVER_ERROR_PAGE
    response = HttpResponseServerError(html)
    response["Cache-Control"] = "no-store"
    return response
