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
say what they affect: BasePage.pages_showing_this(), home/signals.py does the retiring). Random
tokens, rather than counters, cannot repeat after an eviction, and a missing token is replaced by a
new one, so an evicted token never brings an old copy back.
Keys also carry the release (see release()), so a deployment never serves pages the previous code
rendered.
"""

import functools
import hashlib
import logging
import pickle
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

logger = logging.getLogger(__name__)

# Retires every stored page and every value kept per generation.
GENERATION_KEY = "pagecache:generation"
# Retires the values kept per generation (for_current_generation) only; replaced on every change.
CONTENT_GENERATION_KEY = "pagecache:content-generation"
# One per address: retires the page stored for it.
PATH_VERSION_PREFIX = "pagecache:path-version:"

# Campaign and click identifiers change nothing on the page; ignoring them keeps links from
# newsletters and ads on the cached copy. Any other query string bypasses the cache.
IGNORED_QUERY_PARAMETERS = {"gclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_ga"}
IGNORED_QUERY_PREFIXES = ("utm_",)

# Response headers that belong to one response, not to the page.
UNSTORED_HEADERS = {"set-cookie", "date", "x-page-cache"}

CACHE_STATUS_HEADER = "X-Page-Cache"


class CircuitBreaker:
    """Stops asking a cache server that failed, for BREAKER_SECONDS, in every thread of this process.

    A Redis that accepts connections but never answers costs each call its socket timeout; without
    the breaker every request would wait that long again. While the breaker is open, calls answer at
    once as misses. When the pause is over, one call tries the server again (the others keep
    answering at once): if it answers, the breaker closes; if not, it stays open for another pause.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.open_until = 0.0
        self._lock = threading.Lock()

    def allows_a_call(self):
        if not self.open_until:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self.open_until:
                return False
            # This caller probes the server; the others keep answering at once while it does.
            self.open_until = now + self.seconds
            return True

    def succeeded(self):
        if self.open_until:
            self.open_until = 0.0

    def failed(self):
        with self._lock:
            was_closed = not self.open_until
            self.open_until = time.monotonic() + self.seconds
        return was_closed

    @property
    def is_open(self):
        return bool(self.open_until) and time.monotonic() < self.open_until


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(servers):
    """The breaker shared by every cache client of this process that talks to these servers."""
    key = tuple(servers)
    breaker = _breakers.get(key)
    if breaker is None:
        with _breakers_lock:
            breaker = _breakers.setdefault(key, CircuitBreaker(getattr(settings, "CACHE_BREAKER_SECONDS", 5)))
    return breaker


def reset_breakers():
    """Close every breaker (tests, and after the operator knows the server is back)."""
    _breakers.clear()


def _answer_when_unreachable(default):
    """Decorate a cache client method: when Redis fails, log it and return `default`.

    Wagtail and Django read the cache on every page (site root paths, sessions aside); an outage
    of the cache server must slow pages down to uncached rendering, not turn them into errors.
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            breaker = breaker_for(self._servers)
            if not breaker.allows_a_call():
                return default(*args) if callable(default) else default
            try:
                result = method(self, *args, **kwargs)
            except self._lib.exceptions.RedisError as error:
                # Refused, timed out, or refusing writes (out of memory under a noeviction policy).
                if breaker.failed():
                    logger.warning(
                        "Redis unreachable (%s): cache %s answered as a miss; not asked again for %s s",
                        error,
                        method.__name__,
                        breaker.seconds,
                    )
                return default(*args) if callable(default) else default
            breaker.succeeded()
            return result

        return wrapper

    return decorate


def cache_is_answering(cache=None):
    """False while the cache server's breaker is open (it failed moments ago)."""
    cache = cache or page_cache()
    servers = getattr(cache, "_servers", None)
    return servers is None or not breaker_for(servers).is_open


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis object per connection pool, failing open.

    Django builds a new redis.Redis object, with its table of reply parsers, for every cache call:
    about a third of the time a page-cache hit takes. The object is thread-safe and draws its
    connections from the pool, so one per pool serves every call. When Redis cannot be reached,
    reads miss and writes are dropped (see _answer_when_unreachable).
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

    get = _answer_when_unreachable(lambda key, default: default)(django_redis.RedisCacheClient.get)
    get_many = _answer_when_unreachable(lambda keys: {})(django_redis.RedisCacheClient.get_many)
    has_key = _answer_when_unreachable(False)(django_redis.RedisCacheClient.has_key)
    add = _answer_when_unreachable(False)(django_redis.RedisCacheClient.add)
    set = _answer_when_unreachable(None)(django_redis.RedisCacheClient.set)
    set_many = _answer_when_unreachable(None)(django_redis.RedisCacheClient.set_many)
    touch = _answer_when_unreachable(False)(django_redis.RedisCacheClient.touch)
    delete = _answer_when_unreachable(False)(django_redis.RedisCacheClient.delete)
    delete_many = _answer_when_unreachable(None)(django_redis.RedisCacheClient.delete_many)


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
    """Retire every stored page and kept value. Safe to call when the cache server is unreachable."""
    _forget_request_state()
    _replace_tokens({GENERATION_KEY: new_generation(), CONTENT_GENERATION_KEY: new_generation()})


