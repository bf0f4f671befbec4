"""Private sections stay private: Wagtail's own view-restriction checks, with and without the page cache."""

from unittest import mock

from django.core.cache import caches
from django.test import TestCase, override_settings
from wagtail.models import PageViewRestriction

from conditions.models import ConditionPage
from locations.models import LocationIndexPage, LocationPage
from tests import factories

SEED_URL = "/conditions/sciatica-back-spasms/"


class PrivateSectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.clinic = LocationPage.objects.get(slug="charleston")

    def assert_asks_to_sign_in(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/_util/login/", response["Location"])

    def test_a_page_under_a_private_section_asks_visitors_to_sign_in(self):
        self.assertEqual(self.client.get(SEED_URL).status_code, 200)
        PageViewRestriction.objects.create(page=factories.condition_index(), restriction_type=PageViewRestriction.LOGIN)

        self.assert_asks_to_sign_in(SEED_URL)
        self.assert_asks_to_sign_in("/conditions/")
        self.assertEqual(self.client.get("/locations/charleston/").status_code, 200)

    @override_settings(PAGE_CACHE_ENABLED=False)
    def test_a_private_page_rendered_afresh_still_asks_for_its_password(self):
        self.client.get(SEED_URL)
        PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.PASSWORD, password="x")

        response = self.client.get(SEED_URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="password"')
        self.assertNotContains(response, "Sciatica / Back Spasms Treatment")

    @override_settings(PAGE_CACHE_ENABLED=False)
    def test_a_restriction_protects_the_page_even_when_the_cache_missed_the_change(self):
        self.assertEqual(self.client.get(SEED_URL).status_code, 200)
        with mock.patch.object(type(caches["default"]), "set_many", side_effect=ConnectionError("cache unreachable")):
            PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)

        self.assert_asks_to_sign_in(SEED_URL)

    def test_an_alias_of_a_private_page_is_private_too(self):
        self.seed.create_alias(update_slug="sciatica-copy")
        self.assertEqual(self.client.get("/conditions/sciatica-copy/").status_code, 200)

        PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)

        self.assert_asks_to_sign_in("/conditions/sciatica-copy/")

    def test_a_clinic_in_a_private_section_leaves_where_we_treat_this_until_it_is_public_again(self):
        self.assertContains(self.client.get(SEED_URL), "Charleston Clinic")
        restriction = PageViewRestriction.objects.create(
            page=LocationIndexPage.objects.get(), restriction_type=PageViewRestriction.LOGIN
        )

        self.assertNotContains(self.client.get(SEED_URL), "Charleston Clinic")

        restriction.delete()
        self.assertContains(self.client.get(SEED_URL), "Charleston Clinic")

    def test_public_listings_leave_out_private_pages_only(self):
        private = factories.make_condition(title="Staff notes", slug="staff-notes")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

        public_titles = set(ConditionPage.objects.live().public().values_list("title", flat=True))
        private_titles = set(ConditionPage.objects.live().private().values_list("title", flat=True))

        self.assertEqual(public_titles, {"Sciatica / Back Spasms"})
        self.assertEqual(private_titles, {"Staff notes"})
        listing = self.client.get("/conditions/")
        self.assertContains(listing, "Sciatica / Back Spasms")
        self.assertNotContains(listing, "Staff notes")
