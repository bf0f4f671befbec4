"""The Spanish site: addresses, the language switcher, hreflang alternates, the sitemap, titles and
structured data, with the English site unchanged beside it."""

import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import TestCase
from wagtail.models import Locale, Page

from conditions.models import ConditionIndexPage, ConditionPage
from home.models import HomePage, PracticeSettings, TitleTemplate
from locations.models import LocationPage
from tests import factories
from tests.jsonld import graph_from

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SEED_EN = "/conditions/sciatica-back-spasms/"
SEED_ES = "/es/condiciones/ciatica-espasmos-de-espalda/"
ORIGIN = "http://testserver"


def parsed(response):
    return BeautifulSoup(response.content, "html.parser")


def alternates(response):
    return {link["hreflang"]: link["href"] for link in parsed(response).head.find_all("link", rel="alternate")}


def switcher(response):
    link = parsed(response).select_one("a.language-switch")
    return link["href"], link["lang"], link.select_one(".language-switch__name").get_text(strip=True)


class SpanishAddressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()

    def test_spanish_pages_answer_under_es_with_spanish_slugs(self):
        for path in ("/es/", "/es/condiciones/", SEED_ES, "/es/clinicas/charleston/", "/es/cita/"):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(parsed(response).html["lang"], "es")
                self.assertEqual(response["Content-Language"], "es")

    def test_the_spanish_clinic_describes_its_photo_in_spanish(self):
        spanish = parsed(self.client.get("/es/clinicas/charleston/")).select_one(".location__media img")
        self.assertEqual(
            spanish["alt"], "Dibujo de la fachada de una clínica de dos pisos con una puerta azul bajo un toldo naranja"
        )
        english = parsed(self.client.get("/locations/charleston/")).select_one(".location__media img")
        self.assertTrue(english["alt"].startswith("Drawing of a two-storey clinic front"))

    def test_english_addresses_and_redirects_are_unchanged(self):
        for path in ("/", "/conditions/", SEED_EN, "/locations/charleston/", "/contact/", "/search/"):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(parsed(response).html["lang"], "en")
        self.assertRedirects(
            self.client.get("/sciatica-treatment-charleston-sc/"),
            SEED_EN,
            status_code=301,
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get("/en/").status_code, 404)

    def test_a_spanish_browser_still_gets_english_at_the_english_address(self):
        response = self.client.get("/", headers={"accept-language": "es-US,es;q=0.9"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(parsed(response).html["lang"], "en")
        self.assertNotIn("Accept-Language", response.get("Vary", ""))

    def test_spanish_page_reads_in_spanish(self):
        html = parsed(self.client.get(SEED_ES))
        self.assertEqual(html.h1.get_text(), "Ciática / Espasmos de espalda")
        self.assertEqual(html.title.get_text(), "Ciática / Espasmos de espalda: tratamiento en Charleston, SC")
        self.assertEqual(html.select_one(".skip-link").get_text(), "Saltar al contenido principal")
        self.assertEqual(html.select_one(".medical-review").get_text(strip=True), "Pendiente de revisión médica")
        self.assertEqual(html.find("meta", property="og:locale")["content"], "es_US")
        self.assertIn("Llamar", html.select_one(".site-header__phone").get_text())

    def test_structured_data_says_the_language(self):
        spanish_graph = graph_from(self.client.get(SEED_ES))
        english_graph = graph_from(self.client.get(SEED_EN))
        self.assertEqual({node["inLanguage"] for node in spanish_graph if "inLanguage" in node}, {"es-US"})
        self.assertEqual({node["inLanguage"] for node in english_graph if "inLanguage" in node}, {"en-US"})

    def test_clinic_hours_are_written_in_spanish(self):
        html = parsed(self.client.get("/es/clinicas/charleston/"))
        rows = [row.get_text(" ", strip=True) for row in html.select("table.hours tr")]
        self.assertEqual(rows[0], "lunes 8:00 a.m. – 12:00 p.m. , 1:00 p.m. – 5:00 p.m.")
        self.assertEqual(rows[5], "sábado Cerrado")
        self.assertEqual(html.select_one("table.hours caption").get_text(), "Horario de Clínica de Charleston")

    def test_spanish_title_templates_apply_to_spanish_pages_only(self):
        TitleTemplate.objects.create(
            settings=PracticeSettings.load(),
            page_type="conditions.conditionpage",
            language="es",
            title_template="{title}: médicos en {city}",
        )
        self.assertEqual(
            parsed(self.client.get(SEED_ES)).title.get_text(), "Ciática / Espasmos de espalda: médicos en Charleston"
        )
        self.assertEqual(
            parsed(self.client.get(SEED_EN)).title.get_text(), "Sciatica / Back Spasms Treatment in Charleston, SC"
        )

    def test_listings_show_each_language_its_own_pages(self):
        english_home = self.client.get("/").content.decode()
        spanish_home = self.client.get("/es/").content.decode()
        self.assertIn('href="/locations/charleston/"', english_home)
        # The language switcher is the English home page's one link into the Spanish site.
        self.assertEqual(english_home.count('href="/es/'), 1)
        self.assertIn('href="/es/clinicas/charleston/"', spanish_home)
        self.assertIn(f'href="{SEED_ES}"', spanish_home)
        self.assertNotIn(f'href="{SEED_EN}"', spanish_home)
        self.assertNotIn('href="/locations/charleston/"', spanish_home)


class LanguageSwitcherTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()

    def test_a_translated_page_links_to_its_translation_both_ways(self):
        self.assertEqual(switcher(self.client.get(SEED_EN)), (SEED_ES, "es", "Español"))
        self.assertEqual(switcher(self.client.get(SEED_ES)), (SEED_EN, "en", "English"))
        self.assertEqual(switcher(self.client.get("/")), ("/es/", "es", "Español"))
        self.assertEqual(switcher(self.client.get("/es/")), ("/", "en", "English"))

    def test_an_untranslated_page_links_to_the_spanish_home_page(self):
        self.assertEqual(switcher(self.client.get("/treatments/"))[0], "/es/")

    def test_a_page_whose_translation_is_not_live_links_to_the_spanish_home_page(self):
        ConditionPage.objects.get(url_path__endswith="/ciatica-espasmos-de-espalda/").unpublish()
        self.assertEqual(switcher(self.client.get(SEED_EN))[0], "/es/")
        self.assertEqual(self.client.get(SEED_ES).status_code, 404)

    def test_search_links_to_the_search_in_the_other_language(self):
        self.assertEqual(switcher(self.client.get("/search/"))[0], "/es/buscar/")
        self.assertEqual(switcher(self.client.get("/es/buscar/"))[0], "/search/")


class HreflangTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()

    def test_both_versions_name_each_other_and_english_as_the_default(self):
        expected = {"en": ORIGIN + SEED_EN, "es": ORIGIN + SEED_ES, "x-default": ORIGIN + SEED_EN}
        self.assertEqual(alternates(self.client.get(SEED_EN)), expected)
        self.assertEqual(alternates(self.client.get(SEED_ES)), expected)
        self.assertEqual(
            alternates(self.client.get("/es/")),
            {"en": ORIGIN + "/", "es": ORIGIN + "/es/", "x-default": ORIGIN + "/"},
        )

    def test_no_alternates_without_a_live_translation(self):
        self.assertEqual(alternates(self.client.get("/treatments/")), {})
        ConditionPage.objects.get(url_path__endswith="/ciatica-espasmos-de-espalda/").unpublish()
        self.assertEqual(alternates(self.client.get(SEED_EN)), {})

    def test_sitemap_lists_both_languages_with_their_alternates(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        urls = {
            url.find("sm:loc", SITEMAP_NS).text: {
                link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
            }
            for url in ET.fromstring(response.content).findall("sm:url", SITEMAP_NS)  # noqa: S314 - our own sitemap
        }
        expected = {"en": ORIGIN + SEED_EN, "es": ORIGIN + SEED_ES, "x-default": ORIGIN + SEED_EN}
        self.assertEqual(urls[ORIGIN + SEED_EN], expected)
        self.assertEqual(urls[ORIGIN + SEED_ES], expected)
        self.assertIn(ORIGIN + "/es/cita/", urls)
        self.assertEqual(urls[ORIGIN + "/treatments/"], {})


class SpanishSiteStructureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site_with_spanish()

    def test_the_spanish_home_is_the_translation_of_the_english_home(self):
        english, spanish_home = HomePage.objects.order_by("locale__language_code")
        self.assertEqual(spanish_home.locale.language_code, "es")
        self.assertEqual(spanish_home.translation_key, english.translation_key)
        self.assertEqual(spanish_home.url, "/es/")

    def test_the_spanish_conditions_section_has_the_medical_review_workflow(self):
        spanish_index = ConditionIndexPage.objects.get(locale__language_code="es")
        self.assertEqual(spanish_index.get_workflow().name, "Medical review")

    def test_a_translated_clinic_keeps_its_address_in_step(self):
        english = LocationPage.objects.get(locale__language_code="en")
        translated = LocationPage.objects.get(locale__language_code="es")
        self.assertEqual(translated.title, "Clínica de Charleston")
        self.assertEqual(
            (translated.street_address, translated.city, translated.phone),
            (english.street_address, english.city, english.phone),
        )

    def test_the_locales_are_english_and_spanish(self):
        self.assertEqual(set(Locale.objects.values_list("language_code", flat=True)), {"en", "es"})
        self.assertEqual(Locale.get_default().language_code, "en")
        self.assertEqual(Page.objects.filter(locale__language_code="es").count(), 6)

    def test_editors_may_submit_pages_for_translation(self):
        editors = Group.objects.get(name="Editors")
        self.assertTrue(editors.permissions.filter(codename="submit_translation").exists())
