"""Spam and abuse of the appointment form: the honeypot, forms sent back too fast, the rate limit and
malformed posts."""

from unittest import mock

from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client, TestCase, override_settings

from appointments import spam
from appointments.models import AppointmentRequest
from tests import factories
from tests.patient import answers


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class SpamAndAbuseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def assert_quietly_discarded(self, response):
        self.assertRedirects(response, "/contact/thanks/", status_code=303)
        self.assertFalse(AppointmentRequest.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_filled_honeypot_gets_the_normal_thank_you_and_nothing_is_kept(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/contact/", answers(website="http://spam.example"))
        self.assert_quietly_discarded(response)

    def test_a_form_sent_back_faster_than_a_person_could_is_discarded(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/contact/", answers(form_started=spam.issue_form_token()))
        self.assert_quietly_discarded(response)

    def test_honeypot_is_hidden_from_people_and_assistive_technology(self):
        trap = soup(self.client.get("/contact/")).select_one("input[name=website]")
        wrapper = trap.find_parent("div")
        self.assertEqual((wrapper["class"], wrapper["aria-hidden"]), (["visually-hidden"], "true"))
        self.assertEqual((trap["tabindex"], trap["autocomplete"]), ("-1", "off"))

    @override_settings(FORM_RATE_LIMIT="2/m")
    def test_posts_over_the_rate_limit_get_a_plain_429(self):
        for _ in range(2):
            self.assertEqual(self.client.post("/contact/", answers()).status_code, 303)
        response = self.client.post("/contact/", answers())
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("Please wait a minute and try again, or call us on (843) 555-0100.", response.content.decode())
        self.assertLessEqual(int(response["Retry-After"]), 60)
        self.assertEqual(AppointmentRequest.objects.count(), 2)
        # Another address has its own allowance, and reading the page is never limited.
        self.assertEqual(self.client.post("/contact/", answers(), REMOTE_ADDR="203.0.113.9").status_code, 303)
        self.assertEqual(self.client.get("/contact/").status_code, 200)

    def test_an_unreachable_cache_lets_requests_through(self):
        with (
            mock.patch("ops.security.cache.add", side_effect=ConnectionError("cache down")),
            self.assertLogs("ops.security", "WARNING") as logs,
        ):
            response = self.client.post("/contact/", answers())
        self.assertRedirects(response, "/contact/thanks/", status_code=303)
        self.assertEqual(AppointmentRequest.objects.count(), 1)
        self.assertIn("Rate limit appointments:posts not applied, the cache failed (ConnectionError)", logs.output[0])

    @override_settings(FORM_RATE_LIMIT="1/h", TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_the_limit_counts_the_forwarded_client_address(self):
        def post(forwarded_for):
            return self.client.post("/contact/", answers(), HTTP_X_FORWARDED_FOR=forwarded_for).status_code

        self.assertEqual(post("198.51.100.1"), 303)
        self.assertEqual(post("198.51.100.2"), 303)
        # A forged left-hand entry does not buy a fresh allowance.
        self.assertEqual(post("10.9.9.9, 198.51.100.1"), 429)

    def test_oversized_and_malformed_posts_get_a_4xx(self):
        cases = [
            ("too large", {"data": "name=" + "x" * 40_000, "content_type": "application/x-www-form-urlencoded"}, 413),
            ("not a form", {"data": '{"name": "Jane"}', "content_type": "application/json"}, 400),
            ("broken multipart", {"data": b"--x\r\nnonsense", "content_type": "multipart/form-data; boundary="}, 400),
        ]
        for label, kwargs, status in cases:
            with self.subTest(label):
                self.assertEqual(self.client.post("/contact/", **kwargs).status_code, status)
        with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=20):
            many = "&".join(f"f{i}=1" for i in range(50))
            response = self.client.post("/contact/", many, content_type="application/x-www-form-urlencoded")
            self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.put("/contact/", answers()).status_code, 405)
        self.assertFalse(AppointmentRequest.objects.exists())

    def test_undecodable_bytes_are_a_form_error_not_a_crash(self):
        response = self.client.post(
            "/contact/", b"name=%FF%FE&phone=%C3", content_type="application/x-www-form-urlencoded"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIsNotNone(soup(response).select_one(".error-summary"))

    def test_posts_without_a_csrf_token_are_refused(self):
        response = Client(enforce_csrf_checks=True).post("/contact/", answers())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(AppointmentRequest.objects.exists())
