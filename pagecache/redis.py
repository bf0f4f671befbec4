"""The Redis client the page cache (and every other cache use) talks through, with a circuit breaker.

Wagtail and Django read the cache on every page; an outage of the cache server must slow pages down
to uncached rendering, not turn them into errors or hold each request for a socket timeout.
"""

import functools
import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)


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
