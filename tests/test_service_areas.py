"""Service-area pages: a condition for patients from a town without a clinic, naming the nearest
clinics that treat it with their distance, under the same doorway guard as local pages."""

import re
from decimal import Decimal

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.service_areas import ServiceAreaPage
from locations.towns import Town
from tests import factories
from tests.jsonld import check_graph, graph_from, nodes_by_type, schema_problems
from tests.test_local_pages import LOCAL_STORY, add_mount_pleasant_clinic, make_local_page

SUMMERVILLE_STORY = (
    "Patients from Summerville reach our Charleston clinic in about half an hour down Interstate 26, "
    "and most come before the morning traffic builds near the Ashley Phosphate exit. Parents coaching "
    "Little League at Gahagan Park, nurses from Trident Medical Center and warehouse crews from the "
    "Ridgeville distribution centres tell us their backs seize after long shifts or a weekend on the "
    "bleachers. We book their imaging and their therapy on the same morning so that one trip does, "
    "give home exercises that fit around school runs on Central Avenue, and answer questions about "
    "driving with sciatica on the long commute back up Dorchester Road after a flare-up settles down. "
    "Families from Nexton, Knightsville and Cane Bay often ask whether a standing desk, a firmer mattress "
    "or swimming at the Summerville Family YMCA would help; our therapists show which stretches suit them."
)


def text_body(text):
    return [("text_section", {"heading": "From Summerville", "text": RichText(f"<p>{text}</p>")})]


class ServiceAreaPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.charleston = factories.launch_demo_clinic()
        cls.mount_pleasant = add_mount_pleasant_clinic(treats=[cls.seed])
        cls.mount_pleasant.latitude, cls.mount_pleasant.longitude = Decimal("32.794100"), Decimal("-79.862600")
        cls.mount_pleasant.save_revision().publish()
        cls.summerville = Town.objects.create(
            name="Summerville", state="sc", latitude=Decimal("33.0185"), longitude=Decimal("-80.1756")
        )
        cls.page = cls.make(cls.summerville, SUMMERVILLE_STORY)
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    @classmethod
    def make(cls, town, text, slug="summerville"):
        page = cls.seed.add_child(
            instance=ServiceAreaPage(
                title=f"Back Spasm Care for {town.name} Patients",
                slug=slug,
                town=town,
                summary=f"What patients from {town.name} should know.",
                body=text_body(text),
                live=False,
            )
        )
        page.save_revision().publish()
        return page

    def test_it_names_the_nearest_clinics_with_their_distance_and_a_title_with_the_town(self):
        html = BeautifulSoup(self.client.get(self.page.url).content, "html.parser")
        self.assertEqual(html.title.get_text(), "Sciatica / Back Spasms Care near Summerville, SC")
        section = html.find("section", attrs={"aria-labelledby": "nearest-heading"})
        self.assertEqual(section.h2.get_text(), "Our nearest clinics to Summerville")
        cards = [card.get_text(" ", strip=True) for card in section.select("li.card")]
        self.assertEqual(len(cards), 2)
        self.assertTrue(cards[0].startswith("Charleston Clinic About 22 miles from Summerville"), cards)
        self.assertTrue(cards[1].startswith("Mount Pleasant Clinic About 24 miles from Summerville"), cards)
        self.assertEqual(html.find("meta", attrs={"name": "robots"})["content"], "index, follow")
        self.assertIn(f"http://testserver{self.page.url}", self.client.get("/sitemap.xml").content.decode())
        self.assertIn(f'href="{self.page.url}"', self.client.get(self.seed.url).content.decode())

    def test_graph_is_about_the_condition_for_the_town_naming_the_clinics(self):
        graph = graph_from(self.client.get(self.page.url))
        check_graph(self, graph)
        self.assertEqual(schema_problems(graph), [])
        [webpage] = nodes_by_type(graph, "MedicalWebPage")
        [condition] = nodes_by_type(graph, "MedicalCondition")
        self.assertEqual(webpage["about"], {"@id": condition["@id"]})
        self.assertEqual(len(webpage["mentions"]), 2)
        self.assertEqual(
            webpage["spatialCoverage"],
            {
                "@type": "City",
                "name": "Summerville",
                "containedInPlace": {"@type": "State", "name": "South Carolina"},
                "geo": {"@type": "GeoCoordinates", "latitude": 33.0185, "longitude": -80.1756},
            },
        )

    def test_no_clinic_is_invented_a_page_with_none_to_name_cannot_be_published(self):
        factories.publish_change(self.charleston, is_placeholder=True)
        self.mount_pleasant.latitude = None
        self.mount_pleasant.save_revision().publish()
        goose_creek = Town.objects.create(
            name="Goose Creek", state="SC", latitude=Decimal("32.9810"), longitude=Decimal("-80.0326")
        )
        self.client.force_login(self.admin)
        data = nested_form_data(
            {
                "title": "Back Spasm Care for Goose Creek Patients",
                "slug": "goose-creek",
                "town": goose_creek.pk,
                "summary": "For Goose Creek.",
                "body": streamfield(
                    [("text_section", {"heading": "Here", "text": rich_text(f"<p>{LOCAL_STORY}</p>")})]
                ),
                "action-publish": "action-publish",
            }
        )
        response = self.client.post(f"/admin/pages/add/conditions/serviceareapage/{self.seed.pk}/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "could name no clinic near the town")
        self.assertFalse(ServiceAreaPage.objects.filter(slug="goose-creek").exists())

    def test_the_same_text_as_a_local_page_fails_both(self):
        local = make_local_page(self.seed, "Back Spasm Care in Mount Pleasant", LOCAL_STORY, self.mount_pleasant)
        copy = self.make(
            Town.objects.create(name="Awendaw", state="SC", latitude=Decimal("33.03"), longitude=Decimal("-79.61")),
            LOCAL_STORY,
            "awendaw",
        )
        for page in (local, copy):
            html = BeautifulSoup(self.client.get(page.url).content, "html.parser")
            self.assertEqual(html.find("meta", attrs={"name": "robots"})["content"], "noindex, follow")
            self.assertEqual(html.find("link", rel="canonical")["href"], f"http://testserver{page.url}")
        self.assertIn(f"http://testserver{self.page.url}", self.client.get("/sitemap.xml").content.decode())

    def test_a_hostile_town_name_is_shown_as_text(self):
        hostile = Town.objects.create(
            name="<script>alert(1)</script>", state="SC", latitude=Decimal("33.0"), longitude=Decimal("-80.0")
        )
        page = self.make(hostile, SUMMERVILLE_STORY.replace("Summerville", "Ladson"), "hostile")
        body = self.client.get(page.url).content.decode()
        self.assertNotIn("<script>alert(1)</script>", body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)
        self.assertIsNone(re.search(r"<script>alert", body))
