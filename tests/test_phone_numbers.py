"""One phone-number convention for the practice's main number and every clinic's: typed any way,
stored and shown as (843) 555-0100, dialled (tel: links) and told to search engines as +18435550100."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from home.models import PracticeSettings
from home.phone import format_phone, normalise_phone
from locations.models import LocationPage
from tests import factories
from tests.jsonld import graph_from, nodes_by_type

INVALID_NUMBER = "Enter a US phone number with its area code, like (843) 555-0100."

phone_migration = importlib.import_module("locations.migrations.0004_phone_stored_formatted")


@pytest.mark.parametrize(
    ("raw", "e164", "shown"),
    [
        ("(843) 555-0100", "+18435550100", "(843) 555-0100"),
        ("843.555.0100", "+18435550100", "(843) 555-0100"),
        ("843 555 0100", "+18435550100", "(843) 555-0100"),
        ("+1 843 555 0100", "+18435550100", "(843) 555-0100"),
        ("+18435550100", "+18435550100", "(843) 555-0100"),
        ("1-843-555-0100", "+18435550100", "(843) 555-0100"),
        ("555-0100", "", ""),
        ("+44 20 7946 0000", "", ""),
        ("", "", ""),
    ],
)
def test_a_number_typed_any_way_is_normalised_and_formatted(raw, e164, shown):
    assert normalise_phone(raw) == e164
    assert format_phone(raw) == shown


def tel_link(element):
    """(href, text) of the tel: link in this part of the page, 911 aside."""
    (link,) = [a for a in element.select('a[href^="tel:"]') if a["href"] != "tel:911"]
    return link["href"], link.get_text(" ", strip=True)


class RenderedPhoneNumberTests(TestCase):
    """Both numbers typed as an editor might, neither in the stored form."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        practice = PracticeSettings.load()
        practice.main_phone = "843.555.0199"
        practice.save()
        cls.clinic = factories.make_clinic(phone="+1 843 555 0142")

    def test_both_numbers_are_stored_as_shown(self):
        self.assertEqual(PracticeSettings.load().main_phone, "(843) 555-0199")
        clinic = LocationPage.objects.get(pk=self.clinic.pk)
        self.assertEqual(clinic.phone, "(843) 555-0142")
        self.assertEqual(clinic.get_latest_revision().content["phone"], "(843) 555-0142")

    def test_the_clinic_page_shows_and_links_both_numbers(self):
        response = self.client.get(self.clinic.url)
        self.assertEqual(response.status_code, 200)
        html = BeautifulSoup(response.content, "html.parser")
        self.assertEqual(tel_link(html.find("main").find("address")), ("tel:+18435550142", "(843) 555-0142"))
        self.assertEqual(tel_link(html.find("header")), ("tel:+18435550199", "Call (843) 555-0199"))
        # The footer gives one clinic's name, address and phone together: the primary clinic's own.
        footer = html.find("footer").find("address")
        self.assertEqual(tel_link(footer), ("tel:+18435550100", "(843) 555-0100"))
        self.assertIn("Charleston Clinic", footer.get_text())

    def test_the_clinic_list_links_each_clinics_own_number(self):
        html = BeautifulSoup(self.client.get("/locations/").content, "html.parser")
        links = [tel_link(address) for address in html.find("main").find_all("address")]
        self.assertEqual(links, [("tel:+18435550100", "(843) 555-0100"), ("tel:+18435550142", "(843) 555-0142")])

    def test_json_ld_gives_both_numbers_in_e164(self):
        graph = graph_from(self.client.get(self.clinic.url))
        (organization,) = nodes_by_type(graph, "MedicalOrganization")
        (clinic,) = nodes_by_type(graph, "MedicalClinic")
        self.assertEqual(organization["telephone"], "+18435550199")
        self.assertEqual(clinic["telephone"], "+18435550142")

    def test_the_clinic_summary_shows_the_number_as_stored(self):
        self.assertTrue(LocationPage.objects.get(pk=self.clinic.pk).get_summary().endswith("Call (843) 555-0142."))


class AdminPhoneNumberTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.admin)

    def post_settings(self, main_phone):
        url = f"/admin/settings/home/practicesettings/{PracticeSettings.load().pk}/"
        form = BeautifulSoup(self.client.get(url).content, "html.parser").select_one("form[method=post]")
        data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
        data.update({area["name"]: area.get_text() for area in form.select("textarea[name]")})
        data["main_phone"] = main_phone
        return self.client.post(url, data)

    def post_clinic(self, phone):
        data = nested_form_data(
            {
                "title": "Summerville Clinic",
                "slug": "summerville",
                "street_address": "1 Main St",
                "city": "Summerville",
                "state": "SC",
                "postal_code": "29483",
                "phone": phone,
                "accepting_new_patients": "on",
                "time_zone": "America/New_York",
                "opening_hours": inline_formset([]),
                "special_hours": inline_formset([]),
                "action-publish": "action-publish",
            }
        )
        parent = factories.location_index()
        return self.client.post(reverse("wagtailadmin_pages:add", args=["locations", "locationpage", parent.pk]), data)

    def field_error(self, response, name):
        error = BeautifulSoup(response.content, "html.parser").select_one(
            f'[data-contentpath="{name}"] [data-field-errors] .error-message'
        )
        return error.get_text(" ", strip=True) if error else None

    def test_the_settings_number_is_saved_formatted(self):
        self.assertEqual(self.post_settings("843 555 0177").status_code, 302)
        self.assertEqual(PracticeSettings.load().main_phone, "(843) 555-0177")

    def test_an_incomplete_settings_number_is_refused_with_an_example(self):
        response = self.post_settings("555-0177")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.field_error(response, "main_phone"), INVALID_NUMBER)
        self.assertEqual(PracticeSettings.load().main_phone, "(843) 555-0100")

    def test_the_clinic_number_is_published_formatted(self):
        response = self.post_clinic("1-843-555-0123")
        self.assertEqual(response.status_code, 302, self.field_error(response, "phone"))
        clinic = LocationPage.objects.get(slug="summerville")
        self.assertEqual(clinic.phone, "(843) 555-0123")
        self.assertEqual(clinic.live_revision.content["phone"], "(843) 555-0123")

    def test_a_foreign_clinic_number_is_refused_with_an_example(self):
        response = self.post_clinic("+44 20 7946 0000")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.field_error(response, "phone"), INVALID_NUMBER)
        self.assertFalse(LocationPage.objects.filter(slug="summerville").exists())


class StoredBeforeTheConventionTests(TestCase):
    """Clinic numbers used to be stored in E.164: the migration converts them, both ways."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.clinic = LocationPage.objects.get(slug="charleston")

    def store_old_style(self):
        LocationPage.objects.filter(pk=self.clinic.pk).update(phone="+18435550100")
        for revision in self.clinic.revisions.all():
            revision.content["phone"] = "+18435550100"
            revision.save(update_fields=["content"])

    def stored(self):
        """The number in the clinic's row, and in each of its revisions."""
        return (
            LocationPage.objects.get(pk=self.clinic.pk).phone,
            {revision.content["phone"] for revision in self.clinic.revisions.all()},
        )

    def test_the_migration_formats_rows_and_revisions_and_reverses(self):
        self.store_old_style()
        phone_migration.forwards(apps, None)
        self.assertEqual(self.stored(), ("(843) 555-0100", {"(843) 555-0100"}))
        phone_migration.backwards(apps, None)
        self.assertEqual(self.stored(), ("+18435550100", {"+18435550100"}))