def path_version_key(path):
    return PATH_VERSION_PREFIX + hashlib.sha256(path.encode()).hexdigest()


def retire_paths(paths):
    """Retire the pages stored for these addresses (on every host), and every kept value."""
    _forget_request_state()
    # Page URLs are percent-encoded; request.path, which the middleware reads, is not.
    tokens = {path_version_key(unquote(path)): new_generation() for path in paths}
    tokens[CONTENT_GENERATION_KEY] = new_generation()
    _replace_tokens(tokens)


def _replace_tokens(tokens):
    """Store new tokens, and say loudly when the cache did not take them.

    Publishing must not fail because of the cache, but the pages it should have retired stay
    served for up to PAGE_CACHE_SECONDS (and the CDN's copies for PAGE_CACHE_CDN_SECONDS): an
    operator needs to know. The cache backend answers a write it could not make without an error
    (home.cache.RedisCache), so the write is read back.
    """
    cache = page_cache()
    if isinstance(cache, DummyCache):
        return True  # keeps nothing, so nothing stored can be out of date
    try:
        cache.set_many(tokens, timeout=None)
        taken = cache.get(CONTENT_GENERATION_KEY) == tokens[CONTENT_GENERATION_KEY]
    except Exception:
        logger.exception("The page cache failed while retiring pages")
        taken = False
    if not taken:
        logger.error(
            "The page cache did not take a change: no stored page is served by this process until every "
            "stored page has been retired (manage.py settle_page_cache retries it)."
        )
        _record_missed_change()
    return taken


# --- Changes the cache missed ---------------------------------------------------------------
#
# When Redis fails at the moment of a change (a new privacy restriction, say) but answers again
# afterwards, the stored copies still carry valid tokens. The miss is recorded in the database and
# in this process; until a later retirement of every stored page succeeds, this process serves no
# stored page and retries on each request. A process starting up asks the database once, so a
# recorded miss outlives the process that saw it; `manage.py settle_page_cache` (cron) retries too.

_missed_state = {"checked": False, "pending": False, "check_again_at": 0.0}
# With the database down, how long a process serves stored pages before asking it again.
MISSED_CHANGE_RECHECK_SECONDS = 30


def _record_missed_change():
    from django.db import transaction

    from home.models import MissedCacheChange

    _missed_state["pending"] = True
    try:
        with transaction.atomic():
            MissedCacheChange.objects.create()
    except Exception:
        logger.exception("Could not record the missed page-cache change in the database")


def settle_missed_changes(check_database=True):
    """Retire every stored page if a change was missed; True when nothing is outstanding any more."""
    from django.db import transaction

    from home.models import MissedCacheChange

    if not _missed_state["pending"] and not (check_database and MissedCacheChange.objects.exists()):
        return True
    newest = MissedCacheChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    cache = page_cache()
    tokens = {GENERATION_KEY: new_generation(), CONTENT_GENERATION_KEY: new_generation()}
    try:
        cache.set_many(tokens, timeout=None)
        taken = cache.get(CONTENT_GENERATION_KEY) == tokens[CONTENT_GENERATION_KEY]
    except Exception:
        taken = False
    if not taken:
        return False
    _forget_request_state()
    if newest is not None:
        with transaction.atomic():
            MissedCacheChange.objects.filter(pk__lte=newest).delete()
    _missed_state["pending"] = False
    logger.warning("The page cache has retired every stored page after a change it had missed")
    return True


def _no_missed_change():
    """True when stored pages may be served: no change is known to be missing from the cache."""
    if not _missed_state["checked"] and time.monotonic() >= _missed_state["check_again_at"]:
        # Once per process: a change missed before this process started is in the database.
        from home.models import MissedCacheChange

        try:
            _missed_state["pending"] = _missed_state["pending"] or MissedCacheChange.objects.exists()
        except Exception:
            # The database is down: stored pages are what keeps the site up, and no change can be
            # made meanwhile. Asked again a little later, not on every hit (each would wait for
            # the database's connect timeout).
            logger.warning("Could not read missed page-cache changes", exc_info=True)
            _missed_state["check_again_at"] = time.monotonic() + MISSED_CHANGE_RECHECK_SECONDS
            return not _missed_state["pending"]
        _missed_state["checked"] = True
    if not _missed_state["pending"]:
        return True
    try:
        return settle_missed_changes(check_database=False)
    except Exception:
        logger.warning("Could not settle the missed page-cache change", exc_info=True)
        return False


