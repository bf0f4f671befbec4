"""What a patient typed stays private: never in the logs, read only by the front desk, deleted after the
retention period."""

import io
import logging
from datetime import timedelta
from unittest import mock

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DataError, connection
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from appointments.models import AppointmentPage, AppointmentRequest
from home.models import HomePage
from ops.log_filters import WithholdFormData
from tests import factories
from tests.patient import PATIENT, answers, assert_no_patient_traces


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


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
        existing = factories.form_question_rows(self.page)
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
