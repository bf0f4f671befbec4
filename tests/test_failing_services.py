"""What visitors and patients get when a service fails: Redis hanging or refusing writes, the
database busy or restarted."""

import re
import socketserver
import sqlite3
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client, LiveServerTestCase, TestCase, TransactionTestCase, override_settings
from django.test.testcases import LiveServerThread
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import PageViewRestriction

from appointments.models import AppointmentRequest
from pagecache import redis as cache_client
from pagecache import store as page_cache
from pagecache.models import MissedCacheChange
from tests import factories
from tests.netfaults import SwitchableProxy
from tests.patient import answers
from tests.redis_helpers import forget_redis_keys, redis_caches, redis_test_url, require_redis

SEED_URL = "/conditions/sciatica-back-spasms/"
CACHE_STATUS = "X-Page-Cache"


def redis_client():
    import redis

    return redis.Redis.from_url(redis_test_url())


def proxied_redis_caches(proxy, prefix, timeout=0.2):
    target = urlsplit(redis_test_url())
    return {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
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
        with self.assertLogs("pagecache", "WARNING") as logs:
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
        breaker = cache_client.breaker_for(page_cache.page_cache()._servers)
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

        with self.refusing_writes(), self.assertLogs("pagecache", "ERROR"):
            PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)
        self.assertTrue(MissedCacheChange.objects.exists())

        # Redis answers again, and the pause after its failure is over: the stored public copy is
        # still in Redis under valid tokens, but it must not be served.
        cache_client.reset_breakers()
        self.assert_asks_to_sign_in(self.client.get(SEED_URL))
        self.assertFalse(MissedCacheChange.objects.exists())
        self.assert_asks_to_sign_in(self.client.get(SEED_URL))

    def test_a_process_started_after_the_miss_serves_no_stored_page_until_it_is_made_good(self):
        self.client.get(SEED_URL)
        with self.refusing_writes(), self.assertLogs("pagecache", "ERROR"):
            PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)
        # A new worker: it knows nothing but what the database says.
        page_cache.forget_missed_changes()
        cache_client.reset_breakers()
        self.assert_asks_to_sign_in(self.client.get(SEED_URL))

    def test_the_settle_command_retires_stored_pages_and_reports_an_unreachable_cache(self):
        self.client.get(SEED_URL)
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")
        MissedCacheChange.objects.create()

        unreachable = {"default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
        with override_settings(CACHES=unreachable), self.assertRaises(CommandError):
            call_command("settle_page_cache")
        self.assertTrue(MissedCacheChange.objects.exists())

        call_command("settle_page_cache")
        self.assertFalse(MissedCacheChange.objects.exists())
        # Everything stored before was retired.
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")


# --- the database: busy, restarted ----------------------------------------------------------


def hold_the_write_lock(seconds=None):
    """Another process's transaction holding the database's write lock (SQLite) or the tables the
    search statistics and appointment requests are written to against writes (PostgreSQL); released after `seconds`
    (in the background) or when the returned function is called."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        other = sqlite3.connect(settings_dict["TEST"]["NAME"] or settings_dict["NAME"], check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        other = psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            password=settings_dict["PASSWORD"] or None,
            dbname=connection.settings_dict["NAME"],
        )
        other.execute("LOCK TABLE appointments_appointmentrequest, wagtailsearchpromotions_query IN EXCLUSIVE MODE")
    released = threading.Event()

    def release():
        if not released.is_set():
            released.set()
            other.rollback()
            other.close()

    if seconds is not None:
        threading.Timer(seconds, release).start()
    return release


class BusyDatabaseTests(TransactionTestCase):
    serialized_rollback = True

    def setUp(self):
        factories.load_demo_site()

    def test_a_search_answers_while_its_statistics_cannot_be_written(self):
        release = hold_the_write_lock()
        self.addCleanup(release)
        with self.assertLogs("search.models", "WARNING") as logs:
            response = self.client.get("/search/", {"query": "sciatica"})
        self.assertContains(response, "Sciatica / Back Spasms")
        self.assertIn("Search not counted", logs.output[0])
        self.assertNotIn("sciatica", logs.output[0])
        release()
        # Once the database is free, searches are counted again.
        self.client.get("/search/", {"query": "spasm"})
        self.assertTrue(Query.objects.filter(query_string="spasm").exists())

    def test_an_appointment_request_waits_out_a_busy_database_and_is_stored(self):
        busy_seconds = 2
        hold_the_write_lock(seconds=busy_seconds)
        response = Client().post("/contact/", answers())
        self.assertEqual(response.status_code, 303)
        self.assertEqual(AppointmentRequest.objects.get().form_data["name"], "Jane Q. Patient")

    def test_the_database_waits_at_least_thirty_seconds_for_an_appointment_request(self):
        self.assertGreaterEqual(settings.APPOINTMENT_STORE_TIMEOUT, 30)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                self.assertGreaterEqual(cursor.fetchone()[0], 30_000)

    @override_settings(APPOINTMENT_STORE_TIMEOUT=0.5)
    def test_a_request_that_cannot_be_stored_gets_the_phone_number_and_keeps_the_answers(self):
        release = hold_the_write_lock()
        self.addCleanup(release)
        client = Client()
        if connection.vendor == "sqlite":
            # The busy timeout is set when the connection opens; this one gives up sooner.
            connection.ensure_connection()
            connection.connection.execute("PRAGMA busy_timeout = 500")
            self.addCleanup(connection.close)
        with self.assertLogs("appointments.models", "ERROR"):
            response = client.post("/contact/", answers())
        self.assertContains(response, "Your request has not been sent yet", status_code=503)
        self.assertContains(response, '<a href="tel:+18435550100">(843) 555-0100</a>', html=True, status_code=503)
        self.assertContains(response, 'value="Jane Q. Patient"', status_code=503)
        release()
        self.assertFalse(AppointmentRequest.objects.exists())


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class OneThreadServer(ThreadedWSGIServer):
    """Serves every request in the server's own thread, keeping its database connection between
    requests as a gunicorn worker does (Django's live server starts a thread, so a connection, per
    request)."""

    def process_request(self, request, client_address):
        socketserver.TCPServer.process_request(self, request, client_address)

    def close_request(self, request):
        socketserver.TCPServer.close_request(self, request)


class OneThreadLiveServer(LiveServerThread):
    server_class = OneThreadServer


@unittest.skipUnless(connection.vendor == "postgresql", "server connections are PostgreSQL's")
class DatabaseRestartTests(LiveServerTestCase):
    """The database server restarts between requests: every kept connection to it is dead."""

    serialized_rollback = True
    server_thread_class = OneThreadLiveServer

    def setUp(self):
        factories.load_demo_site()

    def drop_every_other_connection(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return len(cursor.fetchall())

    def test_appointment_requests_survive_a_database_restart_between_requests(self):
        form = urllib.request.urlopen(f"{self.live_server_url}/contact/")  # noqa: S310 - our own test server
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.read().decode())[1]
        cookie = form.headers["Set-Cookie"].split(";")[0]
        opener = urllib.request.build_opener(NoRedirects)
        statuses, dropped = [], []
        for number in range(4):
            # The server restarts: the connection the web server kept from its last request is dead.
            dropped.append(self.drop_every_other_connection())
            data = urlencode(answers(name=f"Patient {number}", csrfmiddlewaretoken=csrf)).encode()
            request = urllib.request.Request(  # noqa: S310
                f"{self.live_server_url}/contact/", data=data, headers={"Cookie": cookie}, method="POST"
            )
            try:
                statuses.append(opener.open(request).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        self.assertEqual(statuses, [303] * 4)
        self.assertEqual(AppointmentRequest.objects.count(), 4)
        self.assertTrue(all(dropped), dropped)
