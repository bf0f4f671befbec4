"""A full-page cache for anonymous visitors, built on Django's cache framework.

Bursts of visitors read the same few pages; rendering each one costs a handful of queries and a
template render, while serving a stored copy costs one cache round trip. The middleware sits first
in the stack (after the health checks), so a hit returns before sessions, authentication or any
other middleware could touch the database.

What is cached: GET and HEAD requests for published Wagtail pages, from visitors without a session
cookie, whose response is a plain 200 HTML page that set no cookie, did not use the CSRF token, did
not use a CSP nonce and was not marked private by the view. Everything else passes through:
editors (they have a session), previews (admin URLs), search results (their own view), forms.

Invalidation: every stored page carries the cache *generation* it was rendered under. Publishing,
unpublishing, moving or deleting a page, or changing a setting, snippet, image, site or privacy
restriction, replaces the generation with a new random token (see home/signals.py), which retires
every stored page at once. Every page shows the shared header, footer and practice settings, so a
change to one page can alter any other; a single generation per installation is the simple rule
that is always right. A random token, rather than a counter, cannot repeat after an eviction.
Keys also carry the release (see release()), so a deployment never serves pages the previous code
rendered.
"""

import functools
import hashlib
import logging
import pickle
import uuid
from pathlib import Path
from urllib.parse import parse_qsl

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"

# Campaign and click identifiers change nothing on the page; ignoring them keeps links from
# newsletters and ads on the cached copy. Any other query string bypasses the cache.
IGNORED_QUERY_PARAMETERS = {"gclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga"}
IGNORED_QUERY_PREFIXES = ("utm_",)

# Response headers that belong to one response, not to the page.
UNSTORED_HEADERS = {"set-cookie", "date", "x-page-cache"}

CACHE_STATUS_HEADER = "X-Page-Cache"


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis object per connection pool.

    Django builds a new redis.Redis object, with its table of reply parsers, for every cache call:
    about a third of the time a page-cache hit takes. The object is thread-safe and draws its
    connections from the pool, so one per pool serves every call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache backend with the client above; settings select it when REDIS_URL is set."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def page_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def new_generation():
    return uuid.uuid4().hex


def bump_generation():
    """Retire every stored page. Safe to call when the cache server is unreachable."""
    _request_state.generation = None
    try:
        page_cache().set(GENERATION_KEY, new_generation(), timeout=None)
    except Exception:
        # Publishing must not fail because of the cache. Should the cache be back before the next
        # change, pages stored earlier stay served for at most PAGE_CACHE_SECONDS; the error is logged.
        logger.exception("Could not bump the page cache generation")


def current_generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add() is atomic: of two workers starting at once, both end up with the same token.
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


# --- Values kept per generation ------------------------------------------------------------
#
# A render that misses the page cache needs several values kept per generation (the practice
# settings, the menu, the private sections, where a path leads). The generation is read once per
# request, and each value is kept in this process as well as in the shared cache: with Redis, a
# render then makes one round trip instead of one or two per value. Copies in this process are
# kept pickled, as the shared cache keeps them, so a request that changes an object it was handed
# (an admin form bound to the settings, say) changes its own copy only.

_request_state = Local()
_process_copies = {}
PROCESS_COPIES_LIMIT = 2000


def start_request(**kwargs):
    _request_state.in_request = True
    _request_state.generation = None


def finish_request(**kwargs):
    _request_state.in_request = False
    _request_state.generation = None


def remember_generation(generation):
    """The generation this request renders under, once the middleware has read it."""
    if getattr(_request_state, "in_request", False):
        _request_state.generation = generation


def _generation_for_request(cache):
    generation = getattr(_request_state, "generation", None)
    if generation is None:
        generation = current_generation(cache)
        remember_generation(generation)
    return generation


def _keep_in_process(name, generation, value):
    if len(_process_copies) >= PROCESS_COPIES_LIMIT:
        _process_copies.clear()
    _process_copies[name] = (generation, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def for_current_generation(name, compute):
    """`compute()`, kept until the next publish or settings change.

    For what every page shows (the practice settings, the menu): rendering a page that misses the
    page cache then costs no query for them. An unreachable cache only means computing it again.
    """
    try:
        cache = page_cache()
        generation = _generation_for_request(cache)
    except Exception:
        logger.warning("Page cache unreachable; computing %s without it", name, exc_info=True)
        return compute()
    kept = _process_copies.get(name)
    if kept is not None and kept[0] == generation:
        return pickle.loads(kept[1])  # noqa: S301 - pickled by this process, as Django's caches do
    key = f"{name}:{generation}"
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Page cache unreachable; computing %s without it", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=getattr(settings, "PAGE_CACHE_SECONDS", 3600))
        except Exception:
            logger.warning("Page cache unreachable; %s not stored", name, exc_info=True)
    if value is not None:
        _keep_in_process(name, generation, value)
    return value


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


@functools.cache
def _code_digest():
    """A digest of the project's templates and static manifest.

    Pages stored by the previous release point at its hashed CSS and use its templates; a new
    release must not serve them. Computed once per process.
    """
    digest = hashlib.sha256()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    paths = [manifest] if manifest.is_file() else []
    for engine in settings.TEMPLATES:
        for directory in engine.get("DIRS", []):
            paths.extend(sorted(Path(directory).rglob("*.html")))
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def release():
    """RELEASE_ID when the deployment sets one (a commit hash, say), otherwise the code digest."""
    return getattr(settings, "PAGE_CACHE_RELEASE", "") or _code_digest()


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


def _add_public_cache_control(response):
    patch_cache_control(
        response,
        public=True,
        max_age=getattr(settings, "PAGE_CACHE_BROWSER_SECONDS", 60),
        s_maxage=getattr(settings, "PAGE_CACHE_CDN_SECONDS", 300),
    )


class PageCacheMiddleware:
    """Serve anonymous page views from the cache; store the ones that are safe to share."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_candidate(request):
            response = self.get_response(request)
            self._mark_uncacheable(response)
            return response

        cache = page_cache()
        key = _page_key(request)
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or current_generation(cache)
            remember_generation(generation)
        except Exception:
            logger.exception("Page cache unreachable; rendering without it")
            response = self.get_response(request)
            self._mark_uncacheable(response)
            return response

        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            response = self._rebuild(entry, request)
            return get_conditional_response(request, etag=response.get("ETag"), response=response)

        # The generation is read before rendering: if a publish lands while this page renders, the
        # copy is stored under the old generation and is never served.
        response = self.get_response(request)
        if _response_is_storable(request, response):
            _add_public_cache_control(response)
            # Browsers and CDNs revalidate after max-age; an unchanged page then costs a 304.
            set_response_etag(response)
            if request.method == "GET":
                self._store(cache, key, generation, response)
            response[CACHE_STATUS_HEADER] = "miss"
        else:
            self._mark_uncacheable(response)
        return response

    def _store(self, cache, key, generation, response):
        entry = {
            "generation": generation,
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS],
            "content": response.content,
        }
        try:
            cache.set(key, entry, timeout=getattr(settings, "PAGE_CACHE_SECONDS", 3600))
        except Exception:
            logger.exception("Could not store a page in the page cache")

    def _rebuild(self, entry, request):
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response[CACHE_STATUS_HEADER] = "hit"
        return response

    @staticmethod
    def _mark_uncacheable(response):
        # Anything not shared through the cache must not be kept by a CDN or browser either, unless
        # the view said otherwise (static files, images and documents set their own headers).
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
