"""The search-result preview and length counters in the page editor's Promote tab."""

from bs4 import BeautifulSoup
from django.test import TestCase
from django.urls import reverse

from conditions.models import ConditionIndexPage
from seo.titles import META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET, shorten
from tests import factories
from tests.page_editor import PageEditorTestData

BRAND = "SC Sports Medicine"
# With " | SC Sports Medicine" it would pass 60 characters, so the brand is left off.
SEED_TITLE_TAG = "Sciatica / Back Spasms Treatment in Charleston, SC"
SEED_URL = "http://testserver/conditions/sciatica-back-spasms/"
SCRIPT = "/static/seo/admin/seo-preview.js"


class Preview:
    """The preview panel as the editor sees it."""

    def __init__(self, response):
        html = BeautifulSoup(response.content, "html.parser")
        self.html = html
        self.panel = html.find(attrs={"data-seo-preview": True})
        assert self.panel is not None, "no search result preview in the editor"
        self.url = self._text("data-seo-preview-url")
        self.title = self._text("data-seo-preview-title")
        self.description = self._text("data-seo-preview-description")

    def _text(self, attribute):
        return self.panel.find(attrs={attribute: True}).get_text()

    def counter(self, name):
        element = self.panel.find(attrs={"data-seo-counter": name})
        return {
            "text": element.find(attrs={"data-seo-counter-length": True}).get_text(),
            "warning": element.find(attrs={"data-seo-counter-warning": True}).get_text().strip(),
            "over": "seo-preview__counter--over" in element["class"],
            "budget": element["data-budget"],
            "aria-live": element.get("aria-live"),
        }


class SearchPreviewPanelTests(PageEditorTestData, TestCase):
    def edit(self, page):
        return Preview(self.open_editor(page))

    def save_draft(self, **fields):
        """Saves a draft of the seed page: the editor shows its latest revision."""
        page = self.seed.get_latest_revision_as_object()
        for name, value in fields.items():
            setattr(page, name, value)
        page.save_revision(user=self.admin)

    def test_previews_the_seed_page_as_search_engines_would_list_it(self):
        preview = self.edit(self.seed)
        self.assertEqual(preview.title, SEED_TITLE_TAG)
        self.assertEqual(preview.url, SEED_URL)
        self.assertEqual(preview.description, self.seed.get_meta_description())

    def test_counters_give_length_against_budget(self):
        preview = self.edit(self.seed)
        title = preview.counter("title")
        self.assertEqual(title["text"], f"{len(SEED_TITLE_TAG)} / {TITLE_TAG_BUDGET} characters")
        self.assertEqual(title["text"], "50 / 60 characters")
        self.assertEqual(title["budget"], "60")
        self.assertFalse(title["over"])
        self.assertEqual(title["warning"], "")
        self.assertEqual(title["aria-live"], "polite")

        description = preview.counter("description")
        self.assertEqual(
            description["text"], f"{len(self.seed.get_meta_description())} / {META_DESCRIPTION_BUDGET} characters"
        )
        self.assertEqual(description["budget"], "160")
        self.assertFalse(description["over"])  # the summary is shortened to fit

    def test_within_budget_shows_no_warning(self):
        self.save_draft(seo_title="Back", search_description="Back pain that runs down one leg.")
        preview = self.edit(self.seed)
        self.assertEqual(preview.title, f"Back | {BRAND}")
        self.assertEqual(preview.description, "Back pain that runs down one leg.")
        for name, text in [("title", "25 / 60 characters"), ("description", "33 / 160 characters")]:
            counter = preview.counter(name)
            self.assertEqual(counter["text"], text)
            self.assertFalse(counter["over"], name)
            self.assertEqual(counter["warning"], "", name)

    def test_over_long_title_tag_warns(self):
        seo_title = "Sciatica and back spasms: causes, symptoms and every treatment we offer"
        self.save_draft(seo_title=seo_title)
        preview = self.edit(self.seed)
        # Already over 60 characters: the brand is not added, and the editor is told.
        title_tag = seo_title
        self.assertEqual(preview.title, title_tag)
        counter = preview.counter("title")
        self.assertEqual(counter["text"], f"{len(title_tag)} / 60 characters")
        self.assertTrue(counter["over"])
        self.assertEqual(counter["warning"], f"— {len(title_tag) - 60} over budget: search engines may cut it short.")

    def test_a_draft_with_a_new_slug_previews_its_future_address(self):
        self.save_draft(slug="sciatica")
        self.assertEqual(self.edit(self.seed).url, "http://testserver/conditions/sciatica/")

    def test_carries_what_the_script_needs_to_update_it_live(self):
        panel = self.edit(self.seed).panel
        self.assertEqual((panel["data-brand"], panel["data-title-budget"]), (BRAND, "60"))
        self.assertEqual(panel["data-fallback-title"], f"{{title}} Treatment in Charleston, SC | {BRAND}")
        self.assertEqual(panel["data-fallback-title-short"], "{title} Treatment in Charleston, SC")
        self.assertEqual(panel["data-fallback-description"], shorten(self.seed.summary, META_DESCRIPTION_BUDGET))
        self.assertEqual(panel["data-url-base"], "http://testserver/conditions/")

    def test_the_fallbacks_ignore_the_pages_own_title_tag_and_description(self):
        self.save_draft(seo_title="Sciatica", search_description="Back pain that runs down one leg.")
        panel = self.edit(self.seed).panel
        self.assertEqual(panel["data-fallback-title"], f"{{title}} Treatment in Charleston, SC | {BRAND}")
        self.assertEqual(panel["data-fallback-description"], shorten(self.seed.summary, META_DESCRIPTION_BUDGET))

    def test_the_site_root_address_does_not_follow_its_slug(self):
        panel = self.edit(factories.home_page())
        self.assertEqual(panel.url, "http://testserver/")
        self.assertEqual(panel.panel["data-url-base"], "")

    def test_add_view_previews_a_page_not_yet_saved(self):
        index = ConditionIndexPage.objects.get()
        response = self.client.get(reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", index.pk]))
        self.assertEqual(response.status_code, 200)
        preview = Preview(response)
        self.assertEqual(preview.url, "http://testserver/conditions/")
        self.assertEqual(preview.title, f"{{title}} Treatment in Charleston, SC | {BRAND}")
        self.assertEqual(
            preview.description, "No meta description or summary: search engines will choose text from the page."
        )
        self.assertIn(
            "seo-preview__description--empty", preview.panel.find(attrs={"data-seo-preview-description": True})["class"]
        )
        self.assertEqual(preview.counter("description")["text"], "0 / 160 characters")
        self.assertEqual(preview.panel["data-url-base"], "http://testserver/conditions/")

    def test_the_script_and_styles_load_with_the_editor_only(self):
        html = self.edit(self.seed).html
        self.assertIsNotNone(html.find("script", src=SCRIPT))
        self.assertIsNotNone(html.find("link", href="/static/seo/admin/seo-preview.css"))

        self.client.logout()
        public = self.client.get(self.seed.url)
        self.assertEqual(public.status_code, 200)
        self.assertNotContains(public, "seo-preview")
