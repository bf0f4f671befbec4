"""The front desk's CSV and XLSX exports of appointment requests: answers never run as spreadsheet formulas."""

import csv
import io
from datetime import UTC, timedelta

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from openpyxl import load_workbook

from appointments.models import AppointmentFormField, AppointmentPage, AppointmentRequest
from tests import factories

# An editor's question whose label is itself a formula; it heads a column of the export.
HOSTILE_LABEL = '=HYPERLINK("https://evil.example","Insurance")'
# What a hostile visitor might type, by the heading of the column it lands in: one per trigger character.
HOSTILE_ANSWERS = {
    "Name": "=cmd|' /C calc'!A0",
    "Email": "@SUM(1+1)",
    "Phone": "+1+2",
    "Reason for your visit": "-2+3",
    "Preferred clinic": "\t=1+1",
    HOSTILE_LABEL: "\r=1+1",
}
HOSTILE_CAME_FROM = '=WEBSERVICE("https://evil.example")'
# A multiple choice answer is stored as a list and exported as "first, second".
HOSTILE_CHOICES = ["=1+1", "Morning"]


def links(response, selector):
    return [anchor["href"] for anchor in BeautifulSoup(response.content, "html.parser").select(selector)]


def csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body, newline="")))


def xlsx_rows(response):
    """The heading cells, and each further row as {heading: cell}."""
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    heading_cells, *rows = sheet.iter_rows()
    headings = [cell.value for cell in heading_cells]
    return heading_cells, [dict(zip(headings, row, strict=True)) for row in rows]


class RequestExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.page = AppointmentPage.objects.get(slug="contact")
        AppointmentFormField.objects.create(
            page=cls.page, label=HOSTILE_LABEL, field_type="singleline", required=False, sort_order=100
        )
        names = {field.label: field.clean_name for field in cls.page.form_fields.all()}
        cls.hostile = AppointmentRequest.objects.create(
            page=cls.page,
            form_data={names[label]: answer for label, answer in HOSTILE_ANSWERS.items()}
            | {names["Preferred time of day"]: HOSTILE_CHOICES},
            source_title=HOSTILE_CAME_FROM,
        )
        cls.ordinary = AppointmentRequest.objects.create(
            page=cls.page, form_data={names["Name"]: "Jane Q. Patient", names["Phone"]: "(843) 555-0199"}
        )
        cls.front_desk = get_user_model().objects.create_user("desk", "desk@scsportsmed.example", "pw")
        cls.front_desk.groups.add(Group.objects.get(name="Front desk"))
        cls.superuser = get_user_model().objects.create_superuser("admin", "admin@scsportsmed.example", "pw")

    def download(self, user, index_url, export_format):
        """Sign in, open the form's requests from the given index, and click its download button."""
        self.client.force_login(user)
        [listing_url] = links(self.client.get(index_url), f'a[href="/admin/forms/submissions/{self.page.pk}/"]')
        [download_url] = links(self.client.get(listing_url), f'a[href$="export={export_format}"]')
        response = self.client.get(download_url)
        self.assertEqual(response.status_code, 200)
        return response

    def assert_csv_neutralised(self, response):
        rows = {row["Reference"]: row for row in csv_rows(response)}
        hostile, ordinary = rows[str(self.hostile.pk)], rows[str(self.ordinary.pk)]
        self.assertIn("'" + HOSTILE_LABEL, hostile)
        for heading, answer in HOSTILE_ANSWERS.items():
            with self.subTest(heading=heading):
                column = "'" + HOSTILE_LABEL if heading == HOSTILE_LABEL else heading
                self.assertEqual(hostile[column], "'" + answer)
        self.assertEqual(hostile["Came from"], "'" + HOSTILE_CAME_FROM)
        self.assertEqual(hostile["Preferred time of day"], "'=1+1, Morning")
        self.assertEqual(ordinary["Name"], "Jane Q. Patient")
        self.assertEqual(ordinary["Phone"], "(843) 555-0199")
        self.assertEqual(
            ordinary["Submission date"], str(AppointmentRequest.objects.get(pk=self.ordinary.pk).submit_time)
        )

    def assert_xlsx_neutralised(self, response):
        heading_cells, rows = xlsx_rows(response)
        rows = {row["Reference"].value: row for row in rows}
        hostile, ordinary = rows[self.hostile.pk], rows[self.ordinary.pk]
        hostile_heading = next(cell for cell in heading_cells if HOSTILE_LABEL in cell.value)
        self.assertEqual((hostile_heading.value, hostile_heading.data_type), ("'" + HOSTILE_LABEL, "s"))
        expected = {
            **{
                "'" + HOSTILE_LABEL if heading == HOSTILE_LABEL else heading: answer
                for heading, answer in HOSTILE_ANSWERS.items()
            },
            "Came from": HOSTILE_CAME_FROM,
            "Preferred time of day": "=1+1, Morning",
        }
        for heading, answer in expected.items():
            with self.subTest(heading=heading):
                # XML reads a carriage return back as a line feed.
                quoted = "'" + answer.replace("\r", "\n")
                self.assertEqual((hostile[heading].value, hostile[heading].data_type), (quoted, "s"))
        self.assertEqual(ordinary["Name"].value, "Jane Q. Patient")
        self.assertEqual(ordinary["Reference"].data_type, "n")
        submit_time = AppointmentRequest.objects.get(pk=self.ordinary.pk).submit_time
        # A date cell, in UTC, to Excel's millisecond precision.
        self.assertAlmostEqual(
            ordinary["Submission date"].value,
            submit_time.astimezone(UTC).replace(tzinfo=None),
            delta=timedelta(milliseconds=1),
        )

    def test_front_desk_csv_export_quotes_formulas_and_keeps_other_values(self):
        self.assert_csv_neutralised(self.download(self.front_desk, "/admin/appointment-requests/", "csv"))

    def test_front_desk_xlsx_export_writes_formulas_as_quoted_text_and_keeps_other_values(self):
        self.assert_xlsx_neutralised(self.download(self.front_desk, "/admin/appointment-requests/", "xlsx"))

    def test_exports_reached_from_wagtails_forms_listing_are_neutralised_too(self):
        self.assert_csv_neutralised(self.download(self.superuser, "/admin/forms/", "csv"))
        self.assert_xlsx_neutralised(self.download(self.superuser, "/admin/forms/", "xlsx"))
