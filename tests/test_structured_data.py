import datetime

from bs4 import BeautifulSoup
from django.test import TestCase

from conditions.models import ConditionPage
from locations.models import SpecialHours
from tests import factories
from tests.jsonld import check_graph, graph_from, nodes_by_type

ROOT = "http://testserver"


class StructuredDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.seed.reviewed_by = "Jane Doe, MD"
        cls.seed.last_reviewed = datetime.date(2026, 11, 2)
        # As approval through the Medical review workflow records it.
        cls.seed.reviewed_content_digest = cls.seed.medical_content_digest()
        cls.seed.save_revision().publish()
        cls.clinic = factories.launch_demo_clinic()
        cls.seed.refresh_from_db()
        SpecialHours.objects.create(
            location=cls.clinic,
            name="Christmas",
            start_date=datetime.date(2099, 12, 24),
            end_date=datetime.date(2099, 12, 26),
        )

    def graph(self, path):
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        graph = graph_from(response)
        check_graph(self, graph)
        return response, graph

    def page_node(self, graph, type_name):
        (node,) = nodes_by_type(graph, type_name)
        return node

    def test_every_page_type_has_a_valid_self_contained_graph(self):
        for path, page_type in [
            ("/", "WebPage"),
            ("/conditions/", "CollectionPage"),
            ("/conditions/sciatica-back-spasms/", "MedicalWebPage"),
            ("/locations/", "CollectionPage"),
            ("/locations/charleston/", "WebPage"),
        ]:
            with self.subTest(path=path):
                _, graph = self.graph(path)
                node = self.page_node(graph, page_type)
                self.assertEqual(node["@id"], f"{ROOT}{path}#webpage")
                self.assertEqual(node["isPartOf"], {"@id": f"{ROOT}/#website"})
                self.assertEqual(node["breadcrumb"], {"@id": f"{ROOT}{path}#breadcrumb"})
                self.assertEqual(node["inLanguage"], "en-US")
                self.assertIn("dateModified", node)
                website = self.page_node(graph, "WebSite")
                self.assertEqual(website["@id"], f"{ROOT}/#website")
                organization = self.page_node(graph, "MedicalOrganization")
                self.assertEqual(organization["@id"], f"{ROOT}/#organization")
                self.assertEqual(organization["telephone"], "+18435550100")

    def test_condition_graph_is_built_from_the_blocks(self):
        response, graph = self.graph(self.seed.url)
        page = self.page_node(graph, "MedicalWebPage")
        condition = self.page_node(graph, "MedicalCondition")
        self.assertEqual(page["about"], {"@id": condition["@id"]})
        self.assertEqual(page["lastReviewed"], "2026-11-02")
        self.assertEqual(page["reviewedBy"], {"@type": "Person", "name": "Jane Doe, MD"})
        self.assertEqual(page["medicalAudience"]["audienceType"], "Patient")
        self.assertEqual(condition["name"], "Sciatica / Back Spasms")
        self.assertEqual(condition["alternateName"], ["Muscle spasms in the back"])
        self.assertEqual(
            [cause["name"] for cause in condition["cause"]],
            ["Lack of Muscle Use", "Injury", "Diet", "Stress and Anxiety", "Over-Exercising"],
        )
        self.assertTrue(all(cause["@type"] == "MedicalCause" for cause in condition["cause"]))
        self.assertEqual(condition["possibleComplication"], ["Sciatica"])
        # Each treatment typed by its kind; medication is a drug.
        therapies = condition["possibleTreatment"] + condition["drug"]
        self.assertEqual(
            [(therapy["@type"], therapy["name"]) for therapy in therapies],
            [
                ("MedicalTherapy", "Heat or ice"),
                ("PhysicalTherapy", "Physical therapy"),
                ("SurgicalProcedure", "Surgery, in rare cases"),
                ("Drug", "Over-the-counter anti-inflammatory medication"),
            ],
        )
        # The clinics where it is treated, shown on the page as "Where we treat this".
        clinic = self.page_node(graph, "MedicalClinic")
        self.assertEqual(page["mentions"], [{"@id": clinic["@id"]}])
        self.assertContains(response, "Where we treat this")
        # What the graph says is what the page shows.
        text = BeautifulSoup(response.content, "html.parser").get_text(" ")
        for item in condition["cause"] + therapies:
            self.assertIn(item["name"], text)
        self.assertIn("Jane Doe, MD", text)

    def test_symptoms_become_sign_or_symptom(self):
        contact = self.seed.get_parent().get_parent().get_children().get(slug="contact")
        page = factories.make_condition(
            title="Sciatica", slug="sciatica", body=factories.every_block_body(contact, factories.make_image())
        )
        _, graph = self.graph(page.url)
        condition = self.page_node(graph, "MedicalCondition")
        self.assertEqual([s["name"] for s in condition["signOrSymptom"]], ["Pain down one leg", "Numb toes"])

    def test_location_graph_is_a_full_medical_clinic(self):
        response, graph = self.graph("/locations/charleston/")
        clinic = self.page_node(graph, "MedicalClinic")
        self.assertEqual(self.page_node(graph, "WebPage")["about"], {"@id": clinic["@id"]})
        self.assertEqual(
            clinic["address"],
            {
                "@type": "PostalAddress",
                "streetAddress": "96 Jonathan Lucas Street",
                "addressLocality": "Charleston",
                "addressRegion": "SC",
                "postalCode": "29401",
                "addressCountry": "US",
            },
        )
        self.assertEqual(clinic["telephone"], "+18435550100")
        self.assertEqual(clinic["geo"], {"@type": "GeoCoordinates", "latitude": 32.7765, "longitude": -79.9311})
        self.assertEqual(clinic["parentOrganization"], {"@id": f"{ROOT}/#organization"})
        self.assertIs(clinic["isAcceptingNewPatients"], True)
        self.assertEqual(clinic["url"], f"{ROOT}/locations/charleston/")
        self.assertIn(
            {
                "@type": "City",
                "name": "Mount Pleasant",
                "containedInPlace": {"@type": "State", "name": "South Carolina"},
            },
            clinic["areaServed"],
        )
        # The brand and the clinic, as its Business Profile names it; what it practises; a map link.
        self.assertEqual(clinic["name"], "SC Sports Medicine – Charleston Clinic")
        self.assertEqual(clinic["medicalSpecialty"], ["https://schema.org/Musculoskeletal"])
        self.assertEqual(
            clinic["hasMap"],
            "https://www.google.com/maps/search/?api=1&query=96+Jonathan+Lucas+Street%2C+Charleston%2C+SC+29401",
        )
        hours = clinic["openingHoursSpecification"]
        monday = [h for h in hours if h.get("dayOfWeek") == "https://schema.org/Monday"]
        self.assertEqual([(h["opens"], h["closes"]) for h in monday], [("08:00", "12:00"), ("13:00", "17:00")])
        (christmas,) = [h for h in hours if "validFrom" in h]
        self.assertEqual(
            (christmas["validFrom"], christmas["validThrough"], christmas["opens"], christmas["closes"]),
            ("2099-12-24", "2099-12-26", "00:00", "00:00"),
        )
        # Visible on the page: the address, the formatted phone as a tel: link, the hours and the closure.
        html = BeautifulSoup(response.content, "html.parser")
        main_text = html.find("main").get_text(" ")
        self.assertIn("96 Jonathan Lucas Street", main_text)
        self.assertEqual(html.find("main").find("a", href="tel:+18435550100").get_text(), "(843) 555-0100")
        self.assertIn("8:00 AM", main_text)
        self.assertIn("Christmas", main_text)
        self.assertIn("Sciatica / Back Spasms", main_text)

    def test_breadcrumb_list_matches_visible_breadcrumbs(self):
        response, graph = self.graph(self.seed.url)
        crumbs = self.page_node(graph, "BreadcrumbList")["itemListElement"]
        self.assertEqual(
            [(c["position"], c["name"], c["item"]) for c in crumbs],
            [
                (1, "Home", f"{ROOT}/"),
                (2, "Conditions We Treat", f"{ROOT}/conditions/"),
                (3, "Sciatica / Back Spasms", f"{ROOT}/conditions/sciatica-back-spasms/"),
            ],
        )
        visible = BeautifulSoup(response.content, "html.parser").select("nav.breadcrumbs li")
        self.assertEqual([li.get_text(strip=True) for li in visible], [c["name"] for c in crumbs])

    def test_script_cannot_be_closed_by_content(self):
        ConditionPage.objects.filter(pk=self.seed.pk).update(summary="</script><script>alert(1)</script>")
        response = self.client.get(self.seed.url)
        self.assertNotContains(response, "<script>alert(1)")
        condition = self.page_node(graph_from(response), "MedicalCondition")
        self.assertEqual(condition["description"], "</script><script>alert(1)</script>")
