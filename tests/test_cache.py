"""The full-page cache: what it serves, what it never serves, and how a change reaches visitors."""

import os
import uuid
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Page, PageViewRestriction

from conditions.models import ConditionPage, LocalConditionPage
from home.cache import PageCacheMiddleware, bump_generation, for_current_generation, retire_paths
from home.models import PracticeSettings, StandardPage
from locations.models import LocationIndexPage, LocationPage
from tests import factories

SEED_URL = "/conditions/sciatica-back-spasms/"
CACHE_STATUS = "X-Page-Cache"


def redis_test_url():
    return os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


def redis_available():
    import redis

    try:
        return redis.Redis.from_url(redis_test_url(), socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def require_redis():
    """CI runs these against its Redis server; elsewhere they skip when none is running."""
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {redis_test_url()}")
        pytest.skip(f"Redis is not reachable at {redis_test_url()}")


def forget_redis_keys(prefix):
    """Delete this test's keys only: other test runs may share the Redis database."""
    import redis

    client = redis.Redis.from_url(redis_test_url())
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def redis_caches(prefix):
    return {
        "default": {
            "BACKEND": "home.cache.RedisCache",
            "LOCATION": redis_test_url(),
            "KEY_PREFIX": prefix,
        }
    }


def use_a_redis_cache_of_its_own(test):
    """Point the test at the Redis server, under a key prefix no other test run shares."""
    require_redis()
    prefix = f"test-{uuid.uuid4().hex}"
    settings_override = override_settings(CACHES=redis_caches(prefix))
    settings_override.enable()
    test.addCleanup(settings_override.disable)
    test.addCleanup(forget_redis_keys, prefix)


def publish_change(page, **fields):
    page = page.specific.__class__.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def test_second_anonymous_visit_is_served_from_the_cache_without_any_query(self):
        first = self.client.get(SEED_URL)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(first[CACHE_STATUS], "miss")

        with CaptureQueriesContext(connection) as queries:
            second = self.client.get(SEED_URL)
        self.assertEqual(len(queries), 0, [q["sql"] for q in queries])
        self.assertEqual(second.status_code, 200)
        self.assertEqual(second[CACHE_STATUS], "hit")
        self.assertEqual(second.content, first.content)
        self.assertContains(second, "<h1>Sciatica / Back Spasms</h1>", html=True)
        self.assertEqual(second["Content-Type"], first["Content-Type"])

    def test_cacheable_pages_tell_browsers_and_cdns_how_long_to_keep_them(self):
        for response in (self.client.get(SEED_URL), self.client.get(SEED_URL)):
            cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
            self.assertEqual(cache_control, {"public", "max-age=60", "s-maxage=300"})

    def test_an_unchanged_page_is_revalidated_with_a_304(self):
        first = self.client.get(SEED_URL)
        etag = first["ETag"]
        revalidated = self.client.get(SEED_URL, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(revalidated.status_code, 304)
        self.assertEqual(revalidated.content, b"")
        self.assertEqual(revalidated["ETag"], etag)

        publish_change(self.seed, summary="A new summary changes the page and its ETag.")
        changed = self.client.get(SEED_URL, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(changed.status_code, 200)
        self.assertNotEqual(changed["ETag"], etag)

    def test_a_hit_keeps_the_security_headers(self):
        first = self.client.get(SEED_URL)
        hit = self.client.get(SEED_URL)
        self.assertEqual(hit[CACHE_STATUS], "hit")
        for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Referrer-Policy"):
            self.assertEqual(hit[header], first[header])

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

    def test_signed_in_editors_always_get_a_fresh_private_page(self):
        self.client.get(SEED_URL)
        self.client.force_login(self.editor)

        response = self.client.get(SEED_URL)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(CACHE_STATUS, response)
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        # The user bar is only on editors' pages; a shared copy would show it to everyone.
        self.assertContains(response, "wagtail-userbar")

        self.client.logout()
        anonymous = self.client.get(SEED_URL)
        self.assertNotContains(anonymous, "wagtail-userbar")

    def test_the_appointment_form_is_rendered_for_each_visitor(self):
        first = self.client.get("/contact/")
        self.assertContains(first, 'name="csrfmiddlewaretoken"')
        second = self.client.get("/contact/")
        self.assertEqual(second.status_code, 200)
        self.assertNotIn(CACHE_STATUS, second)
        self.assertIn("no-store", second["Cache-Control"])

    def test_search_results_are_never_cached(self):
        for _ in range(2):
            response = self.client.get("/search/", {"query": "sciatica"})
            self.assertEqual(response.status_code, 200)
            self.assertNotIn(CACHE_STATUS, response)
        self.assertIn("no-store", response["Cache-Control"])

    def test_campaign_parameters_share_the_cached_page_and_other_parameters_bypass_it(self):
        self.client.get(SEED_URL)
        tracked = self.client.get(SEED_URL, {"utm_source": "newsletter", "utm_medium": "email", "gclid": "x1"})
        self.assertEqual(tracked[CACHE_STATUS], "hit")

        other = self.client.get(SEED_URL, {"page": "2"})
        self.assertEqual(other.status_code, 200)
        self.assertNotIn(CACHE_STATUS, other)

    def test_not_found_pages_are_not_cached(self):
        for _ in range(2):
            response = self.client.get("/conditions/no-such-condition/")
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(CACHE_STATUS, response)

    def test_requests_for_missing_addresses_do_not_push_stored_pages_out(self):
        self.client.get(SEED_URL)
        for number in range(400):
            self.assertEqual(self.client.get(f"/wp-admin/probe-{number}/").status_code, 404)
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")

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
            self.assertLogs("home.cache", "ERROR") as logs,
        ):
            publish_change(self.seed, summary="A change the cache never hears of.")
        self.assertIn("did not take a change", logs.output[0])

    def test_admin_preview_is_never_served_from_the_cache(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/pages/{self.seed.pk}/view_draft/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(CACHE_STATUS, response)

    def test_a_new_release_does_not_serve_pages_the_previous_one_rendered(self):
        with override_settings(PAGE_CACHE_RELEASE="release-1"):
            self.client.get(SEED_URL)
            self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")
        with override_settings(PAGE_CACHE_RELEASE="release-2"):
            self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")

    @override_settings(PAGE_CACHE_ENABLED=False)
    def test_the_cache_can_be_switched_off(self):
        self.client.get(SEED_URL)
        self.assertNotIn(CACHE_STATUS, self.client.get(SEED_URL))


def form_page_view(request):
    """Stands in for a page with a form: its template puts the CSRF token in the page."""
    request.resolver_match = resolve("/appointment/")
    template = engines["django"].from_string('<form method="post">{% csrf_token %}<button>Send</button></form>')
    return HttpResponse(template.render({}, request), content_type="text/html; charset=utf-8")


def cookie_setting_page_view(request):
    request.resolver_match = resolve("/welcome/")
    response = HttpResponse("<p>Welcome</p>", content_type="text/html; charset=utf-8")
    response.set_cookie("seen_banner", "1")
    return response


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
                "home": "hit",
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


class ResponsesThatMustNotBeSharedTests(TestCase):
    def get_twice(self, view, cookies=None):
        stack = PageCacheMiddleware(CsrfViewMiddleware(view))
        factory = RequestFactory()
        responses = []
        for _ in range(2):
            request = factory.get("/page/")
            request.COOKIES.update(cookies or {})
            responses.append(stack(request))
        return responses

    def test_a_page_with_a_csrf_token_is_rendered_for_each_visitor(self):
        for cookies in (None, {"csrftoken": "a" * 32}):
            first, second = self.get_twice(form_page_view, cookies)
            self.assertNotIn(CACHE_STATUS, second)
            self.assertIn("no-store", second["Cache-Control"])
            self.assertIn("csrftoken", second.cookies)

    def test_a_page_that_sets_a_cookie_is_rendered_for_each_visitor(self):
        first, second = self.get_twice(cookie_setting_page_view)
        self.assertNotIn(CACHE_STATUS, second)
        self.assertIn("seen_banner", second.cookies)


class RecordingPurgeBackend(BaseBackend):
    """A CDN stand-in that records the URLs it is asked to purge."""

    purged = []

    def __init__(self, params):
        super().__init__(params)

    def purge(self, url):
        self.purged.append(url)


@override_settings(
    WAGTAILFRONTENDCACHE={"cdn": {"BACKEND": "tests.test_cache.RecordingPurgeBackend"}},
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
)
class CdnPurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def setUp(self):
        RecordingPurgeBackend.purged.clear()

    def purged_paths(self):
        return {url.split("://", 1)[1].split("/", 1)[1] for url in RecordingPurgeBackend.purged}

    def test_publishing_a_condition_purges_it_the_condition_list_and_the_clinics_listing_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            publish_change(self.seed, summary="Updated summary.")
        self.assertEqual(
            self.purged_paths(), {"conditions/sciatica-back-spasms/", "conditions/", "locations/charleston/"}
        )

    def test_the_purge_is_repeated_once_the_publish_is_committed(self):
        with self.captureOnCommitCallbacks() as after_commit:
            publish_change(self.seed, summary="Updated summary.")
        RecordingPurgeBackend.purged.clear()  # what was purged while the transaction was open
        for callback in after_commit:
            callback()
        self.assertEqual(
            self.purged_paths(), {"conditions/sciatica-back-spasms/", "conditions/", "locations/charleston/"}
        )

    def test_changing_a_practice_setting_purges_every_live_page(self):
        with self.captureOnCommitCallbacks(execute=True):
            practice = PracticeSettings.load()
            practice.main_phone = "843-555-0199"
            practice.save()
        paths = self.purged_paths()
        self.assertIn("", paths)
        self.assertIn("conditions/sciatica-back-spasms/", paths)
        self.assertIn("locations/charleston/", paths)


class ValuesKeptPerGenerationTests(TestCase):
    """What every page shows is computed once per generation and handed out as a fresh copy."""

    def test_computed_once_until_the_generation_changes(self):
        calls = []

        def compute():
            calls.append(1)
            return {"menu": ["Conditions", "Locations"]}

        first = for_current_generation("test-menu", compute)
        second = for_current_generation("test-menu", compute)
        self.assertEqual(first, second)
        self.assertEqual(len(calls), 1)

        bump_generation()
        for_current_generation("test-menu", compute)
        self.assertEqual(len(calls), 2)

    def test_each_caller_gets_its_own_copy(self):
        first = for_current_generation("test-menu", lambda: {"menu": ["Conditions"]})
        first["menu"].append("Changed by one request")

        self.assertEqual(for_current_generation("test-menu", lambda: {"menu": []}), {"menu": ["Conditions"]})

    def test_nothing_is_kept_for_a_value_that_is_not_there(self):
        self.assertIsNone(for_current_generation("test-menu", lambda: None))
        self.assertEqual(for_current_generation("test-menu", lambda: ["Conditions"]), ["Conditions"])

    def test_an_unreachable_cache_means_computing_afresh(self):
        broken = {"default": {"BACKEND": "home.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
        with override_settings(CACHES=broken):
            self.assertEqual(for_current_generation("test-menu", lambda: ["Conditions"]), ["Conditions"])

    @override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
    def test_with_caching_switched_off_every_value_is_computed_afresh(self):
        self.assertEqual(for_current_generation("test-menu", lambda: ["Conditions"]), ["Conditions"])
        self.assertEqual(for_current_generation("test-menu", lambda: ["Locations"]), ["Locations"])


class ValuesKeptPerGenerationOnRedisTests(ValuesKeptPerGenerationTests):
    """The same with Redis, where each worker also keeps its own copies."""

    def setUp(self):
        use_a_redis_cache_of_its_own(self)


class RedisPageCacheTests(TestCase):
    """The same behaviour on the Redis backend the app servers share in production."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def setUp(self):
        use_a_redis_cache_of_its_own(self)

    def test_hit_and_invalidation_on_redis(self):
        self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "miss")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(SEED_URL)[CACHE_STATUS], "hit")
        self.assertEqual(len(queries), 0)

        publish_change(self.seed, summary="Published while cached in Redis.")
        response = self.client.get(SEED_URL)
        self.assertEqual(response[CACHE_STATUS], "miss")
        self.assertContains(response, "Published while cached in Redis.")


@override_settings(PAGE_CACHE_ENABLED=False)
class UncachedRenderingQueryCountTests(TestCase):
    """Rendering cost must not grow with the page: queries are made per page, not per block or clinic."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        contact = Page.objects.get(slug="contact").specific
        image = factories.make_image()
        every_block = factories.every_block_body(contact, image)
        # Two blocks, of the two types that load objects: an image and a link to a page.
        short_body = every_block[7:9]
        # A condition page as long as any real one: every block type, repeated, with several images.
        long_body = (every_block * 5)[:40]
        long_body += [("image", {**every_block[7][1], "image": factories.make_image(f"Image {i}")}) for i in range(4)]
        cls.short_page = factories.make_condition(title="Short condition", body=short_body)
        cls.long_page = factories.make_condition(title="Long condition", body=long_body)
        cls.widely_treated_page = factories.make_condition(title="Widely treated condition", body=short_body)

        # "Where we treat this": the demo clinic treats all three; nine more treat only one of them.
        charleston = LocationPage.objects.get(slug="charleston")
        charleston.conditions_treated.add(cls.short_page, cls.long_page, cls.widely_treated_page)
        charleston.save_revision().publish()
        index = LocationIndexPage.objects.get()
        for number in range(1, 10):
            clinic = index.add_child(
                instance=LocationPage(
                    title=f"Clinic {number}",
                    slug=f"clinic-{number}",
                    street_address=f"{number} King Street",
                    city="Summerville",
                    postal_code="29483",
                    phone=f"843-555-01{number:02d}",
                )
            )
            clinic = LocationPage.objects.get(pk=clinic.pk)
            clinic.conditions_treated.add(cls.widely_treated_page)
            clinic.save_revision().publish()

    def queries_to_render(self, page):
        self.client.get(page.url)  # warm Wagtail's own site-root and settings caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response, [query["sql"] for query in queries]

    def test_query_count_does_not_grow_with_the_number_of_blocks(self):
        self.assertGreaterEqual(len(self.long_page.body), 40)
        _, short = self.queries_to_render(self.short_page)
        _, long = self.queries_to_render(self.long_page)
        self.assertEqual(len(long), len(short), "\n".join(long))

    def test_query_count_does_not_grow_with_the_number_of_clinics(self):
        _, one_clinic = self.queries_to_render(self.short_page)
        response, ten_clinics = self.queries_to_render(self.widely_treated_page)
        self.assertContains(response, "Clinic 9")
        self.assertEqual(len(ten_clinics), len(one_clinic), "\n".join(ten_clinics))

    def test_a_condition_page_renders_with_at_most_ten_queries(self):
        for page in (self.short_page, self.long_page, self.widely_treated_page):
            _, queries = self.queries_to_render(page)
            self.assertLessEqual(len(queries), 10, page.title)
