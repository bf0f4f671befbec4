"""IndexNow: tell search engines (Bing, Yandex, Seznam, Naver…) at once when a page is published or
unpublished, instead of waiting for their next crawl.

Off unless INDEXNOW_KEY is set (8 to 128 letters, digits or dashes). The key is served at
/<key>.txt, which proves to the search engines that the notifications come from the site's owner.
Notifications are sent after the publish has committed, from a background thread with a short
timeout: a slow or failing IndexNow endpoint never holds up or breaks a publish.
"""

import json
import logging
import re
import threading
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.signals import page_published, page_unpublished

logger = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9-]{8,128}$")
DEFAULT_ENDPOINT = "https://api.indexnow.org/indexnow"
TIMEOUT_SECONDS = 10


def configured_key():
    key = getattr(settings, "INDEXNOW_KEY", "") or ""
    return key if KEY_PATTERN.match(key) else ""


@require_safe
@cache_control(public=True, max_age=86400)
def key_file(request, key):
    """/<key>.txt: the key, for search engines to check; 404 for any other name."""
    if not configured_key() or key != configured_key():
        raise Http404
    return HttpResponse(key, content_type="text/plain; charset=utf-8")


def notification(urls):
    """The IndexNow request body for these absolute URLs (all on one host)."""
    host = urlsplit(urls[0]).netloc
    origin = f"{urlsplit(urls[0]).scheme}://{host}"
    key = configured_key()
    return {"host": host, "key": key, "keyLocation": f"{origin}/{key}.txt", "urlList": urls}


def send(body):
    """POST the notification; log, never raise."""
    endpoint = getattr(settings, "INDEXNOW_ENDPOINT", "") or DEFAULT_ENDPOINT
    request = urllib.request.Request(  # noqa: S310 - an https endpoint from settings
        endpoint,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            logger.info("IndexNow told of %d address(es): HTTP %s", len(body["urlList"]), response.status)
    except Exception as error:
        logger.warning("IndexNow notification failed: %s", error)


def on_page_changed(sender, instance, **kwargs):
    if not configured_key():
        return
    page = instance.specific
    url = page.get_full_url()
    # Only public addresses on the site's own origin: private pages are nobody's business.
    if not url or page.get_view_restrictions().exists():
        return
    body = notification([url])
    transaction.on_commit(lambda: threading.Thread(target=send, args=(body,), daemon=True).start())


def connect():
    page_published.connect(on_page_changed, dispatch_uid="seo.indexnow.published")
    page_unpublished.connect(on_page_changed, dispatch_uid="seo.indexnow.unpublished")
