"""The tokens stored pages are kept under, the changes the cache missed, and values kept per generation.

See pagecache/middleware.py for how stored pages use the tokens; pagecache/signals.py replaces them.
"""

import functools
import hashlib
import logging
import pickle
import time
import uuid
from pathlib import Path
from urllib.parse import unquote

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone

from pagecache.models import MissedCacheChange

logger = logging.getLogger(__name__)

# Retires every stored page and every value kept per generation.
GENERATION_KEY = "pagecache:generation"
# Retires the values kept per generation (for_current_generation) only; replaced on every change.
CONTENT_GENERATION_KEY = "pagecache:content-generation"
# One per address: retires the page stored for it.
PATH_VERSION_PREFIX = "pagecache:path-version:"


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
    (pagecache.redis.RedisCache), so the write is read back.
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
    _missed_state["pending"] = True
    try:
        with transaction.atomic():
            MissedCacheChange.objects.create()
    except Exception:
        logger.exception("Could not record the missed page-cache change in the database")


def settle_missed_changes(check_database=True):
    """Retire every stored page if a change was missed; True when nothing is outstanding any more."""
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


def no_missed_change():
    """True when stored pages may be served: no change is known to be missing from the cache."""
    if not _missed_state["checked"] and time.monotonic() >= _missed_state["check_again_at"]:
        # Once per process: a change missed before this process started is in the database.
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


def expire_by(request, moment):
    """Let caches keep the page rendered for `request` only until `moment` (an aware datetime).

    For what changes with the clock rather than with a publish, such as whether a clinic is open
    now: the page cache, the CDN and browsers keep the copy until the earliest such moment.
    """
    if request is None or moment is None:
        return
    current = getattr(request, "page_cache_expires", None)
    if current is None or moment < current:
        request.page_cache_expires = moment


def seconds_until_expiry(request, now=None):
    """Seconds the page rendered for `request` may be kept (see expire_by), or None without a limit."""
    moment = getattr(request, "page_cache_expires", None)
    if moment is None:
        return None
    return max(0, int((moment - (now or timezone.now())).total_seconds()))
