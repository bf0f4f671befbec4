import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.utils import timezone
from wagtail.models import PageViewRestriction

from conditions.models import ConditionIndexPage
from home.models import PracticeSettings, TitleTemplate, primary_location
from locations.models import LocationPage
from seo.titles import META_DESCRIPTION_BUDGET, render_template, shorten, validate_template
from tests import factories
from tests.factories import publish_change

PRACTICE = "South Carolina Sports Medicine & Orthopaedic Center"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def head(response):
    html = BeautifulSoup(response.content, "html.parser")
    meta = {
        tag.get("name") or tag.get("property"): tag["content"]
        for tag in html.head.find_all("meta")
        if tag.get("content")
    }
    canonical = html.head.find("link", rel="canonical")
    return html.title.get_text(), meta, canonical["href"] if canonical else None


class TitleTemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.practice = PracticeSettings.load()

    def test_seed_title_is_location_targeted(self):
        title, _, _ = head(self.client.get(self.seed.url))
        self.assertEqual(title, "Sciatica / Back Spasms Treatment in Charleston, SC")
        self.assertIn("Charleston, SC", title)

    def test_each_variable_in_a_settings_template(self):
        TitleTemplate.objects.create(
            settings=self.practice,
            page_type="conditions.conditionpage",
            title_template="{title} doctor, {city} {state} – {practice}",
            description_template="{summary} Call us in {city}.",
        )
        title, meta, _ = head(self.client.get(self.seed.url))
        # With the practice's full name it would pass 60 characters: the name is left off, whole.
        self.assertEqual(title, "Sciatica / Back Spasms doctor, Charleston SC")
        # The summary is shortened so that the template's own words fit the 160 characters too.
        suffix = " Call us in Charleston."
        self.assertEqual(
            meta["description"], shorten(self.seed.summary, META_DESCRIPTION_BUDGET - len(suffix)) + suffix
        )
        self.assertLessEqual(len(meta["description"]), META_DESCRIPTION_BUDGET)
        self.assertEqual(meta["og:title"], title)

    def test_location_comes_from_the_pages_own_clinic(self):
        clinic = factories.make_clinic("Summerville Clinic", state="sc")
        title, _, _ = head(self.client.get(clinic.url))
        self.assertEqual(title, "Summerville Clinic: Orthopaedic Care in Summerville, SC")

    def test_pages_own_title_tag_overrides_the_template(self):
        self.seed.seo_title = "Sciatica doctor in Charleston, SC"
        self.seed.save_revision().publish()
        title, _, _ = head(self.client.get(self.seed.url))
        self.assertEqual(title, "Sciatica doctor in Charleston, SC | SC Sports Medicine")

    def test_unknown_variables_and_attribute_access_are_refused(self):
        for template in ["{title} in {town}", "{title.__class__}", "{title[0]}", "{title"]:
            with self.subTest(template=template), self.assertRaises(ValidationError):
                validate_template(template)
        validate_template("{title} Treatment in {city}, {state} | {practice}")

    def test_missing_location_falls_back_to_title_and_practice(self):
        self.assertEqual(
            render_template(
                "{title} Treatment in {city}, {state} | {practice}", {"title": "X", "practice": "P", "brand": "B"}
            ),
            "X | B",
        )

    def test_primary_location_is_the_marked_clinic(self):
        self.assertEqual(primary_location().slug, "charleston")


class CanonicalAndRobotsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_indexable_page_is_canonical_to_itself(self):
        _, meta, canonical = head(self.client.get(self.seed.url))
        self.assertEqual(canonical, "http://testserver/conditions/sciatica-back-spasms/")
        self.assertEqual(meta["robots"], "index, follow")
        self.assertEqual(meta["og:url"], canonical)

    def test_noindex_page(self):
        self.seed.noindex = True
        self.seed.save_revision().publish()
        _, meta, _ = head(self.client.get(self.seed.url))
        self.assertEqual(meta["robots"], "noindex, follow")

    def test_canonical_override(self):
        self.seed.canonical_url = "https://www.example.org/sciatica/"
        self.seed.save_revision().publish()
        _, _, canonical = head(self.client.get(self.seed.url))
        self.assertEqual(canonical, "https://www.example.org/sciatica/")

    def test_canonical_override_must_be_an_absolute_url(self):
        self.seed.canonical_url = "/sciatica/"
        with self.assertRaises(ValidationError):
            self.seed.full_clean()

    def test_social_image(self):
        self.seed.social_image = factories.make_image()
        self.seed.save_revision().publish()
        _, meta, _ = head(self.client.get(self.seed.url))
        self.assertTrue(meta["og:image"].startswith("http://testserver/"))
        self.assertEqual(meta["twitter:card"], "summary_large_image")
        self.assertEqual(meta["twitter:image"], meta["og:image"])


class SitemapAndRobotsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def sitemap(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap
        return {
            url.find("sm:loc", SITEMAP_NS).text: url.find("sm:lastmod", SITEMAP_NS).text
            for url in root.findall("sm:url", SITEMAP_NS)
        }

    def test_lists_live_indexable_pages_with_last_publish_date(self):
        entries = self.sitemap()
        self.assertIn("http://testserver/conditions/sciatica-back-spasms/", entries)
        self.assertIn("http://testserver/", entries)
        # The demo clinic holds demo data to replace: out of the sitemap until its details are real.
        self.assertNotIn("http://testserver/locations/charleston/", entries)
        publish_change(LocationPage.objects.get(slug="charleston"), is_placeholder=False)
        self.assertIn("http://testserver/locations/charleston/", self.sitemap())
        self.seed.refresh_from_db()
        self.assertEqual(
            entries["http://testserver/conditions/sciatica-back-spasms/"][:10],
            timezone.localtime(self.seed.last_published_at).date().isoformat(),
        )

    def test_leaves_out_noindex_excluded_unpublished_and_private_pages(self):
        index = ConditionIndexPage.objects.get()
        hidden = factories.make_condition(index, title="Hidden", slug="hidden", noindex=True)
        excluded = factories.make_condition(index, title="Excluded", slug="excluded", exclude_from_sitemap=True)
        draft = factories.make_condition(index, title="Draft", slug="draft", publish=False)
        private = factories.make_condition(index, title="Private", slug="private")
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
        entries = self.sitemap()
        for page in (hidden, excluded, draft, private):
            self.assertNotIn(f"http://testserver/conditions/{page.slug}/", entries)

    def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out(self):
        practice = PracticeSettings.load()
        practice.robots_txt = "Disallow: /drafts/"
        practice.save()
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Disallow: /search/", lines)
        self.assertIn("Disallow: /drafts/", lines)
        self.assertIn("Sitemap: http://testserver/sitemap.xml", lines)

    def test_search_results_are_noindex(self):
        _, meta, _ = head(self.client.get("/search/?query=sciatica"))
        self.assertEqual(meta["robots"], "noindex, follow")


class PracticeLogoTests(TestCase):
    def test_logo_is_shown_in_the_header_beside_the_practice_name(self):
        factories.load_demo_site()
        practice = PracticeSettings.load()
        practice.logo = factories.make_image("Logo")
        practice.save()
        html = BeautifulSoup(self.client.get("/").content, "html.parser")
        brand = html.select_one("a.site-header__brand")
        self.assertEqual(brand.img["alt"], "")
        self.assertTrue(brand.img["height"])
        # The full name on wide screens, the short name on phones (the stylesheet shows one of them).
        self.assertEqual(brand.select_one(".site-header__name").get_text(), PRACTICE)
        self.assertEqual(brand.select_one(".site-header__short-name").get_text(), "SC Sports Medicine")


class SharedSettingsFreshnessTests(TestCase):
    """The practice settings and menu are kept per cache generation: every change must show at once."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_a_new_title_template_shows_on_the_next_request(self):
        self.assertIn("Treatment in Charleston, SC", head(self.client.get(self.seed.url))[0])
        TitleTemplate.objects.create(
            settings=PracticeSettings.load(), page_type="conditions.conditionpage", title_template="{title} care"
        )
        self.assertEqual(head(self.client.get(self.seed.url))[0], "Sciatica / Back Spasms care")

    def test_a_renamed_practice_shows_on_the_next_request(self):
        self.client.get("/")
        practice = PracticeSettings.load()
        practice.practice_name = "Lowcountry Orthopaedics"
        practice.save()
        html = BeautifulSoup(self.client.get("/").content, "html.parser")
        self.assertEqual(html.select_one(".site-header__name").get_text(), "Lowcountry Orthopaedics")

    def test_a_settings_form_sent_back_with_errors_changes_nothing_visitors_see(self):
        self.client.get("/")
        admin = Client()
        admin.force_login(get_user_model().objects.create_superuser("admin", "admin@example.com", "pw"))
        url = f"/admin/settings/home/practicesettings/{PracticeSettings.load().pk}/"
        form = BeautifulSoup(admin.get(url).content, "html.parser").select_one("form[method=post]")
        data = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
        data.update({area["name"]: area.get_text() for area in form.select("textarea[name]")})
        data.update({"practice_name": "Unsaved Practice Name", "main_phone": "not a phone number"})

        response = admin.post(url, data)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enter a US phone number with its area code, like (843) 555-0100.")
        page = self.client.get("/").content.decode()
        self.assertIn("Orthopaedic Center", page)
        self.assertNotIn("Unsaved Practice Name", page)

    def test_a_page_added_to_the_menu_shows_on_the_next_request(self):
        self.client.get("/")
        conditions = self.seed.get_parent().specific
        conditions.show_in_menus = False
        conditions.save_revision().publish()
        menu = BeautifulSoup(self.client.get("/").content, "html.parser").select("nav.site-nav a")
        self.assertNotIn("Conditions We Treat", [a.get_text(strip=True) for a in menu])
