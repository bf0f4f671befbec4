"""The appointment form as a visitor meets it: the questions, sending a request, the thank-you page and
every error message."""

import io
import time

from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from wagtail.test.utils import WagtailPageTestCase

from appointments import spam
from appointments.models import AppointmentFormField, AppointmentPage, AppointmentRequest
from home.models import HomePage
from locations.models import LocationPage
from tests import factories
from tests.patient import ACKNOWLEDGEMENT, PATIENT, answers, assert_no_patient_traces


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


# These tests post more often than the per-address limit allows; test_appointment_spam.py tests the limit.
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
                "preferred_physician": "",
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
            (
                "phone",
                {"phone": "555-01"},
                "id_phone",
                "Enter a US phone number with its area code, like (843) 555-0100.",
            ),
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
        self.assertIsNone(page.select_one("#id_preferred_clinic[required], select#id_preferred_clinic"))
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
