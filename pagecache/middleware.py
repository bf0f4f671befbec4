"""A full-page cache for anonymous visitors, built on Django's cache framework.

Bursts of visitors read the same few pages; rendering each one costs a handful of queries and a
template render, while serving a stored copy costs one cache round trip. The middleware sits first
in the stack (after the health checks), so a hit returns before sessions, authentication or any
other middleware could touch the database.

What is cached: GET and HEAD requests for published Wagtail pages, from visitors without a session
cookie, whose response is a plain 200 HTML page that set no cookie, did not use the CSRF token, did
not use a CSP nonce and was not marked private by the view. Everything else passes through:
editors (they have a session), previews (admin URLs), search results (their own view), forms.

Invalidation: every stored page carries two tokens it was rendered under. The site-wide
*generation* is replaced when something every page shows changes (a setting, a snippet, an image,
a site, a privacy restriction, the menu, a page's address), retiring every stored page at once. Each
address also has a *version*, replaced when a page published or unpublished there, or one that
page shows, changes: publishing a condition retires that page, its parent's listing, the pages
below it, the pages that link to it and the clinics that list it, and nothing else (the page types
say what they affect: BasePage.pages_showing_this(), pagecache/signals.py does the retiring). Random
tokens, rather than counters, cannot repeat after an eviction, and a missing token is replaced by a
new one, so an evicted token never brings an old copy back.
Keys also carry the release (see release()), so a deployment never serves pages the previous code
rendered.
"""

import hashlib
import logging
import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from pagecache.store import (
    CONTENT_GENERATION_KEY,
    GENERATION_KEY,
    current_token,
    new_generation,
    no_missed_change,
    page_cache,
    path_version_key,
    release,
    remember_generation,
    seconds_until_expiry,
)

logger = logging.getLogger(__name__)

# Campaign and click identifiers change nothing on the page; ignoring them keeps links from
# newsletters and ads on the cached copy. Any other query string bypasses the cache.
IGNORED_QUERY_PARAMETERS = {"gclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga"}
IGNORED_QUERY_PREFIXES = ("utm_",)

# Response headers that belong to one response, not to the page.
UNSTORED_HEADERS = {"set-cookie", "date", "x-page-cache"}

CACHE_STATUS_HEADER = "X-Page-Cache"


def _tracking_free_query(query_string):
    """The query string without tracking parameters, or None when something else is left."""
    if not query_string:
        return ""
    for name, _value in parse_qsl(query_string, keep_blank_values=True):
        if name not in IGNORED_QUERY_PARAMETERS and not name.startswith(IGNORED_QUERY_PREFIXES):
            return None
    return ""


def _excluded_prefixes():
    configured = getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())
    return (settings.STATIC_URL, settings.MEDIA_URL, "/admin/", "/documents/", *configured)


def _page_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.path}"
    return f"pagecache:page:{release()}:" + hashlib.sha256(url.encode()).hexdigest()


def _is_candidate(request):
    # In development templates change without anything being published.
    if settings.DEBUG or not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    # Signed-in editors carry a session; their pages show the user bar and must stay fresh.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if request.path.startswith(_excluded_prefixes()):
        return False
    return _tracking_free_query(request.META.get("QUERY_STRING", "")) is not None


