"""A Redis server for the tests that need one: CI runs them against its own, elsewhere they skip when
none is running. Each test keeps its keys under a prefix of its own and deletes them afterwards."""

import os
import uuid

import pytest
from django.test import override_settings


def redis_test_url():
    return os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


def redis_available():
    import redis

    try:
        return redis.Redis.from_url(redis_test_url(), socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def require_redis():
    """CI runs these against its Redis server; elsewhere they skip when none is running."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {redis_test_url()}")
        pytest.skip(f"Redis is not reachable at {redis_test_url()}")


def forget_redis_keys(prefix):
    """Delete this test's keys only: other test runs may share the Redis database."""
    import redis

    client = redis.Redis.from_url(redis_test_url())
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def redis_caches(prefix):
    return {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": redis_test_url(),
            "KEY_PREFIX": prefix,
        }
    }


def use_a_redis_cache_of_its_own(test):
    """Point the test at the Redis server, under a key prefix no other test run shares."""
    require_redis()
    prefix = f"test-{uuid.uuid4().hex}"
    settings_override = override_settings(CACHES=redis_caches(prefix))
    settings_override.enable()
    test.addCleanup(settings_override.disable)
    test.addCleanup(forget_redis_keys, prefix)
