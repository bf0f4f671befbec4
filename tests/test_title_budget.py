"""Titles that fit: the brand closes a title tag only while the title stays within 60 characters."""

from bs4 import BeautifulSoup
from django.test import TestCase
from wagtail.models import Page

from home.models import PracticeSettings, TitleTemplate
from seo.audit import audit_live_pages
from seo.titles import META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET, render_title, validate_template
from tests import factories

BRAND = "SC Sports Medicine"


def head(response):
    html = BeautifulSoup(response.content, "html.parser")
    description = html.head.find("meta", attrs={"name": "description"})
    return html.title.get_text(), description["content"] if description else ""


class DemoSiteTitleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_every_demo_page_has_a_title_and_description_within_budget(self):
        pages = Page.objects.live().filter(depth__gt=1).specific()
        self.assertGreater(len(pages), 5)
        for page in pages:
            with self.subTest(page=page.url):
                response = self.client.get(page.url)
                self.assertEqual(response.status_code, 200)
                title, description = head(response)
                self.assertLessEqual(len(title), TITLE_TAG_BUDGET, title)
                self.assertLessEqual(len(description), META_DESCRIPTION_BUDGET, description)
                self.assertTrue(description, f"{page.url} has no meta description")

    def test_the_seo_audit_finds_nothing_to_fix_on_the_demo_site(self):
        self.maxDiff = None
        self.assertEqual({row.page.url: row.problems for row in audit_live_pages() if row.problems}, {})

    def test_a_short_title_keeps_the_brand_and_a_long_one_drops_it_whole(self):
        self.assertEqual(head(self.client.get("/conditions/"))[0], f"Conditions We Treat | {BRAND}")
        title = head(self.client.get(self.seed.url))[0]
        self.assertEqual(title, "Sciatica / Back Spasms Treatment in Charleston, SC")

    def test_an_editors_own_title_tag_gets_the_brand_only_when_it_fits(self):
        self.seed.seo_title = "Sciatica doctor in Charleston, SC"
        self.seed.save_revision().publish()
        self.assertEqual(head(self.client.get(self.seed.url))[0], f"Sciatica doctor in Charleston, SC | {BRAND}")
        self.seed.seo_title = "Sciatica and back spasm doctors in Charleston, South Carolina"
        self.seed.save_revision().publish()
        self.assertEqual(head(self.client.get(self.seed.url))[0], self.seed.seo_title)

    def test_the_brand_comes_from_the_practice_settings(self):
        practice = PracticeSettings.load()
        practice.brand_name = "SCSMOC"
        practice.save()
        TitleTemplate.objects.create(
            settings=practice, page_type="conditions.conditionpage", title_template="{title} – {brand}"
        )
        self.assertEqual(head(self.client.get(self.seed.url))[0], "Sciatica / Back Spasms – SCSMOC")


class RenderTitleTests(TestCase):
    variables = {
        "title": "Knee Pain",
        "brand": BRAND,
        "practice": "South Carolina Sports Medicine & Orthopaedic Center",
    }

    def test_brand_is_a_template_variable(self):
        validate_template("{title} | {brand}")

    def test_only_a_closing_name_after_a_separator_is_dropped(self):
        long_title = {**self.variables, "title": "Patellofemoral Pain Syndrome and Runner's Knee Treatments"}
        self.assertEqual(render_title("{title} | {brand}", long_title), long_title["title"])
        self.assertEqual(render_title("{title} | {practice}", self.variables), "Knee Pain")
        # A name inside the title is the editor's wording: kept, even over budget.
        kept = render_title("{practice} on {title}", self.variables)
        self.assertEqual(kept, "South Carolina Sports Medicine & Orthopaedic Center on Knee Pain")
        self.assertEqual(render_title("{title} | {brand}", self.variables), f"Knee Pain | {BRAND}")
