"""Google Business Profile in step: the clinics as its bulk-upload spreadsheet, and what an export
of the profiles says differently from the clinic pages."""

import csv
import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from locations.business_profile import COLUMNS
from locations.models import SpecialHours
from tests import factories


def spreadsheet(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def upload(rows):
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("export.csv", output.getvalue().encode(), content_type="text/csv")


class BusinessProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.clinic = factories.launch_demo_clinic()
        SpecialHours.objects.create(
            location=cls.clinic,
            name="Christmas",
            start_date=datetime.date(2099, 12, 24),
            end_date=datetime.date(2099, 12, 25),
            closed=True,
        )
        cls.editor = get_user_model().objects.create_user("marketing", "m@example.com", "pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def setUp(self):
        self.client.force_login(self.editor)

    def export(self):
        response = self.client.get(reverse("business_profile_export"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        return spreadsheet(response)

    def test_the_export_is_the_bulk_upload_spreadsheet_of_the_clinics(self):
        [row] = self.export()
        self.assertEqual(list(row), COLUMNS)
        self.assertEqual(row["Store code"], "charleston")
        self.assertEqual(row["Business name"], "SC Sports Medicine – Charleston Clinic")
        self.assertEqual(
            (row["Address line 1"], row["Locality"], row["Administrative area"], row["Postal code"]),
            ("96 Jonathan Lucas Street", "Charleston", "SC", "29401"),
        )
        self.assertEqual(row["Primary phone"], "(843) 555-0100")
        self.assertEqual(row["Website"], "http://testserver/locations/charleston/")
        self.assertEqual(row["Monday hours"], "08:00-12:00,13:00-17:00")
        self.assertEqual(row["Sunday hours"], "x")
        self.assertEqual(row["Special hours"], "2099-12-24: x, 2099-12-25: x")

    def test_a_clinic_with_demo_data_is_left_out(self):
        factories.publish_change(self.clinic, is_placeholder=True)
        self.assertEqual(self.export(), [])

    def test_the_comparison_lists_what_the_profiles_say_differently(self):
        [row] = self.export()
        row.update({"Primary phone": "+1 843-555-0100", "Monday hours": "08:00-17:00"})
        stray = {**row, "Store code": "old-office", "Business name": "Old office"}
        response = self.client.post(reverse("business_profile"), {"export": upload([row, stray])})
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "<td>Monday hours</td><td>08:00-12:00,13:00-17:00</td><td>08:00-17:00</td>", html=True
        )
        self.assertNotContains(response, "<td>Primary phone</td>", html=True)  # the same number, written otherwise
        self.assertContains(response, "<td>old-office</td>")

        [row] = self.export()
        agreeing = self.client.post(reverse("business_profile"), {"export": upload([row])})
        self.assertContains(agreeing, "Business Profile agrees with the clinic pages.")

    def test_a_file_that_is_not_an_export_gets_a_clear_message_and_a_400(self):
        for content, message in [
            (b"\xff\xfe\x00garbage", "not a UTF-8 CSV file"),
            (b"name,phone\nx,y\n", "no “Store code” column"),
        ]:
            with self.subTest(message=message):
                response = self.client.post(
                    reverse("business_profile"), {"export": SimpleUploadedFile("x.csv", content, "text/csv")}
                )
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)

    def test_only_page_writers_may_see_it(self):
        outsider = get_user_model().objects.create_user("desk", "d@example.com", "pw")
        outsider.user_permissions.add(*Group.objects.get(name="Editors").permissions.filter(codename="access_admin"))
        self.client.force_login(outsider)
        self.assertNotEqual(self.client.get(reverse("business_profile")).status_code, 200)
        self.assertNotEqual(self.client.get(reverse("business_profile_export")).status_code, 200)
