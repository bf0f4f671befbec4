"""The full-page cache: what it serves, and what it never serves or shares between visitors."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from pagecache.middleware import PageCacheMiddleware
from pagecache.store import bump_generation, for_current_generation
from tests import factories
from tests.factories import publish_change
from tests.redis_helpers import use_a_redis_cache_of_its_own

SEED_URL = "/conditions/sciatica-back-spasms/"
CACHE_STATUS = "X-Page-Cache"


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

    def test_admin_preview_is_never_served_from_the_cache(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/pages/{self.seed.pk}/view_draft/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(CACHE_STATUS, response)

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
        broken = {"default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
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
