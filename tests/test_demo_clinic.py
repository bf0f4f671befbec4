"""Demo data never goes live by accident: a clinic ticked "demo data to replace" stays out of search."""

import re

from bs4 import BeautifulSoup
from django.test import TestCase
from wagtail.models import Page

from locations.checks import no_live_placeholder_clinics
from tests import factories
from tests.jsonld import graph_from, nodes_by_type

CLINIC_URL = "/locations/charleston/"


class PlaceholderClinicTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def robots(self, url):
        html = BeautifulSoup(self.client.get(url).content, "html.parser")
        return html.find("meta", attrs={"name": "robots"})["content"]

    def test_its_page_is_hidden_and_its_details_stay_out_of_every_graph(self):
        self.assertEqual(self.robots(CLINIC_URL), "noindex, follow")
        self.assertNotIn(CLINIC_URL, self.client.get("/sitemap.xml").content.decode())
        for page in Page.objects.live().filter(depth__gt=1):
            with self.subTest(page=page.url):
                response = self.client.get(page.url)
                graph = graph_from(response)
                self.assertEqual(nodes_by_type(graph, "MedicalClinic"), [])
                organization = nodes_by_type(graph, "MedicalOrganization")[0]
                self.assertNotIn("address", organization)
                text = BeautifulSoup(response.content, "html.parser").get_text(" ")
                self.assertIsNone(re.search("placeholder|demo data", text, re.IGNORECASE))

    def test_the_deploy_check_names_it_until_its_details_are_replaced(self):
        errors = no_live_placeholder_clinics()
        self.assertEqual([error.id for error in errors], ["locations.E001"])
        self.assertIn("“Charleston Clinic” (/locations/charleston/)", errors[0].msg)

        factories.launch_demo_clinic()
        self.assertEqual(no_live_placeholder_clinics(), [])
        self.assertEqual(self.robots(CLINIC_URL), "index, follow")
        self.assertIn(CLINIC_URL, self.client.get("/sitemap.xml").content.decode())
        graph = graph_from(self.client.get(self.seed.url))
        [clinic] = nodes_by_type(graph, "MedicalClinic")
        self.assertEqual(clinic["address"]["streetAddress"], "96 Jonathan Lucas Street")
        self.assertEqual(nodes_by_type(graph, "MedicalOrganization")[0]["address"], clinic["address"])
