"""Health checks, and what visitors see when the database or the cache goes away."""

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from unittest import mock

from django.test import TestCase, override_settings

from tests import factories
from tests.redis_helpers import forget_redis_keys, redis_caches, redis_test_url, require_redis

ROOT = Path(__file__).resolve().parent.parent
SEED_URL = "/conditions/sciatica-back-spasms/"


def closed_port():
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HealthCheckTests(TestCase):
    def test_liveness_answers_without_touching_the_database(self):
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_readiness_reports_database_and_cache(self):
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "checks": {"database": "ok", "cache": "ok"}})

    @override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["www.scsportsmed.example"])
    def test_load_balancer_probes_by_ip_over_plain_http_are_answered(self):
        for path in ("/healthz", "/readyz"):
            with self.subTest(path=path):
                response = self.client.get(path, HTTP_HOST="10.0.3.17:8000")
                self.assertEqual(response.status_code, 200)
        # Everything else still validates the host.
        self.assertEqual(self.client.get("/", HTTP_HOST="10.0.3.17:8000").status_code, 400)

    def test_readiness_reports_an_unreachable_cache_but_stays_ready(self):
        unreachable = {
            "default": {
                "BACKEND": "pagecache.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            }
        }
        with override_settings(CACHES=unreachable):
            response = self.client.get("/readyz")
        # Pages render from the database without the cache: the server stays in the pool.
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "checks": {"database": "ok", "cache": "unavailable"}})


OUTAGE_PROBE = """
import json
import django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
results = {}
for path in ("/healthz", "/readyz", "%(seed)s", "%(seed)s?utm_source=again", "/locations/"):
    response = client.get(path)
    body = response.content.decode()
    results[path] = {
        "status": response.status_code,
        "cache": response.headers.get("X-Page-Cache"),
        "body": body,
    }
print(json.dumps(results))
"""


class DatabaseOutageTests(TestCase):
    """The database stops answering: cached pages keep being served, nothing leaks to visitors."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_cached_pages_survive_a_database_outage(self):
        require_redis()
        prefix = f"outage-{uuid.uuid4().hex}"
        self.addCleanup(forget_redis_keys, prefix)
        with override_settings(CACHES=redis_caches(prefix)):
            self.assertEqual(self.client.get(SEED_URL)["X-Page-Cache"], "miss")

            environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
            environment.update(
                DJANGO_SETTINGS_MODULE="settings.test",
                DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/site",
                REDIS_URL=redis_test_url(),
                CACHE_KEY_PREFIX=prefix,
            )
            result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
                [sys.executable, "-c", OUTAGE_PROBE % {"seed": SEED_URL}],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=120,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        pages = json.loads(result.stdout.strip().splitlines()[-1])

        self.assertEqual(pages["/healthz"]["status"], 200)
        self.assertEqual(pages["/readyz"]["status"], 503)
        self.assertEqual(
            json.loads(pages["/readyz"]["body"]),
            {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok"}},
        )

        self.assertEqual(pages[SEED_URL]["status"], 200)
        self.assertEqual(pages[SEED_URL]["cache"], "hit")
        again = pages[f"{SEED_URL}?utm_source=again"]
        self.assertEqual((again["status"], again["cache"]), (200, "hit"))
        # The process asks the database for missed cache changes once, not again on every hit.
        self.assertEqual(result.stderr.count("Could not read missed page-cache changes"), 1, result.stderr[-3000:])
        self.assertIn("Sciatica / Back Spasms", pages[SEED_URL]["body"])

        uncached = pages["/locations/"]
        self.assertEqual(uncached["status"], 500)
        self.assertIn("Something went wrong", uncached["body"])
        for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1"):
            self.assertNotIn(leak, uncached["body"])


def test_gunicorn_takes_its_worker_count_from_the_environment():
    environment = {**os.environ, "WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "4"}
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own virtualenv
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "settings.wsgi:application"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = (line.partition("=") for line in result.stdout.splitlines())
    config = {name.strip(): value.strip() for name, _, value in lines}
    assert config["workers"] == "3"
    assert config["threads"] == "4"
    assert config["worker_class"] == "gthread"


class CacheOutageTests(TestCase):
    """With the cache server down, pages are rendered from the database instead of failing."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_pages_and_the_form_still_work_and_readiness_reports_the_cache(self):
        unreachable = {
            "default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}
        }
        with override_settings(CACHES=unreachable):
            page = self.client.get("/conditions/sciatica-back-spasms/")
            home = self.client.get("/")
            form = self.client.get("/contact/")
            ready = self.client.get("/readyz")

        self.assertContains(page, "<h1>Sciatica / Back Spasms</h1>", html=True)
        self.assertEqual(home.status_code, 200)
        self.assertEqual(form.status_code, 200)
        self.assertEqual(ready.status_code, 200)
        self.assertEqual(ready.json()["checks"]["cache"], "unavailable")

    def test_a_cache_server_that_stops_answering_only_slows_pages_down(self):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # accepts connections, never answers
        self.addCleanup(silent.close)
        hung = {
            "default": {
                "BACKEND": "pagecache.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
            }
        }
        with override_settings(CACHES=hung), self.assertLogs("pagecache", "WARNING") as logs:
            page = self.client.get("/conditions/sciatica-back-spasms/")
        self.assertContains(page, "<h1>Sciatica / Back Spasms</h1>", html=True)
        # Once the server has failed to answer, the rest of the request does not wait for it again.
        self.assertEqual(len([line for line in logs.output if "Redis unreachable" in line]), 1)

    def test_a_cache_server_that_refuses_writes_only_slows_pages_down(self):
        import redis

        full = redis.exceptions.ResponseError("OOM command not allowed when used memory > 'maxmemory'.")
        cache = {"default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}}
        with override_settings(CACHES=cache), mock.patch.object(redis.Redis, "execute_command", side_effect=full):
            page = self.client.get("/conditions/sciatica-back-spasms/")
        self.assertContains(page, "<h1>Sciatica / Back Spasms</h1>", html=True)


def test_clients_sending_a_byte_a_second_do_not_hold_up_other_visitors():
    """Two connections dripping a request byte by byte, against one gunicorn worker as configured."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "slow-client-test-key-" + uuid.uuid4().hex,
        "WAGTAILADMIN_BASE_URL": "https://www.scsportsmed.example",
        "SECURE_SSL_REDIRECT": "false",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
    }
    server = subprocess.Popen(  # noqa: S603 - fixed arguments, our own virtualenv
        [str(Path(sys.executable).parent / "gunicorn"), "settings.wsgi:application"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stop = threading.Event()
    try:
        _wait_for_port(port, server)

        def drip():
            with socket.create_connection(("127.0.0.1", port)) as slow:
                for byte in b"POST /contact/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n":
                    if stop.wait(1):
                        return
                    slow.sendall(bytes([byte]))

        drippers = [threading.Thread(target=drip, daemon=True) for _ in range(2)]
        for dripper in drippers:
            dripper.start()
        stop.wait(2)  # both slow requests are under way
        with socket.create_connection(("127.0.0.1", port), timeout=5) as visitor:
            visitor.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answer = visitor.recv(1024)
        assert answer.startswith(b"HTTP/1.1 200"), answer
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)


def _wait_for_port(port, server):
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError("gunicorn exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            threading.Event().wait(0.1)
    raise AssertionError("gunicorn did not start")
