"""Open now and today's hours, in the clinic's time zone, and caches that keep them no longer than true."""

import datetime
from unittest import mock

from bs4 import BeautifulSoup
from django.test import TestCase, override_settings

from locations.models import LocationPage, OpeningHours, SpecialHours
from tests import factories

UTC = datetime.UTC


def at(*args):
    """A moment given in UTC: 2026-11-30 is a Monday."""
    return datetime.datetime(*args, tzinfo=UTC)


def hours_line(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(page.select_one(".location__details .hours-now").get_text().split())


class ClinicHoursTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.clinic = LocationPage.objects.get(slug="charleston")

    def clinic_page_at(self, moment):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            return self.client.get(self.clinic.url)

    def test_open_now_until_the_end_of_the_interval(self):
        # 10:30 in Charleston (UTC-5 in November).
        self.assertEqual(hours_line(self.clinic_page_at(at(2026, 11, 30, 15, 30))), "Open now until 12:00 PM")

    def test_closed_over_lunch_and_opening_again_today(self):
        self.assertEqual(
            hours_line(self.clinic_page_at(at(2026, 11, 30, 17, 30))), "Closed now. Opens today at 1:00 PM"
        )

    def test_closed_on_friday_evening_until_monday(self):
        self.assertEqual(hours_line(self.clinic_page_at(at(2026, 12, 4, 23, 0))), "Closed now. Opens Monday at 8:00 AM")

    def test_the_clinic_time_zone_decides_not_the_servers(self):
        # 13:30 UTC is 8:30 in Charleston but 7:30 in a clinic on Central time.
        self.assertEqual(hours_line(self.clinic_page_at(at(2026, 11, 30, 13, 30))), "Open now until 12:00 PM")
        factories.publish_change(self.clinic, time_zone="America/Chicago")
        self.assertEqual(
            hours_line(self.clinic_page_at(at(2026, 11, 30, 13, 30))), "Closed now. Opens today at 8:00 AM"
        )

    def test_a_holiday_closure_names_itself_and_skips_to_the_next_opening(self):
        clinic = LocationPage.objects.get(pk=self.clinic.pk)
        clinic.special_hours = [
            SpecialHours(name="Christmas", start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 25))
        ]
        clinic.save_revision().publish()
        response = self.clinic_page_at(at(2026, 12, 24, 16, 0))
        self.assertEqual(hours_line(response), "Closed now (Christmas). Opens Monday at 8:00 AM")
        self.assertNotContains(response, "hours-today")

    def test_no_hours_at_all_says_closed_without_inventing_an_opening(self):
        clinic = LocationPage.objects.get(pk=self.clinic.pk)
        clinic.opening_hours = []
        clinic.save_revision().publish()
        self.assertEqual(hours_line(self.clinic_page_at(at(2026, 11, 30, 15, 30))), "Closed now")

    def test_hours_never_wrap_inside_an_interval(self):
        page = BeautifulSoup(self.clinic_page_at(at(2026, 11, 30, 15, 30)).content, "html.parser")
        monday = page.select_one(".hours tbody tr td")
        self.assertEqual(
            [span.get_text() for span in monday.select(".nowrap")], ["8:00 AM–12:00 PM", "1:00 PM–5:00 PM"]
        )

    def test_the_clinic_page_shows_directions_parking_accessibility_and_its_picture(self):
        response = self.clinic_page_at(at(2026, 11, 30, 15, 30))
        page = BeautifulSoup(response.content, "html.parser")
        directions = page.find("a", string="Get directions")
        self.assertTrue(directions["href"].startswith("https://www.google.com/maps/search/?api=1&query="))
        self.assertEqual(
            [dt.get_text() for dt in page.select(".getting-here dt")], ["Finding us", "Parking", "Accessibility"]
        )
        image = page.select_one(".location__media img")
        self.assertTrue(image["alt"].startswith("Drawing of a two-storey clinic front"))
        self.assertTrue(image.get("width") and image.get("height"))
        # Nothing from a map service is loaded: the only link out is the directions link.
        self.assertNotIn("<iframe", response.content.decode())

    def test_a_clinic_without_a_picture_shows_a_drawn_pin_not_an_empty_box(self):
        factories.publish_change(self.clinic, photo=None)
        page = BeautifulSoup(self.clinic_page_at(at(2026, 11, 30, 15, 30)).content, "html.parser")
        self.assertIsNone(page.select_one(".location__media img"))
        self.assertIsNotNone(page.select_one(".location__placeholder[aria-hidden=true] svg"))


@override_settings(PAGE_CACHE_SECONDS=3600, PAGE_CACHE_CDN_SECONDS=300, PAGE_CACHE_BROWSER_SECONDS=60)
class HoursAndThePageCacheTests(TestCase):
    """A stored copy of a page showing "open now" is kept only until the answer changes."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.clinic = LocationPage.objects.get(slug="charleston")

    def get(self, moment):
        with (
            mock.patch("django.utils.timezone.now", return_value=moment),
            mock.patch("time.time", return_value=moment.timestamp()),
        ):
            return self.client.get(self.clinic.url)

    def test_caches_keep_the_page_only_until_the_clinic_opens_or_closes(self):
        # 11:59:00 in Charleston: the clinic closes for lunch in 60 seconds.
        response = self.get(at(2026, 11, 30, 16, 59, 0))
        self.assertIn("Open now", hours_line(response))
        self.assertIn("s-maxage=60", response["Cache-Control"])
        self.assertIn("max-age=60", response["Cache-Control"])
        # 11:59:40: the stored copy may be served, but only for the 20 seconds left.
        response = self.get(at(2026, 11, 30, 16, 59, 40))
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertIn("s-maxage=20", response["Cache-Control"])

    def test_far_from_any_change_the_usual_lifetimes_apply(self):
        response = self.get(at(2026, 11, 30, 14, 0))  # 9:00, open until noon
        self.assertIn("s-maxage=300", response["Cache-Control"])

    def test_the_home_page_with_the_clinics_section_expires_the_same_way(self):
        with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 30, 16, 59, 30)):
            response = self.client.get("/")
        self.assertIn("s-maxage=30", response["Cache-Control"])


class OpeningIntervalTests(TestCase):
    def test_closing_must_follow_opening(self):
        interval = OpeningHours(weekday=0, opens=datetime.time(12), closes=datetime.time(9))
        with self.assertRaises(Exception) as caught:
            interval.clean()
        self.assertIn("Closing time must be after opening time", str(caught.exception))


class ClinicListHoursTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        factories.make_clinic(title="Summerville Clinic")

    def test_the_clinic_list_says_which_clinics_are_open_now(self):
        with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 30, 15, 30)):
            response = self.client.get("/locations/")
        cards = BeautifulSoup(response.content, "html.parser").select(".clinic-card")
        lines = {
            card.h2.get_text(strip=True): " ".join(card.select_one(".hours-now").get_text().split()) for card in cards
        }
        # The new clinic has no opening hours yet: closed, with no opening invented.
        self.assertEqual(lines, {"Charleston Clinic": "Open now until 12:00 PM", "Summerville Clinic": "Closed now"})
