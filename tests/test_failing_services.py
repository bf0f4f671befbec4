"""What visitors and patients get when a service fails: Redis hanging or refusing writes."""

import time
import uuid
from urllib.parse import urlsplit

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from wagtail.models import PageViewRestriction

from home import cache as page_cache
from home.models import MissedCacheChange
from tests import factories
from tests.netfaults import SwitchableProxy
from tests.test_cache import forget_redis_keys, redis_caches, redis_test_url, require_redis

SEED_URL = "/conditions/sciatica-back-spasms/"
CACHE_STATUS = "X-Page-Cache"


def redis_client():
    import redis

    return redis.Redis.from_url(redis_test_url())


def proxied_redis_caches(proxy, prefix, timeout=0.2):
    target = urlsplit(redis_test_url())
    return {
        "default": {
            "BACKEND": "home.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}{target.path or '/0'}",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


class HangingRedisTests(TestCase):
    """A Redis that accepts connections but stops answering (as under `DEBUG SLEEP`)."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def setUp(self):
        require_redis()
        target = urlsplit(redis_test_url())
        self.proxy = self.enterContext(SwitchableProxy((target.hostname, target.port or 6379)))
        self.prefix = f"hang-{uuid.uuid4().hex}"
        self.addCleanup(forget_redis_keys, self.prefix)
        self.enterContext(override_settings(CACHES=proxied_redis_caches(self.proxy, self.prefix)))

    def test_after_one_failure_later_requests_do_not_ask_redis_until_the_pause_is_over(self):
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")

        self.proxy.hanging = True
        with self.assertLogs("home.cache", "WARNING") as logs:
            first = self.client.get(SEED_URL)
        self.assertContains(first, "<h1>Sciatica / Back Spasms</h1>", html=True)
        asked = self.proxy.bytes_received
        self.assertGreater(asked, 0)

        # Further requests in this worker answer from the database without waiting for Redis.
        for _ in range(3):
            response = self.client.get(SEED_URL)
            self.assertContains(response, "<h1>Sciatica / Back Spasms</h1>", html=True)
            self.assertNotEqual(response.get(CACHE_STATUS), "hit")
        self.assertEqual(self.proxy.bytes_received, asked)
        self.assertEqual(len([line for line in logs.output if "Redis unreachable" in line]), 1)

        # Redis answers again; once the pause is over, one request asks it and the cache is back.
        self.proxy.hanging = False
        breaker = page_cache.breaker_for(page_cache.page_cache()._servers)
        self.assertTrue(breaker.is_open)
        breaker.open_until = time.monotonic()
        self.client.get(SEED_URL)
        self.assertFalse(breaker.is_open)
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")

    def test_readiness_reports_the_cache_while_the_database_answers(self):
        self.proxy.hanging = True
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "checks": {"database": "ok", "cache": "unavailable"}})


class MissedChangeTests(TestCase):
    """Redis refuses the writes of a change (a full Redis) but keeps serving what it stored."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def setUp(self):
        require_redis()
        self.prefix = f"missed-{uuid.uuid4().hex}"
        self.addCleanup(forget_redis_keys, self.prefix)
        self.enterContext(override_settings(CACHES=redis_caches(self.prefix)))

    def refusing_writes(self):
        """Redis at its memory limit under `noeviction`: reads answer, writes are refused."""
        client = redis_client()
        saved = {name: client.config_get(name)[name] for name in ("maxmemory", "maxmemory-policy")}

        class Full:
            def __enter__(self):
                client.config_set("maxmemory-policy", "noeviction")
                client.config_set("maxmemory", 1)

            def __exit__(self, *exc_info):
                for name, value in saved.items():
                    client.config_set(name, value)

        return Full()

    def assert_asks_to_sign_in(self, response):
        self.assertEqual(response.status_code, 302)
        self.assertIn("login/?next=", response["Location"])

    def test_a_restriction_the_cache_missed_stops_the_stored_copy_being_served(self):
        self.client.get(SEED_URL)
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")

        with self.refusing_writes(), self.assertLogs("home.cache", "ERROR"):
            PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)
        self.assertTrue(MissedCacheChange.objects.exists())

        # Redis answers again, and the pause after its failure is over: the stored public copy is
        # still in Redis under valid tokens, but it must not be served.
        page_cache.reset_breakers()
        self.assert_asks_to_sign_in(self.client.get(SEED_URL))
        self.assertFalse(MissedCacheChange.objects.exists())
        self.assert_asks_to_sign_in(self.client.get(SEED_URL))

    def test_a_process_started_after_the_miss_serves_no_stored_page_until_it_is_made_good(self):
        self.client.get(SEED_URL)
        with self.refusing_writes(), self.assertLogs("home.cache", "ERROR"):
            PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)
        # A new worker: it knows nothing but what the database says.
        page_cache.forget_missed_changes()
        page_cache.reset_breakers()
        self.assert_asks_to_sign_in(self.client.get(SEED_URL))

    def test_the_settle_command_retires_stored_pages_and_reports_an_unreachable_cache(self):
        self.client.get(SEED_URL)
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")
        MissedCacheChange.objects.create()

        unreachable = {"default": {"BACKEND": "home.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
        with override_settings(CACHES=unreachable), self.assertRaises(CommandError):
            call_command("settle_page_cache")
        self.assertTrue(MissedCacheChange.objects.exists())

        call_command("settle_page_cache")
        self.assertFalse(MissedCacheChange.objects.exists())
        # Everything stored before was retired.
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")
