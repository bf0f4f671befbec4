"""Appointment requests: the visitor's form, staff notifications, privacy, abuse and retention."""

import contextlib
import email
import io
import logging
import socket
import threading
import time
from datetime import timedelta
from email import policy
from functools import partial
from unittest import mock

from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DataError, connection
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from appointments import spam
from appointments.log_filters import WithholdFormData
from appointments.models import AppointmentFormField, AppointmentPage, AppointmentRequest
from home.models import HomePage
from locations.models import LocationPage
from tests import factories

ACKNOWLEDGEMENT = "i_understand_this_form_is_not_for_emergencies_or_medical_details"
PATIENT = {"name": "Jane Q. Patient", "phone": "843-555-0199", "email": "jane.patient@example.com"}
# Anything the patient typed or chose, in the forms it might be echoed.
PATIENT_TRACES = ["Jane", "Patient", "555-0199", "555-0199", "jane.patient", "Sports injury", "Morning"]


def answers(**overrides):
    """What a person posts after filling in the default form for a minute; None leaves a field out."""
    data = {
        **PATIENT,
        "preferred_clinic": "Charleston Clinic",
        "preferred_time_of_day": "Morning",
        "reason_for_your_visit": "Sports injury",
        ACKNOWLEDGEMENT: "on",
        "form_started": spam.issue_form_token(time.time() - 60),
        "came_from": "",
        "website": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def assert_no_patient_traces(testcase, text):
    for trace in PATIENT_TRACES:
        testcase.assertNotIn(trace, text)


# --- a real mail server, a closed port and a silent one, all on 127.0.0.1:8400-8499 ---------------


def bound_socket():
    """A socket bound to a free port in 8400-8499 and not listening: connecting to it is refused."""
    for port in range(8400, 8500):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        return sock
    raise RuntimeError("No free port in 8400-8499.")


def smtp_settings(port, timeout=5):
    return override_settings(
        EMAIL_BACKEND="home.mail.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=timeout,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    )


class ClosedPort:
    """The mail server is down: nothing listens on the port."""

    def __enter__(self):
        self.socket = bound_socket()
        self.settings = smtp_settings(self.socket.getsockname()[1])
        self.settings.enable()
        return self

    def __exit__(self, *exc_info):
        self.settings.disable()
        self.socket.close()


class SilentServer(ClosedPort):
    """The mail server accepts the connection and never answers, so the client times out."""

    def __init__(self, timeout=0.5):
        self.timeout = timeout

    def __enter__(self):
        self.socket = bound_socket()
        self.socket.listen(1)
        self.settings = smtp_settings(self.socket.getsockname()[1], timeout=self.timeout)
        self.settings.enable()
        return self

    def was_contacted(self):
        """Whether anybody connected (the kernel completes connections before they are accepted)."""
        self.socket.setblocking(False)
        try:
            connection, _ = self.socket.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True


class DrippingServer(ClosedPort):
    """The mail server answers one byte every tenth of a second and never finishes its greeting, so
    no single read ever times out."""

    def __enter__(self):
        self.socket = bound_socket()
        self.socket.listen(4)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.drip, daemon=True)
        self.thread.start()
        self.settings = smtp_settings(self.socket.getsockname()[1], timeout=1)
        self.settings.enable()
        return self

    def drip(self):
        self.socket.settimeout(0.1)
        clients = []
        while not self.stopped.is_set():
            try:
                clients.append(self.socket.accept()[0])
            except OSError:
                pass
            for client in list(clients):
                try:
                    client.sendall(b"2")
                except OSError:
                    clients.remove(client)
        for client in clients:
            client.close()

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()
        super().__exit__(*exc_info)


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message, or refuses every recipient."""

    def __init__(self, refuse_recipients=False):
        self.refuse_recipients = refuse_recipients
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return "550 5.7.1 Recipient refused"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def __enter__(self):
        placeholder = bound_socket()
        port = placeholder.getsockname()[1]
        placeholder.close()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.settings = smtp_settings(port)
        self.settings.enable()
        return self

    def __exit__(self, *exc_info):
        self.settings.disable()
        self.controller.stop()


def seen_from_another_connection(request_id):
    """Whether the request is committed: a second database connection (another thread) can read it."""
    seen = {}

    def look():
        try:
            seen["exists"] = AppointmentRequest.objects.filter(pk=request_id).exists()
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen["exists"]


def run_together(tasks):
    """Start the callables at the same moment, each in its own thread (so its own database connection).

    Returns their results in order and any exceptions they raised.
    """
    barrier = threading.Barrier(len(tasks))
    results, errors = [None] * len(tasks), []

    def run(index, task):
        try:
            barrier.wait()
            results[index] = task()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, task)) for index, task in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def post_as_visitor(number):
    """One visitor, from an address of their own, sends the form; returns the response status."""
    client = Client(REMOTE_ADDR=f"198.51.100.{number + 1}")
    return client.post("/contact/", answers(name=f"Visitor {number}")).status_code


# --- the visitor's side --------------------------------------------------------------------------


# These tests post more often than the per-address limit allows; SpamAndAbuseTests test the limit.
@override_settings(FORM_RATE_LIMIT="")
class AppointmentFormPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.page = AppointmentPage.objects.get(slug="contact")

    def test_page_lives_under_home_and_has_no_children(self):
        self.assertCanCreateAt(HomePage, AppointmentPage)
        self.assertAllowedParentPageTypes(AppointmentPage, {HomePage})
        self.assertAllowedSubpageTypes(AppointmentPage, set())

    def test_contact_page_shows_the_default_questions_with_autofill_hints(self):
        response = self.client.get("/contact/")
        self.assertEqual(response.status_code, 200)
        page = soup(response)
        form = page.select_one("form.appointment-form")
        labels = [label.get_text(" ", strip=True) for label in form.select("label")]
        legends = [legend.get_text(" ", strip=True) for legend in form.select("legend")]
        self.assertEqual(labels[:3], ["Name", "Phone", "Email (optional)"])
        self.assertIn("Preferred clinic", labels)
        self.assertEqual(legends, ["Preferred time of day", "Reason for your visit"])
        self.assertIn("I understand this form is not for emergencies or medical details", labels)

        self.assertEqual(form.select_one("#id_name")["autocomplete"], "name")
        phone = form.select_one("#id_phone")
        self.assertEqual((phone["type"], phone["autocomplete"], phone["inputmode"]), ("tel", "tel", "tel"))
        self.assertEqual(
            (form.select_one("#id_email")["type"], form.select_one("#id_email")["autocomplete"]), ("email",) * 2
        )
        self.assertEqual(form.select_one("#id_phone")["aria-describedby"], "id_phone_helptext")
        self.assertEqual(
            [option.get_text() for option in form.select("#id_preferred_clinic option")], ["Charleston Clinic"]
        )
        self.assertEqual(
            [radio["value"] for radio in form.select("input[name=reason_for_your_visit]")],
            ["Back pain or sciatica", "Sports injury", "Joint pain", "Other"],
        )
        self.assertTrue(form.select_one("input[name=preferred_time_of_day][value='No preference']").has_attr("checked"))
        # Nothing that invites medical details, dates of birth, insurance numbers or files.
        self.assertIsNone(form.select_one("textarea, input[type=file], input[type=date]"))
        self.assertEqual(form["method"], "post")

    def test_form_page_is_never_cached_and_says_what_it_is_for(self):
        response = self.client.get("/contact/")
        self.assertIn("no-store", response["Cache-Control"])
        notice = soup(response).select_one(".notice").get_text(" ", strip=True)
        self.assertIn("In a medical emergency, call 911.", notice)
        self.assertIn("(843) 555-0100", notice)
        self.assertContains(response, f'<meta name="description" content="{self.page.intro}">', html=True)

    def test_happy_path_stores_the_request_tells_the_front_desk_and_thanks_the_visitor(self):
        response = self.client.post("/contact/", answers())
        self.assertRedirects(response, "/contact/thanks/", status_code=303)
        # Nothing is sent while the patient waits: the notification worker sends it.
        self.assertEqual(mail.outbox, [])
        self.assertIsNone(AppointmentRequest.objects.get().notified_at)
        call_command("send_pending_notifications", stdout=io.StringIO())

        stored = AppointmentRequest.objects.get()
        self.assertEqual(
            stored.form_data,
            {
                "name": "Jane Q. Patient",
                "phone": "(843) 555-0199",
                "email": "jane.patient@example.com",
                "preferred_clinic": "Charleston Clinic",
                "preferred_time_of_day": "Morning",
                "reason_for_your_visit": "Sports injury",
                ACKNOWLEDGEMENT: True,
            },
        )
        self.assertEqual((stored.page_id, stored.clinic), (self.page.pk, "Charleston Clinic"))
        self.assertIsNotNone(stored.notified_at)

        [message] = mail.outbox
        self.assertEqual(message.to, ["front-desk@scsportsmed.example"])
        self.assertEqual(message.subject, "New appointment request (Charleston Clinic)")
        self.assertIn("Clinic: Charleston Clinic", message.body)
        self.assertIn(f"http://testserver/admin/forms/submissions/{self.page.pk}/", message.body)
        assert_no_patient_traces(self, message.subject + message.body)

        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "<h1>Thank you: your request has been sent</h1>", html=True)
        self.assertContains(thanks, "Our front desk will call you within one working day")
        self.assertContains(thanks, '<a href="tel:+18435550100">(843) 555-0100</a>', html=True)
        self.assertEqual(thanks["X-Robots-Tag"], "noindex")
        assert_no_patient_traces(self, thanks.content.decode())

    def test_refreshing_the_thank_you_page_sends_nothing_again(self):
        response = self.client.post("/contact/", answers(), follow=True)
        self.assertEqual(response.redirect_chain, [("/contact/thanks/", 303)])
        for _ in range(2):
            self.assertEqual(self.client.get("/contact/thanks/").status_code, 200)
        self.assertEqual(AppointmentRequest.objects.count(), 1)

    def test_the_page_the_visitor_came_from_is_recorded(self):
        for reference in (str(self.seed.pk), self.seed.url, "/conditions/sciatica-back-spasms"):
            with self.subTest(reference=reference):
                response = self.client.get("/contact/", {"from": reference})
                self.assertEqual(soup(response).select_one("input[name=came_from]")["value"], str(self.seed.pk))
        response = self.client.get("/contact/", HTTP_REFERER=f"http://testserver{self.seed.url}")
        self.assertEqual(soup(response).select_one("input[name=came_from]")["value"], str(self.seed.pk))

        self.client.post("/contact/", answers(came_from=str(self.seed.pk)))
        stored = AppointmentRequest.objects.get()
        self.assertEqual((stored.source_page_id, stored.source_title), (self.seed.pk, "Sciatica / Back Spasms"))
        self.assertEqual(stored.get_data()["came_from"], "Sciatica / Back Spasms")

    def test_unknown_or_foreign_origins_are_ignored(self):
        for params, referrer in (
            ({"from": "<script>alert(1)</script>"}, ""),
            ({"from": "999999999"}, ""),
            ({"from": "/no/such/page/"}, ""),
            ({}, "https://elsewhere.example/conditions/sciatica-back-spasms/"),
        ):
            with self.subTest(params=params, referrer=referrer):
                response = self.client.get("/contact/", params, HTTP_REFERER=referrer)
                self.assertEqual(soup(response).select_one("input[name=came_from]").get("value", ""), "")
                self.assertNotContains(response, "alert(1)")
        self.client.post("/contact/", answers(came_from="not a page"))
        self.client.post("/contact/", answers(came_from="999999999999999999999999"))
        self.assertEqual(
            list(AppointmentRequest.objects.values_list("source_page_id", "source_title")), [(None, "")] * 2
        )

    def test_every_validation_error_is_explained_next_to_its_field_and_in_the_summary(self):
        cases = [
            ("name", {"name": ""}, "id_name", "Fill in “Name”."),
            ("phone", {"phone": ""}, "id_phone", "Fill in “Phone”."),
            ("phone", {"phone": "555-01"}, "id_phone", "Enter a phone number with its area code, like (843) 555-0100."),
            ("email", {"email": "jane@"}, "id_email", "Enter a valid email address."),
            (
                "preferred_clinic",
                {"preferred_clinic": ""},
                "id_preferred_clinic",
                "Choose an answer for “Preferred clinic”.",
            ),
            (
                "preferred_clinic",
                {"preferred_clinic": "Mars Clinic"},
                "id_preferred_clinic",
                "Choose one of the answers listed for “Preferred clinic”.",
            ),
            (
                "preferred_time_of_day",
                {"preferred_time_of_day": None},
                "id_preferred_time_of_day_0",
                "Choose an answer for “Preferred time of day”.",
            ),
            (
                "reason_for_your_visit",
                {"reason_for_your_visit": None},
                "id_reason_for_your_visit_0",
                "Choose an answer for “Reason for your visit”.",
            ),
            (
                "reason_for_your_visit",
                {"reason_for_your_visit": "Chest pain"},
                "id_reason_for_your_visit_0",
                "Choose one of the answers listed for “Reason for your visit”.",
            ),
            (
                ACKNOWLEDGEMENT,
                {ACKNOWLEDGEMENT: None},
                f"id_{ACKNOWLEDGEMENT}",
                "Tick “I understand this form is not for emergencies or medical details” to send your request.",
            ),
            ("name", {"name": "Jane\x00Patient"}, "id_name", "Null characters are not allowed."),
            ("name", {"name": "J" * 256}, "id_name", "Ensure this value has at most 255 characters (it has 256)."),
        ]
        for field, overrides, anchor, message in cases:
            with self.subTest(field=field, overrides=overrides):
                response = self.client.post("/contact/", answers(**overrides))
                self.assertEqual(response.status_code, 200)
                page = soup(response)
                summary = page.select_one(".error-summary")
                self.assertEqual(
                    [(link["href"], link.get_text()) for link in summary.select("a")], [(f"#{anchor}", message)]
                )
                self.assertTrue(summary.has_attr("autofocus"))
                error = page.select_one(f"#id_{field}_error")
                self.assertEqual(error.get_text(" ", strip=True), f"Error: {message}")
                target = page.select_one(f"#{anchor}")
                self.assertEqual(target["aria-invalid"], "true")
                # Radio buttons are described through their fieldset, other inputs directly.
                described = target.find_parent("fieldset") or target
                self.assertIn(f"id_{field}_error", described["aria-describedby"].split())
                # What was typed is kept.
                if field != "email":
                    self.assertEqual(page.select_one("#id_email")["value"], PATIENT["email"])
                if field != "name":
                    self.assertEqual(page.select_one("#id_name")["value"], PATIENT["name"])
        self.assertFalse(AppointmentRequest.objects.exists())

    def test_a_form_without_a_valid_start_time_comes_back_once_with_the_answers_kept(self):
        for started in (None, "forged", spam.issue_form_token(time.time() - spam.MAX_FORM_AGE_SECONDS - 60)):
            with self.subTest(started=started):
                response = self.client.post("/contact/", answers(form_started=started))
                self.assertEqual(response.status_code, 200)
                page = soup(response)
                self.assertIn("the form had been open for a long time", page.select_one(".error-summary").get_text())
                self.assertEqual(page.select_one("#id_name")["value"], PATIENT["name"])
                fresh = page.select_one("input[name=form_started]")["value"]
                self.assertIsNotNone(spam.form_token_age(fresh))
        self.assertFalse(AppointmentRequest.objects.exists())

    def test_editors_preview_the_form_and_the_thank_you_page(self):
        form = self.page.make_preview_request(preview_mode="form")
        self.assertContains(form, '<label for="id_name">Name</label>', html=True)
        landing = self.page.make_preview_request(preview_mode="landing")
        self.assertContains(landing, "<h1>Thank you: your request has been sent</h1>", html=True)

    def test_without_a_published_clinic_the_form_still_sends(self):
        LocationPage.objects.get().unpublish()
        page = soup(self.client.get("/contact/"))
        self.assertIsNone(page.select_one("#id_preferred_clinic[required], select"))
        response = self.client.post("/contact/", answers(preferred_clinic=None))
        self.assertRedirects(response, "/contact/thanks/", status_code=303)
        self.assertEqual(AppointmentRequest.objects.get().clinic, "")

    def test_tampered_hidden_fields_never_block_a_request(self):
        response = self.client.post("/contact/", answers(came_from="\x00" + "9" * 5000, website=""))
        self.assertRedirects(response, "/contact/thanks/", status_code=303)
        self.assertIsNone(AppointmentRequest.objects.get().source_page)

    def test_an_editor_cannot_give_a_field_a_name_the_form_uses_itself(self):
        field = AppointmentFormField(page=self.page, label="Website", field_type="url")
        with self.assertRaises(ValidationError) as raised:
            field.clean()
        self.assertIn("label", raised.exception.message_dict)


# --- spam and abuse ----------------------------------------------------------------------------


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
            mock.patch("home.security.cache.add", side_effect=ConnectionError("cache down")),
            self.assertLogs("home.security", "WARNING") as logs,
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


# --- never lose a request ----------------------------------------------------------------------


class NotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.page = AppointmentPage.objects.get(slug="contact")

    def post(self, **overrides):
        """The patient sends the form, then the notification worker makes one pass."""
        response = self.client.post("/contact/", answers(**overrides))
        with contextlib.suppress(CommandError):
            call_command("send_pending_notifications", stdout=io.StringIO(), stderr=io.StringIO())
        return response

    def assert_stored_and_pending(self, response, error):
        self.assertRedirects(response, "/contact/thanks/", status_code=303)
        stored = AppointmentRequest.objects.get()
        self.assertEqual(stored.form_data["name"], PATIENT["name"])
        self.assertIsNone(stored.notified_at)
        self.assertEqual((stored.notification_attempts, stored.last_notification_error), (1, error))
        return stored

    def test_mail_server_down_the_request_is_kept_and_the_visitor_thanked(self):
        with ClosedPort(), self.assertLogs("appointments.notifications", "WARNING") as logs:
            response = self.post()
        stored = self.assert_stored_and_pending(response, "ConnectionRefusedError")
        self.assertEqual(
            logs.output,
            [
                f"WARNING:appointments.notifications:Appointment request {stored.pk}: staff notification "
                "not sent (ConnectionRefusedError); it stays pending."
            ],
        )
        self.assertContains(self.client.get(response["Location"]), "your request has been sent")

    def test_mail_server_timing_out_leaves_the_notification_pending(self):
        with SilentServer():
            response = self.post()
        # smtplib reports the timeout as a lost connection.
        self.assert_stored_and_pending(response, "SMTPServerDisconnected")

    def test_mail_server_refusing_the_recipient_leaves_the_notification_pending(self):
        with SmtpSink(refuse_recipients=True):
            response = self.post()
        self.assert_stored_and_pending(response, "SMTPRecipientsRefused")

    @override_settings(APPOINTMENT_NOTIFICATION_TO=[])
    def test_nobody_to_tell_leaves_the_notification_pending(self):
        AppointmentPage.objects.filter(pk=self.page.pk).update(to_address="")
        self.assert_stored_and_pending(self.post(), "NoRecipients")

    @override_settings(APPOINTMENT_NOTIFICATION_TO=["desk@scsportsmed.example", "manager@scsportsmed.example"])
    def test_without_a_page_address_the_settings_say_who_is_told(self):
        AppointmentPage.objects.filter(pk=self.page.pk).update(to_address="")
        self.post()
        self.assertEqual(mail.outbox[0].to, ["desk@scsportsmed.example", "manager@scsportsmed.example"])

    def test_pending_notifications_are_delivered_by_the_command_once_and_without_answers(self):
        with ClosedPort():
            self.post()
            self.post(name="John Roe", preferred_clinic="Charleston Clinic")
            with self.assertRaisesMessage(CommandError, "2 notifications were not sent and stay pending"):
                call_command("send_pending_notifications", stdout=io.StringIO())
        self.assertEqual(AppointmentRequest.objects.filter(notified_at__isnull=True).count(), 2)

        with SmtpSink() as sink:
            output = io.StringIO()
            call_command("send_pending_notifications", stdout=output)
            self.assertEqual(output.getvalue(), "Sent 2 notifications.\n")
            call_command("send_pending_notifications", stdout=io.StringIO())
        self.assertEqual(len(sink.messages), 2)
        self.assertFalse(AppointmentRequest.objects.filter(notified_at__isnull=True).exists())

        first = sink.messages[0]
        self.assertEqual(first["To"], "front-desk@scsportsmed.example")
        self.assertEqual(first["Subject"], "New appointment request (Charleston Clinic)")
        body = first.get_content()
        self.assertIn("Clinic: Charleston Clinic", body)
        self.assertIn(f"http://testserver/admin/forms/submissions/{self.page.pk}/", body)
        for message in sink.messages:
            assert_no_patient_traces(self, message.as_string())
            self.assertNotIn("John", message.as_string())

    @override_settings(EMAIL_SEND_DEADLINE=1)
    def test_a_mail_server_that_drips_its_answer_is_cut_off_and_the_notification_retried(self):
        self.client.post("/contact/", answers())
        with DrippingServer(), self.assertRaisesMessage(CommandError, "1 notification was not sent and stays pending"):
            call_command("send_pending_notifications", stdout=io.StringIO())
        stored = AppointmentRequest.objects.get()
        self.assertIsNone(stored.notified_at)
        # The claim is released at once: the next run sends it.
        self.assertIsNone(stored.notification_claimed_at)
        self.assertEqual(stored.notification_attempts, 1)
        with SmtpSink() as sink:
            call_command("send_pending_notifications", stdout=io.StringIO())
        self.assertEqual(len(sink.messages), 1)

    def test_a_claim_held_past_the_send_deadline_is_reported_until_the_notification_is_sent(self):
        with ClosedPort():
            self.post()
        stored = AppointmentRequest.objects.get()
        # A sender claimed it a minute ago and died without finishing.
        AppointmentRequest.objects.filter(pk=stored.pk).update(
            notification_claimed_at=timezone.now() - timedelta(minutes=1)
        )
        with SmtpSink() as sink:
            with self.assertRaisesMessage(CommandError, "1 notification is held by a sender that has not finished"):
                call_command("send_pending_notifications", stdout=io.StringIO())
            self.assertEqual(sink.messages, [])
            AppointmentRequest.objects.filter(pk=stored.pk).update(
                notification_claimed_at=timezone.now() - timedelta(minutes=5)
            )
            call_command("send_pending_notifications", stdout=io.StringIO())
        self.assertEqual(len(sink.messages), 1)

    def test_a_notification_being_sent_elsewhere_is_left_alone_until_its_claim_expires(self):
        with ClosedPort():
            self.post()
        stored = AppointmentRequest.objects.get()
        AppointmentRequest.objects.filter(pk=stored.pk).update(notification_claimed_at=timezone.now())
        with SmtpSink() as sink:
            call_command("send_pending_notifications", stdout=io.StringIO())
            self.assertEqual(sink.messages, [])
            AppointmentRequest.objects.filter(pk=stored.pk).update(
                notification_claimed_at=timezone.now() - timedelta(hours=1)
            )
            call_command("send_pending_notifications", stdout=io.StringIO())
        self.assertEqual(len(sink.messages), 1)


class TransactionalNotificationTests(TransactionTestCase):
    """Real commits: the email goes out after the request is committed, with or without ATOMIC_REQUESTS."""

    serialized_rollback = True

    def setUp(self):
        factories.load_demo_site()

    def atomic_requests(self, enabled):
        return mock.patch.dict(connection.settings_dict, {"ATOMIC_REQUESTS": enabled})

    def test_the_request_is_stored_and_answered_without_waiting_for_the_mail_server(self):
        for atomic in (False, True):
            with self.subTest(ATOMIC_REQUESTS=atomic), self.atomic_requests(atomic):
                AppointmentRequest.objects.all().delete()
                # A mail server that accepts connections and never answers.
                with SilentServer(timeout=30) as server:
                    response = Client().post("/contact/", answers())
                    self.assertEqual(response.status_code, 303)
                    self.assertFalse(server.was_contacted())
                stored = AppointmentRequest.objects.get()
                self.assertTrue(seen_from_another_connection(stored.pk))
                self.assertIsNone(stored.notified_at)

                with SmtpSink() as sink:
                    call_command("send_pending_notifications", stdout=io.StringIO())
                self.assertEqual(len(sink.messages), 1)
                self.assertIsNotNone(AppointmentRequest.objects.get().notified_at)

    def test_parallel_posts_are_all_stored_and_all_notified(self):
        visitors = 10
        for atomic in (False, True):
            with self.subTest(ATOMIC_REQUESTS=atomic), self.atomic_requests(atomic):
                AppointmentRequest.objects.all().delete()
                mail.outbox = []
                statuses, errors = run_together([partial(post_as_visitor, number) for number in range(visitors)])
                self.assertEqual(errors, [])
                self.assertEqual(statuses, [303] * visitors)
                self.assertEqual(
                    sorted(AppointmentRequest.objects.values_list("form_data__name", flat=True)),
                    sorted(f"Visitor {number}" for number in range(visitors)),
                )
                self.assertEqual(mail.outbox, [])
                call_command("send_pending_notifications", stdout=io.StringIO())
                self.assertEqual(len(mail.outbox), visitors)
                self.assertFalse(AppointmentRequest.objects.filter(notified_at__isnull=True).exists())

    def test_commands_running_at_the_same_time_send_each_notification_once(self):
        with ClosedPort():
            for number in range(6):
                post_as_visitor(number)
        self.assertEqual(AppointmentRequest.objects.filter(notified_at__isnull=True).count(), 6)

        with SmtpSink() as sink:
            _, errors = run_together([partial(call_command, "send_pending_notifications", stdout=io.StringIO())] * 3)
        self.assertEqual(errors, [])
        self.assertEqual(len(sink.messages), 6)
        self.assertFalse(AppointmentRequest.objects.filter(notified_at__isnull=True).exists())


# --- never leak what a patient typed -------------------------------------------------------------


class LoggingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def console_output(self):
        """Swap the console handler's stream for a buffer: what an operator would read."""
        handler = next(
            handler
            for handler in logging.getLogger("django").handlers
            if isinstance(handler, logging.StreamHandler)
            and any(isinstance(log_filter, WithholdFormData) for log_filter in handler.filters)
        )
        buffer = io.StringIO()
        previous = handler.setStream(buffer)
        self.addCleanup(handler.setStream, previous)
        return buffer

    @override_settings(ADMINS=[("Operations", "ops@scsportsmed.example")])
    def test_a_database_error_is_logged_and_reported_without_the_answers(self):
        console = self.console_output()
        failure = DataError(
            "value too long for type character varying(255)\n"
            "DETAIL: Failing row contains (Jane Q. Patient, (843) 555-0199, jane.patient@example.com)."
        )
        with mock.patch.object(AppointmentRequest.objects, "create", side_effect=failure):
            response = self.client.post("/contact/", answers())
        # The patient keeps their answers and is told to send again or call.
        self.assertContains(response, "Your request has not been sent yet", status_code=503)
        self.assertContains(response, '<a href="tel:+18435550100">(843) 555-0100</a>', html=True, status_code=503)
        self.assertEqual(soup(response).select_one("input[name=name]")["value"], PATIENT["name"])

        logged = console.getvalue()
        self.assertIn("Appointment form: a request could not be stored", logged)
        self.assertIn("django.db.utils.DataError: (message withheld", logged)
        self.assertIn("in process_form_submission", logged)
        assert_no_patient_traces(self, logged)

        # The administrators hear of it (Django reports every 5xx) without the answers.
        [report] = mail.outbox
        self.assertEqual(report.to, ["ops@scsportsmed.example"])
        self.assertIn("Service Unavailable: /contact/", report.subject)
        assert_no_patient_traces(self, report.subject + report.body)
        for alternative, _ in report.alternatives:
            assert_no_patient_traces(self, alternative)

    def test_sql_debug_logging_during_a_post_withholds_the_parameters(self):
        console = self.console_output()
        sql_logger = logging.getLogger("django.db.backends")
        with (
            mock.patch.object(sql_logger, "level", logging.DEBUG),
            mock.patch.object(connection, "force_debug_cursor", True),
        ):
            self.client.post("/contact/", answers())
        self.assertIn("(database query withheld: its parameters may be form data)", console.getvalue())
        assert_no_patient_traces(self, console.getvalue())


# --- who may read the requests -------------------------------------------------------------------


class PermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.page = AppointmentPage.objects.get(slug="contact")
        AppointmentRequest.objects.create(page=cls.page, form_data={**PATIENT, "preferred_clinic": "Charleston Clinic"})
        User = get_user_model()

        cls.front_desk = User.objects.create_user("desk", "desk@scsportsmed.example", "pw")
        cls.front_desk.groups.add(Group.objects.get(name="Front desk"))

        marketing = Group.objects.create(name="Marketing")
        marketing.permissions.add(Permission.objects.get(codename="access_admin"))
        for permission_type in ("add", "change", "publish"):
            GroupPagePermission.objects.create(
                group=marketing, page=HomePage.objects.get(), permission_type=permission_type
            )
        cls.marketing_editor = User.objects.create_user("marketing", "marketing@scsportsmed.example", "pw")
        cls.marketing_editor.groups.add(marketing)

        cls.wagtail_editor = User.objects.create_user("editor", "editor@scsportsmed.example", "pw")
        cls.wagtail_editor.groups.add(Group.objects.get(name="Editors"))

        cls.superuser = User.objects.create_superuser("admin", "admin@scsportsmed.example", "pw")
        cls.submissions_url = f"/admin/forms/submissions/{cls.page.pk}/"

    def sidebar_urls(self, response):
        return soup(response).select_one("#wagtail-sidebar-props").get_text()

    def assert_refused(self, response):
        """Wagtail's admin answers a refusal by sending the user back to the dashboard with a message."""
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        dashboard = self.client.get("/admin/")
        self.assertContains(dashboard, "Sorry, you do not have permission to access this area.")
        self.assertNotContains(dashboard, "Jane")

    def test_front_desk_reads_exports_and_deletes_requests_but_cannot_edit_pages(self):
        self.client.force_login(self.front_desk)
        dashboard = self.client.get("/admin/")
        self.assertIn('"/admin/appointment-requests/"', self.sidebar_urls(dashboard))
        self.assertNotIn('"/admin/forms/"', self.sidebar_urls(dashboard))

        index = self.client.get("/admin/appointment-requests/")
        self.assertContains(index, "Request an Appointment")
        self.assertContains(index, self.submissions_url)

        listing = self.client.get(self.submissions_url)
        self.assertContains(listing, "Jane Q. Patient")
        self.assertContains(listing, "Came from")

        export = self.client.get(self.submissions_url, {"export": "csv"})
        self.assertEqual(export.status_code, 200)
        self.assertIn("Jane Q. Patient", b"".join(export.streaming_content).decode())

        self.assert_refused(self.client.get(f"/admin/pages/{self.page.pk}/edit/"))

        request_id = AppointmentRequest.objects.get().pk
        delete_url = f"{self.submissions_url}delete/?selected-submissions={request_id}"
        self.assertRedirects(self.client.post(delete_url), self.submissions_url)
        self.assertFalse(AppointmentRequest.objects.exists())

    def test_editors_edit_the_form_page_but_cannot_read_requests(self):
        for editor in (self.marketing_editor, self.wagtail_editor):
            with self.subTest(editor=editor.username):
                self.client.force_login(editor)
                edit = self.client.get(f"/admin/pages/{self.page.pk}/edit/")
                self.assertContains(edit, "Preferred clinic")
                self.assertContains(edit, "Questions on the form")

                dashboard = self.client.get("/admin/")
                self.assertNotIn('"/admin/appointment-requests/"', self.sidebar_urls(dashboard))
                self.assertNotContains(self.client.get("/admin/forms/"), self.submissions_url)
                for url in ("/admin/appointment-requests/", self.submissions_url, f"{self.submissions_url}?export=csv"):
                    self.assert_refused(self.client.get(url))
                request_id = AppointmentRequest.objects.get().pk
                self.assert_refused(
                    self.client.post(f"{self.submissions_url}delete/?selected-submissions={request_id}")
                )
                self.assertTrue(AppointmentRequest.objects.exists())

    def test_editors_change_the_questions_in_the_page_editor(self):
        self.client.force_login(self.marketing_editor)
        existing = [
            {
                "id": field.pk,
                "label": field.label,
                "help_text": field.help_text,
                "required": "on" if field.required else "",
                "field_type": field.field_type,
                "choices": field.choices,
                "default_value": field.default_value,
                "autocomplete": field.autocomplete,
                "ORDER": str(order),
            }
            for order, field in enumerate(self.page.form_fields.all())
        ]
        added = {"label": "Best day to call", "field_type": "singleline", "required": "", "ORDER": str(len(existing))}
        data = nested_form_data(
            {
                "title": self.page.title,
                "slug": self.page.slug,
                "intro": self.page.intro,
                "form_fields": inline_formset([*existing, added], initial=len(existing)),
                "thank_you_text": rich_text(self.page.thank_you_text),
                "to_address": self.page.to_address,
                "show_in_menus": "on",
                "action-publish": "publish",
            }
        )
        response = self.client.post(f"/admin/pages/{self.page.pk}/edit/", data)
        self.assertRedirects(response, f"/admin/pages/{self.page.get_parent().pk}/", fetch_redirect_response=False)
        self.assertContains(self.client.get("/contact/"), "Best day to call (optional)")

    def test_superusers_read_requests(self):
        self.client.force_login(self.superuser)
        self.assertContains(self.client.get(self.submissions_url), "Jane Q. Patient")
        self.assertContains(self.client.get("/admin/forms/"), "Request an Appointment")

    def test_visitors_are_sent_to_sign_in(self):
        response = self.client.get(self.submissions_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_the_form_page_is_not_deleted_while_it_holds_requests(self):
        self.client.force_login(self.superuser)
        response = self.client.post(f"/admin/pages/{self.page.pk}/delete/", follow=True)
        self.assertContains(response, "Not deleted: 1 appointment request is still stored under this page.")
        self.assertTrue(Page.objects.filter(pk=self.page.pk).exists())


# --- retention -----------------------------------------------------------------------------------


class PurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.page = AppointmentPage.objects.get(slug="contact")

    def make_requests(self, *ages_in_days):
        now = timezone.now()
        for age in ages_in_days:
            stored = AppointmentRequest.objects.create(page=self.page, form_data={"name": f"{age} days"})
            AppointmentRequest.objects.filter(pk=stored.pk).update(submit_time=now - timedelta(days=age))

    def remaining(self):
        return sorted(AppointmentRequest.objects.values_list("form_data__name", flat=True))

    def test_purge_deletes_what_is_older_than_the_given_days(self):
        self.make_requests(1, 29, 31, 200)
        other_form = FormSubmission.objects.create(page=factories.home_page(), form_data={})
        FormSubmission.objects.filter(pk=other_form.pk).update(submit_time=timezone.now() - timedelta(days=40))
        output = io.StringIO()
        call_command("purge_form_submissions", "--older-than", "30", stdout=output)
        self.assertEqual(output.getvalue(), "Deleted 3 submissions older than 30 days.\n")
        self.assertEqual(self.remaining(), ["1 days", "29 days"])
        self.assertFalse(FormSubmission.objects.exists())

    @override_settings(FORM_SUBMISSION_RETENTION_DAYS=90)
    def test_default_retention_comes_from_settings(self):
        self.make_requests(89, 91)
        call_command("purge_form_submissions", stdout=io.StringIO())
        self.assertEqual(self.remaining(), ["89 days"])

    def test_dry_run_deletes_nothing(self):
        self.make_requests(100)
        output = io.StringIO()
        call_command("purge_form_submissions", "--older-than", "90", "--dry-run", stdout=output)
        self.assertEqual(output.getvalue(), "Would delete 1 submission older than 90 days.\n")
        self.assertEqual(self.remaining(), ["100 days"])

    def test_negative_days_are_refused(self):
        with self.assertRaisesMessage(CommandError, "--older-than must be zero or more days."):
            call_command("purge_form_submissions", "--older-than", "-1")
