"""IndexNow: publishing tells search engines, only when a key is set, never for private pages."""

import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import TestCase, override_settings
from wagtail.models import PageViewRestriction

from tests import factories
from tests.factories import publish_change

KEY = "3f9c2d7e41b84a6f"


class Endpoint:
    """An IndexNow endpoint on 127.0.0.1 that keeps what it is sent."""

    def __enter__(self):
        received = self.received = queue.Queue()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.put((self.headers["Content-Type"], json.loads(body)))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/indexnow"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class IndexNowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_off_without_a_key_no_key_file_and_nothing_sent(self):
        self.assertEqual(self.client.get(f"/{KEY}.txt").status_code, 404)
        with Endpoint() as endpoint, override_settings(INDEXNOW_ENDPOINT=endpoint.url):
            with self.captureOnCommitCallbacks(execute=True):
                publish_change(self.seed, summary="Changed.")
            with self.assertRaises(queue.Empty):
                endpoint.received.get(timeout=1)

    def test_a_publish_is_announced_with_the_key_file_that_proves_it(self):
        with override_settings(INDEXNOW_KEY=KEY):
            response = self.client.get(f"/{KEY}.txt")
            self.assertEqual((response.status_code, response.content.decode()), (200, KEY))
            self.assertEqual(self.client.get("/someotherkey1.txt").status_code, 404)
            with Endpoint() as endpoint, override_settings(INDEXNOW_ENDPOINT=endpoint.url):
                with self.captureOnCommitCallbacks(execute=True):
                    publish_change(self.seed, summary="Changed.")
                content_type, body = endpoint.received.get(timeout=10)
        self.assertEqual(content_type, "application/json; charset=utf-8")
        self.assertEqual(
            body,
            {
                "host": "testserver",
                "key": KEY,
                "keyLocation": f"http://testserver/{KEY}.txt",
                "urlList": [f"http://testserver{self.seed.url}"],
            },
        )

    def test_a_private_page_is_not_announced(self):
        PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)
        with override_settings(INDEXNOW_KEY=KEY), Endpoint() as endpoint:
            with override_settings(INDEXNOW_ENDPOINT=endpoint.url), self.captureOnCommitCallbacks(execute=True):
                publish_change(self.seed, summary="Changed.")
            with self.assertRaises(queue.Empty):
                endpoint.received.get(timeout=1)
