"""Error pages: the 500 page keeps the practice's number in front of patients, even with the database
down; floods of password-reset requests get a 429 page and send no email."""

import re
from unittest import mock

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, TestCase, override_settings
from django.urls import include, path, reverse

from home import views
from home.models import PracticeSettings
from settings import urls as site_urls


def broken_view(request):
    raise RuntimeError("a bug in a view")


# The site's URLs plus one that fails: tests point ROOT_URLCONF at this module.
urlpatterns = [path("broken/", broken_view), path("", include(site_urls))]
handler500 = site_urls.handler500


def refuse_every_query(execute, sql, params, many, context):
    """A database that has gone away: every query fails as a refused connection does."""
    raise OperationalError('connection to server at "db" failed: Connection refused')


PHONE_LINK = '<a href="tel:+18435550199">(843) 555-0199</a>'


@override_settings(ROOT_URLCONF="tests.test_error_pages")
class ServerErrorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        practice = PracticeSettings.load()
        practice.main_phone = "843.555.0199"
        practice.save()

    def setUp(self):
        self.client = Client(raise_request_exception=False)
        # Each test starts as a process that has not read the number yet.
        remembered = mock.patch.object(views, "_last_known_phone", ("", ""))
        remembered.start()
        self.addCleanup(remembered.stop)

    def get_failing(self, url="/broken/"):
        with self.assertLogs("django.request", "ERROR"):
            return self.client.get(url)

    def test_the_error_page_gives_the_practice_number_to_call(self):
        response = self.get_failing()
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertContains(response, "<h1>Something went wrong</h1>", status_code=500, html=True)
        self.assertContains(response, PHONE_LINK, status_code=500, html=True)
        self.assertContains(response, "In a medical emergency, call 911.", status_code=500)
        # Nothing the strict Content-Security-Policy would block.
        self.assertNotRegex(response.content.decode(), re.compile(r"<script|<style|\sstyle=", re.IGNORECASE))
        self.assertNotIn("a bug in a view", response.content.decode())

    def test_with_the_database_down_the_page_shows_the_number_last_read(self):
        # A first error, while the database answers, shows and remembers the number.
        self.assertContains(self.get_failing(), PHONE_LINK, status_code=500, html=True)

        # Then the database goes away, and the settings are no longer in the cache either: the
        # site's home page fails, and so does the error page's own lookup.
        cache.clear()
        with (
            override_settings(ROOT_URLCONF="settings.urls"),
            connection.execute_wrapper(refuse_every_query),
            self.assertLogs("home.views", "WARNING") as logs,
        ):
            response = self.get_failing("/")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertContains(response, PHONE_LINK, status_code=500, html=True)
        self.assertIn("practice settings unreadable", "\n".join(logs.output))

    def test_with_the_database_down_and_no_number_read_yet_the_page_still_answers(self):
        cache.clear()
        with connection.execute_wrapper(refuse_every_query), self.assertLogs("home.views", "WARNING"):
            response = self.get_failing()
        self.assertContains(response, "<h1>Something went wrong</h1>", status_code=500, html=True)
        self.assertNotContains(response, "tel:", status_code=500)
        self.assertContains(response, "In a medical emergency, call 911.", status_code=500)

    def test_a_broken_error_template_still_gives_an_error_page(self):
        with (
            mock.patch.object(views.loader, "get_template", side_effect=RuntimeError("template broken")),
            self.assertLogs("home.views", "ERROR"),
        ):
            response = self.get_failing()
        self.assertContains(response, "<h1>Something went wrong</h1>", status_code=500, html=True)
        self.assertEqual(response["Cache-Control"], "no-store")


@override_settings(PASSWORD_RESET_RATE_PER_ADDRESS="5/h", PASSWORD_RESET_RATE_PER_EMAIL="3/h")
class PasswordResetThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.emails = [f"editor{n}@example.com" for n in range(8)]
        for n, email in enumerate(cls.emails):
            users.create_user(f"editor{n}", email, "a-long-password")

    def setUp(self):
        # The address editors follow from the sign-in page's "Forgotten password?" link.
        login = self.client.get(reverse("wagtailadmin_login")).content.decode()
        self.reset_url = re.search(r'href="([^"]*password_reset/)"', login)[1]

    def ask(self, email, address="198.51.100.7"):
        return self.client.post(self.reset_url, {"email": email}, REMOTE_ADDR=address)

    def assertPaused(self, response):
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Password reset paused", status_code=429)
        self.assertTrue(0 < int(response["Retry-After"]) <= 3600, response["Retry-After"])
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_the_sixth_request_from_one_address_is_refused_and_sends_nothing(self):
        for email in self.emails[:5]:
            self.assertEqual(self.ask(email).status_code, 302)
        self.assertEqual(len(mail.outbox), 5)

        with self.assertLogs("ops.security", "WARNING") as logs:
            refused = self.ask(self.emails[5])
        self.assertPaused(refused)
        self.assertEqual(len(mail.outbox), 5)
        # Neither the email address nor the client address is written to the log.
        self.assertNotIn("editor5", "\n".join(logs.output))
        self.assertNotIn("198.51.100.7", "\n".join(logs.output))

    def test_other_addresses_are_counted_separately(self):
        for email in self.emails[:6]:
            self.ask(email)
        self.assertEqual(self.ask(self.emails[6], address="203.0.113.9").status_code, 302)
        self.assertEqual(mail.outbox[-1].to, [self.emails[6]])

    def test_one_email_address_is_limited_whatever_address_asks(self):
        for n in range(3):
            self.assertEqual(self.ask(self.emails[0], address=f"203.0.113.{n}").status_code, 302)
        self.assertEqual(len(mail.outbox), 3)

        self.assertPaused(self.ask(self.emails[0], address="203.0.113.50"))
        # Case and surrounding spaces make no new address of it.
        self.assertPaused(self.ask(" Editor0@EXAMPLE.com ", address="203.0.113.51"))
        self.assertEqual(len(mail.outbox), 3)
        # Other editors are not affected.
        self.assertEqual(self.ask(self.emails[1], address="203.0.113.52").status_code, 302)

    def test_unknown_email_addresses_are_counted_too(self):
        # Otherwise the 429 would tell an attacker which addresses belong to an account.
        for n in range(3):
            self.assertEqual(self.ask("nobody@example.com", address=f"203.0.113.{n}").status_code, 302)
        self.assertPaused(self.ask("nobody@example.com", address="203.0.113.9"))
        self.assertEqual(mail.outbox, [])

    def test_the_form_itself_always_opens(self):
        for email in self.emails[:6]:
            self.ask(email)
        self.assertEqual(self.client.get(self.reset_url, REMOTE_ADDR="198.51.100.7").status_code, 200)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_load_balancer_the_limit_applies_to_the_visitor(self):
        def ask_through_balancer(email, visitor):
            return self.client.post(
                self.reset_url, {"email": email}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor
            )

        for email in self.emails[:5]:
            ask_through_balancer(email, "198.51.100.7")
        self.assertPaused(ask_through_balancer(self.emails[5], "198.51.100.7"))
        self.assertEqual(ask_through_balancer(self.emails[6], "203.0.113.9").status_code, 302)