def forget_missed_changes():
    """Forget this process's knowledge of missed changes (tests)."""
    _missed_state.update(checked=False, pending=False, check_again_at=0.0)


def current_token(cache, key):
    """The token stored under `key`; a new one when there is none (never stored, or evicted)."""
    token = cache.get(key)
    if token is None:
        # add() is atomic: of two workers starting at once, both end up with the same token.
        cache.add(key, new_generation(), timeout=None)
        token = cache.get(key)
    return token


# --- Values kept per generation ------------------------------------------------------------
#
# A render that misses the page cache needs several values kept per generation (the practice
# settings, the menu, the clinics, where a path leads). The content generation is read once per
# request, and each value is kept in this process as well as in the shared cache: with Redis, a
# render then makes one round trip instead of one or two per value. Copies in this process are
# kept pickled, as the shared cache keeps them, so a request that changes an object it was handed
# (an admin form bound to the settings, say) changes its own copy only; and for a minute at most,
# so that a change whose new generation never reached the cache (an outage at that moment) is
# seen as soon as the shared copy expires, as it would be without them.

_request_state = Local()
_process_copies = {}
PROCESS_COPIES_LIMIT = 2000
PROCESS_COPY_SECONDS = 60


def _forget_request_state():
    _request_state.generation = None


def start_request(**kwargs):
    _request_state.in_request = True
    _forget_request_state()


def finish_request(**kwargs):
    _request_state.in_request = False
    _forget_request_state()


def _in_request():
    return getattr(_request_state, "in_request", False)


def remember_generation(generation):
    """The content generation this request renders under, once the middleware has read it."""
    if _in_request():
        _request_state.generation = generation


def _generation_for_request(cache):
    generation = getattr(_request_state, "generation", None)
    if generation is None:
        generation = current_token(cache, CONTENT_GENERATION_KEY)
        remember_generation(generation)
    return generation


def _kept_in_process(name, generation):
    kept = _process_copies.get(name)
    if kept is None or kept[0] != generation or time.monotonic() - kept[1] > PROCESS_COPY_SECONDS:
        return None
    return pickle.loads(kept[2])  # noqa: S301 - pickled by this process, as Django's caches do


def _keep_in_process(name, generation, value):
    try:
        pickled = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception:
        logger.warning("%s cannot be pickled; not kept", name, exc_info=True)
        return
    if len(_process_copies) >= PROCESS_COPIES_LIMIT:
        _process_copies.clear()
    _process_copies[name] = (generation, time.monotonic(), pickled)


def for_current_generation(name, compute):
    """`compute()`, kept until the next publish or settings change.

    For what every page shows (the practice settings, the menu): rendering a page that misses the
    page cache then costs no query for them. An unreachable cache only means computing it again.
    None is never kept: a value that is not there is computed every time.
    """
    try:
        cache = page_cache()
        generation = _generation_for_request(cache)
    except Exception:
        logger.warning("Page cache unreachable; computing %s without it", name, exc_info=True)
        return compute()
    if not generation:
        # A cache that keeps nothing (DummyCache): nothing can be kept for a generation either.
        return compute()
    # This process's memory is the cache already when there is no shared one.
    in_process = not isinstance(cache, LocMemCache)
    value = _kept_in_process(name, generation) if in_process else None
    if value is not None:
        return value
    # Values from another release may have another shape: keys carry the release, as page keys do.
    key = f"pagecache:value:{release()}:{name}:{generation}"
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("Page cache unreachable; computing %s without it", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        if value is None:
            return None
        try:
            cache.set(key, value, timeout=getattr(settings, "PAGE_CACHE_SECONDS", 3600))
        except Exception:
            logger.warning("Page cache unreachable; %s not stored", name, exc_info=True)
    if in_process:
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

        if not _no_missed_change():
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
        if _response_is_storable(request, response):
            _add_public_cache_control(response)
            # Browsers and CDNs revalidate after max-age; an unchanged page then costs a 304.
            set_response_etag(response)
            if not self._store(cache, key, version_key, tokens, response, keep=request.method == "GET"):
                # A change landed while the page rendered: this copy may show the old content, and
                # the CDN's purge may already have happened, so no one may keep it.
                response["Cache-Control"] = "private, no-store"
            response[CACHE_STATUS_HEADER] = "miss"
        else:
            self._mark_uncacheable(response)
        return response

    def _store(self, cache, key, version_key, tokens, response, keep=True):
        """Store the page under the tokens read before it rendered; False if they have changed since.

        With `keep` false (a HEAD request) only the check is made.
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
            }
            cache.set(key, entry, timeout=getattr(settings, "PAGE_CACHE_SECONDS", 3600))
        except Exception:
            logger.exception("Could not store a page in the page cache")
        return True

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
