"""How a change reaches visitors through the full-page cache: at once, and on exactly the pages that
show it."""

from unittest import mock

from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import TestCase, override_settings
from wagtail.models import Page, PageViewRestriction

from conditions.models import ConditionPage, LocalConditionPage
from home.models import PracticeSettings, StandardPage
from locations.models import LocationPage
from pagecache.store import retire_paths
from tests import factories
from tests.factories import publish_change

SEED_URL = "/conditions/sciatica-back-spasms/"
CACHE_STATUS = "X-Page-Cache"


class ChangesReachVisitorsTests(TestCase):
    """What editors change, publish, move or restrict shows on the very next request."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_publishing_a_change_shows_on_the_next_request(self):
        self.client.get(SEED_URL)
        publish_change(self.seed, summary="Sciatica is pain along the sciatic nerve, freshly reviewed.")

        response = self.client.get(SEED_URL)
        self.assertEqual(response[CACHE_STATUS], "miss")
        self.assertContains(response, "freshly reviewed")
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")

    def test_saving_a_draft_leaves_the_published_page_cached(self):
        self.client.get(SEED_URL)
        page = ConditionPage.objects.get(pk=self.seed.pk)
        page.summary = "A draft nobody should see yet."
        page.save_revision()

        response = self.client.get(SEED_URL)
        self.assertEqual(response[CACHE_STATUS], "hit")
        self.assertNotContains(response, "A draft nobody should see yet.")

    def test_unpublishing_a_page_takes_it_off_the_site_at_once(self):
        self.client.get(SEED_URL)
        ConditionPage.objects.get(pk=self.seed.pk).unpublish()
        self.assertEqual(self.client.get(SEED_URL).status_code, 404)

    def test_deleting_a_page_takes_it_off_the_site_at_once(self):
        self.client.get(SEED_URL)
        ConditionPage.objects.get(pk=self.seed.pk).delete()
        self.assertEqual(self.client.get(SEED_URL).status_code, 404)

    def test_moving_a_page_redirects_its_old_address_at_once(self):
        home = factories.home_page()
        about = home.add_child(instance=StandardPage(title="About us", slug="about", summary="Who we are."))
        practice = home.add_child(instance=StandardPage(title="Our practice", slug="practice", summary="The team."))
        self.assertEqual(self.client.get("/about/").status_code, 200)
        self.assertEqual(self.client.get("/about/")[CACHE_STATUS], "hit")

        about.move(practice, pos="last-child")

        # Wagtail creates a redirect from the old address (WAGTAILREDIRECTS_AUTO_CREATE).
        self.assertRedirects(self.client.get("/about/"), "/practice/about/", status_code=301)
        self.assertContains(self.client.get("/practice/about/"), "Who we are.")

    def test_a_new_slug_serves_the_page_at_its_new_address_at_once(self):
        self.client.get(SEED_URL)
        with self.captureOnCommitCallbacks(execute=True):
            publish_change(self.seed, slug="sciatica")

        self.assertContains(self.client.get("/conditions/sciatica/"), "Sciatica / Back Spasms")
        self.assertRedirects(self.client.get(SEED_URL), "/conditions/sciatica/", status_code=301)

    @override_settings(PAGE_CACHE_ENABLED=False)
    def test_an_address_kept_from_before_a_change_is_checked_again(self):
        self.client.get(SEED_URL)
        # Change the address behind the cache's back: no signal, no new generation.
        Page.objects.filter(pk=self.seed.pk).update(url_path="/home/conditions/renamed/", slug="renamed")

        self.assertEqual(self.client.get(SEED_URL).status_code, 404)
        self.assertContains(self.client.get("/conditions/renamed/"), "Sciatica / Back Spasms")

    def test_changing_the_practice_phone_number_shows_on_cached_pages(self):
        self.assertContains(self.client.get(SEED_URL), "(843) 555-0100")
        practice = PracticeSettings.load()
        practice.main_phone = "843-555-0199"
        practice.save()

        response = self.client.get(SEED_URL)
        self.assertEqual(response[CACHE_STATUS], "miss")
        self.assertContains(response, "(843) 555-0199")

    def test_publishing_a_new_clinic_address_shows_on_condition_pages(self):
        self.client.get(SEED_URL)
        clinic = LocationPage.objects.get(slug="charleston")
        publish_change(clinic, street_address="1 Rutledge Avenue")

        self.assertContains(self.client.get(SEED_URL), "1 Rutledge Avenue")

    def where_we_treat_this(self, url):
        section = BeautifulSoup(self.client.get(url).content, "html.parser").select_one(".where-we-treat")
        return [link.get_text(strip=True) for link in section.select("h3 a")] if section else []

    def test_a_clinic_that_starts_treating_a_condition_lists_it_on_the_next_request(self):
        new_condition = factories.make_condition(title="Plantar fasciitis", slug="plantar-fasciitis")
        self.assertEqual(self.where_we_treat_this(new_condition.url), [])

        clinic = LocationPage.objects.get(slug="charleston")
        clinic.conditions_treated.add(new_condition)
        clinic.save_revision().publish()

        self.assertEqual(self.where_we_treat_this(new_condition.url), ["Charleston Clinic"])

    def test_an_unpublished_clinic_leaves_where_we_treat_this_at_once(self):
        self.assertEqual(self.where_we_treat_this(SEED_URL), ["Charleston Clinic"])
        LocationPage.objects.get(slug="charleston").unpublish()
        self.assertEqual(self.where_we_treat_this(SEED_URL), [])

    def test_a_renamed_section_shows_in_the_breadcrumbs_below_it_on_the_next_request(self):
        self.client.get(SEED_URL)
        publish_change(self.seed.get_parent(), title="Conditions and Injuries")

        trail = BeautifulSoup(self.client.get(SEED_URL).content, "html.parser").select("nav.breadcrumbs a")
        self.assertEqual([link.get_text(strip=True) for link in trail], ["Home", "Conditions and Injuries"])

    def test_making_a_page_private_stops_serving_the_public_copy(self):
        self.client.get(SEED_URL)
        PageViewRestriction.objects.create(page=self.seed, restriction_type=PageViewRestriction.LOGIN)

        response = self.client.get(SEED_URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/_util/login/", response["Location"])

    def test_a_page_rendered_while_a_change_lands_is_kept_by_no_one(self):
        original = ConditionPage.get_context

        def context_while_an_editor_publishes(page, request, *args, **kwargs):
            context = original(page, request, *args, **kwargs)
            retire_paths([SEED_URL])
            return context

        for visit in ("first visit to the address", "visit after an earlier change"):
            with self.subTest(visit):
                with mock.patch.object(ConditionPage, "get_context", context_while_an_editor_publishes):
                    response = self.client.get(SEED_URL)

                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Cache-Control"], "private, no-store")
                self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")
                self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")
                retire_paths([SEED_URL])

    def test_a_change_the_cache_did_not_take_is_reported_as_an_error(self):
        with (
            mock.patch.object(type(caches["default"]), "set_many", lambda *args, **kwargs: None),
            self.assertLogs("pagecache", "ERROR") as logs,
        ):
            publish_change(self.seed, summary="A change the cache never hears of.")
        self.assertIn("did not take a change", logs.output[0])

    def test_a_new_release_does_not_serve_pages_the_previous_one_rendered(self):
        with override_settings(PAGE_CACHE_RELEASE="release-1"):
            self.client.get(SEED_URL)
            self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")
        with override_settings(PAGE_CACHE_RELEASE="release-2"):
            self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")


class TargetedInvalidationTests(TestCase):
    """Publishing a page retires the pages that show it and leaves every other page cached."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.contact = Page.objects.get(slug="contact")
        with cls.captureOnCommitCallbacks(execute=True):  # Wagtail indexes links once a save commits
            cls.knee = factories.make_condition(title="Knee pain", slug="knee-pain")
            cls.linking = factories.make_condition(
                title="Hip pain",
                slug="hip-pain",
                body=[("call_to_action", {"text": "Knee too?", "link_label": "Knee pain", "page": cls.knee})],
            )
            cls.local = cls.knee.add_child(
                instance=LocalConditionPage(
                    title="Knee pain in Charleston",
                    slug="charleston",
                    summary="Knee care at our Charleston clinic.",
                    location=LocationPage.objects.get(slug="charleston"),
                )
            )
            cls.local.save_revision().publish()
        cls.urls = {
            "knee": "/conditions/knee-pain/",
            "index": "/conditions/",
            "local": "/conditions/knee-pain/charleston/",
            "linking": "/conditions/hip-pain/",
            "seed": SEED_URL,
            "clinic": "/locations/charleston/",
            "home": "/",
        }

    def statuses_after(self, change):
        for url in self.urls.values():
            self.assertEqual(self.client.get(url).status_code, 200, url)
        with self.captureOnCommitCallbacks(execute=True):
            change()
        self.urls["knee"] = Page.objects.get(pk=self.knee.pk).url
        self.urls["local"] = Page.objects.get(pk=self.local.pk).url
        return {name: self.client.get(url).get(CACHE_STATUS) for name, url in self.urls.items()}

    def test_publishing_a_condition_retires_it_its_list_its_local_pages_and_pages_linking_to_it(self):
        statuses = self.statuses_after(lambda: publish_change(self.knee, summary="Knee pain, new summary."))

        self.assertEqual(
            statuses,
            {
                "knee": "miss",
                "index": "miss",
                "local": "miss",
                "linking": "miss",
                "seed": "hit",
                "clinic": "hit",
                # Its sections list the body areas that have conditions.
                "home": "miss",
            },
        )
        self.assertContains(self.client.get(self.urls["index"]), "Knee pain, new summary.")

    def test_publishing_a_condition_retires_the_clinics_that_treat_it(self):
        statuses = self.statuses_after(lambda: publish_change(self.seed, title="Sciatica"))

        self.assertEqual(statuses["seed"], "miss")
        self.assertEqual(statuses["clinic"], "miss")
        self.assertEqual(statuses["knee"], "hit")
        self.assertContains(self.client.get(self.urls["clinic"]), "Sciatica")

    def test_unpublishing_a_page_retires_the_pages_that_showed_it(self):
        statuses = self.statuses_after(lambda: ConditionPage.objects.get(pk=self.knee.pk).unpublish())

        self.assertEqual(self.client.get(self.urls["knee"]).status_code, 404)
        self.assertEqual(statuses["local"], "miss")  # its breadcrumbs
        self.assertEqual(statuses["index"], "miss")
        self.assertEqual(statuses["linking"], "miss")
        self.assertEqual(statuses["seed"], "hit")
        self.assertNotContains(self.client.get(self.urls["index"]), "Knee pain")

    def test_a_page_with_an_accented_address_is_retired_too(self):
        page = factories.make_condition(title="Hüftschmerz", slug="hüftschmerz")
        url = "/conditions/hüftschmerz/"
        self.client.get(url)
        self.assertEqual(self.client.get(url)[CACHE_STATUS], "hit")

        with self.captureOnCommitCallbacks(execute=True):
            publish_change(page, summary="Updated for visitors.")

        self.assertContains(self.client.get(url), "Updated for visitors.")

    def test_a_change_every_page_shows_retires_every_page(self):
        for change in (
            lambda: publish_change(self.contact, title="Book a visit"),  # a page in the menu
            lambda: publish_change(LocationPage.objects.get(slug="charleston"), phone="843-555-0142"),
            lambda: publish_change(self.knee, slug="knee"),  # a new address
        ):
            statuses = self.statuses_after(change)
            self.assertEqual(set(statuses.values()), {"miss"}, statuses)
