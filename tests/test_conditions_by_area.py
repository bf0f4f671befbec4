"""/conditions/ by body area: plain links that filter the list, and the demo's menu and logo."""

from bs4 import BeautifulSoup
from django.test import TestCase

from home.models import PracticeSettings
from tests import factories


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


class ConditionsByAreaTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        factories.make_condition(title="Knee Pain", slug="knee-pain", body_areas=["knee"], summary="Pain in the knee.")
        factories.make_condition(title="Meniscus Tear", slug="meniscus", body_areas=["knee", "sports"])

    def titles(self, html):
        return [a.get_text() for a in html.select(".card-list a")]

    def test_the_areas_with_conditions_are_links_with_their_counts(self):
        html = soup(self.client.get("/conditions/"))
        nav = html.find("nav", attrs={"aria-label": "Conditions by body area"})
        links = [(" ".join(a.get_text().split()), a["href"]) for a in nav.find_all("a")]
        self.assertEqual(
            links,
            [
                ("All conditions", "/conditions/"),
                ("Spine and back (1)", "/conditions/?area=spine"),
                ("Knee (2)", "/conditions/?area=knee"),
                ("Sports injuries (1)", "/conditions/?area=sports"),
            ],
        )
        self.assertEqual(nav.find("a", attrs={"aria-current": "page"}).get_text(), "All conditions")
        self.assertEqual(self.titles(html), ["Knee Pain", "Meniscus Tear", "Sciatica / Back Spasms"])

    def test_an_area_lists_its_conditions_with_their_summaries(self):
        html = soup(self.client.get("/conditions/?area=knee"))
        self.assertEqual(html.select_one("main h2:not(.area-filter__heading)").get_text(), "Knee")
        self.assertEqual(self.titles(html), ["Knee Pain", "Meniscus Tear"])
        self.assertIn("Pain in the knee.", html.select_one(".card-list").get_text())
        current = html.find("nav", attrs={"aria-label": "Conditions by body area"}).find(attrs={"aria-current": "page"})
        self.assertIn("Knee", current.get_text())
        # The chosen area is the same page to search engines.
        self.assertEqual(html.find("link", rel="canonical")["href"], "http://testserver/conditions/")

    def test_an_unknown_or_hostile_area_lists_every_condition(self):
        for area in ("elbow", "nowhere", "<script>alert(1)</script>"):
            with self.subTest(area=area):
                response = self.client.get("/conditions/", {"area": area})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(len(self.titles(soup(response))), 3)
                self.assertNotIn("<script>alert(1)", response.content.decode())


class DemoHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def test_the_menu_leads_with_conditions_and_ends_with_the_appointment_page(self):
        html = soup(self.client.get("/"))
        menu = [a.get_text() for a in html.find("nav", attrs={"aria-label": "Main"}).find_all("a")]
        self.assertEqual(
            menu,
            [
                "Conditions We Treat",
                "Treatments We Offer",
                "Our Physicians",
                "Our Locations",
                "Request an Appointment",
                "Search",
            ],
        )

    def test_the_demo_has_a_logo_of_its_own_beside_the_name(self):
        self.assertIsNotNone(PracticeSettings.load().logo)
        brand = soup(self.client.get("/")).select_one("a.site-header__brand")
        self.assertEqual(brand.img["alt"], "")
        self.assertEqual((brand.img["width"], brand.img["height"]), ("96", "96"))
