"""Staff notifications of appointment requests: never lose a request, whatever the mail server does.

The request is stored and the visitor thanked at once; the notification worker
(send_pending_notifications) tells the front desk, without the patient's answers, and retries until it
can.
"""

import contextlib
import io
import threading
from datetime import timedelta
from functools import partial
from unittest import mock

from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from appointments.models import AppointmentPage, AppointmentRequest
from tests import factories
from tests.patient import PATIENT, answers, assert_no_patient_traces
from tests.smtp_servers import ClosedPort, DrippingServer, SilentServer, SmtpSink


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