def _is_wagtail_page(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "wagtail_serve"


def _cache_control_forbids_storing(response):
    value = response.get("Cache-Control", "").lower()
    return any(word in value for word in ("private", "no-cache", "no-store"))


def _response_is_storable(request, response):
    return (
        _is_wagtail_page(request)
        and not getattr(request, "is_preview", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The CSRF token was put in the page (a form); a copy would hand every visitor the same token.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        # A nonce is valid for one response only.
        and "nonce-" not in response.get("Content-Security-Policy", "")
        and response.get("Content-Type", "").startswith("text/html")
        and not _cache_control_forbids_storing(response)
    )


def _add_public_cache_control(response, limit=None):
    """Public caching headers; `limit` caps the lifetimes for a page that changes with the clock."""
    browser = getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 60)
    cdn = getattr(settings, "PAGE_CACHE_CDN_SECONDS", 300)
    if limit is not None:
        browser, cdn = min(browser, limit), min(cdn, limit)
    patch_cache_control(response, public=True, max_age=browser, s_maxage=cdn)


class PageCacheMiddleware:
    """Serve anonymous page views from the cache; store the ones that are safe to share."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_candidate(request):
            response = self.get_response(request)
            self._mark_uncacheable(response)
            return response

        if not no_missed_change():
            # A change may be missing from the stored pages: render afresh until it is made good.
            response = self.get_response(request)
            self._mark_uncacheable(response)
            return response

        cache = page_cache()
        key = _page_key(request)
        version_key = path_version_key(request.path)
        try:
            found = cache.get_many([GENERATION_KEY, CONTENT_GENERATION_KEY, version_key, key])
            tokens = {
                "generation": found.get(GENERATION_KEY) or current_token(cache, GENERATION_KEY),
                # An address gets a version only once a page is stored for it (see _store), so
                # requests for addresses that lead nowhere write nothing.
                "path_version": found.get(version_key),
            }
            remember_generation(found.get(CONTENT_GENERATION_KEY) or current_token(cache, CONTENT_GENERATION_KEY))
        except Exception:
            logger.exception("Page cache unreachable; rendering without it")
            response = self.get_response(request)
            self._mark_uncacheable(response)
            return response

        entry = found.get(key)
        if (
            entry is not None
            and tokens["path_version"] is not None
            and all(entry.get(name) == token for name, token in tokens.items())
        ):
            response = self._rebuild(entry, request)
            return get_conditional_response(request, etag=response.get("ETag"), response=response)

        # The tokens are read before rendering: if a publish lands while this page renders, the copy
        # is stored under the old tokens and is never served.
        response = self.get_response(request)
        limit = seconds_until_expiry(request)
        if _response_is_storable(request, response) and limit != 0:
            _add_public_cache_control(response, limit)
            # Browsers and CDNs revalidate after max-age; an unchanged page then costs a 304.
            set_response_etag(response)
            if not self._store(cache, key, version_key, tokens, response, request.method == "GET", limit):
                # A change landed while the page rendered: this copy may show the old content, and
                # the CDN's purge may already have happened, so no one may keep it.
                response["Cache-Control"] = "private, no-store"
            response[CACHE_STATUS_HEADER] = "miss"
        else:
            self._mark_uncacheable(response)
        return response

    def _store(self, cache, key, version_key, tokens, response, keep=True, limit=None):
        """Store the page under the tokens read before it rendered; False if they have changed since.

        With `keep` false (a HEAD request) only the check is made; `limit` caps how long (seconds)
        a page that changes with the clock is kept.
        """
        if tokens["generation"] is None:
            # No cache to store in (unreachable, or one that keeps nothing); the CDN is still purged
            # on publish, so the page keeps its public headers.
            return True
        try:
            now = cache.get_many([GENERATION_KEY, version_key])
            if now.get(GENERATION_KEY) != tokens["generation"] or now.get(version_key) != tokens["path_version"]:
                return False
            if not keep:
                return True
            if tokens["path_version"] is None:
                # The address's first version (or one after an eviction). add() fails if a publish
                # gave it one in the meantime.
                first_version = new_generation()
                if not cache.add(version_key, first_version, timeout=None):
                    return False
                tokens = {**tokens, "path_version": first_version}
            entry = {
                **tokens,
                "status": response.status_code,
                "headers": [(k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS],
                "content": response.content,
                "expires": None if limit is None else time.time() + limit,
            }
            timeout = getattr(settings, "PAGE_CACHE_SECONDS", 3600)
            cache.set(key, entry, timeout=timeout if limit is None else min(timeout, limit))
        except Exception:
            logger.exception("Could not store a page in the page cache")
        return True

    def _rebuild(self, entry, request):
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        if entry.get("expires") is not None:
            # The copy goes stale at a set moment: later hits may be kept only for what is left.
            _add_public_cache_control(response, max(0, int(entry["expires"] - time.time())))
        response[CACHE_STATUS_HEADER] = "hit"
        return response

    @staticmethod
    def _mark_uncacheable(response):
        # Anything not shared through the cache must not be kept by a CDN or browser either, unless
        # the view said otherwise (static files, images and documents set their own headers).
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
