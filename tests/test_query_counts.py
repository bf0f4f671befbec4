"""What rendering a page costs in database queries, with the page cache switched off."""

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from locations.models import LocationPage
from tests import factories


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
        for number in range(1, 10):
            factories.make_clinic(
                f"Clinic {number}",
                street_address=f"{number} King Street",
                phone=f"843-555-01{number:02d}",
                treats=[cls.widely_treated_page],
            )

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

    def test_a_condition_page_renders_with_at_most_fourteen_queries(self):
        # Wagtail's own routing (the active locale, then a query per level of the tree) and view-restriction
        # checks (two), the page's images and linked pages, and its translations (hreflang, language
        # switcher); settings, menu, clinics and breadcrumbs are kept per generation.
        for page in (self.short_page, self.long_page, self.widely_treated_page):
            _, queries = self.queries_to_render(page)
            self.assertLessEqual(len(queries), 14, page.title)
