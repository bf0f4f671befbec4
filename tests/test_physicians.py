"""Physician pages: what a patient reads, what search engines are told, and where clinicians appear."""

import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from appointments.models import AppointmentPage, AppointmentRequest
from conditions.models import ConditionPage
from conditions.review import ReviewerProfile
from physicians.models import PhysicianClinic, PhysicianIndexPage, PhysicianPage
from physicians.npi import is_valid_npi, validate_npi
from tests import factories, patient
from tests.jsonld import check_graph, graph_from, nodes_by_type

ROOT = "http://testserver"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def add_physician(title="Casey Placeholder", clinics=(), treats=(), **fields):
    fields = {"credentials": "MD", "job_title": "Orthopaedic surgeon", "bio": "<p>Sees knees.</p>", **fields}
    page = PhysicianPage(title=title, **fields)
    page.clinic_days = [PhysicianClinic(clinic=clinic, days=["0", "2"]) for clinic in clinics]
    page.conditions_treated = list(treats)
    PhysicianIndexPage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return PhysicianPage.objects.get(pk=page.pk)


def person_in(graph):
    return next(node for node in graph if "Person" in node["@type"])


class PhysicianPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.clinic = factories.launch_demo_clinic()
        cls.surgeon = PhysicianPage.objects.get(slug="morgan-example")

    def test_the_index_lists_each_clinician_with_a_link_to_their_page(self):
        response = self.client.get("/physicians/")
        self.assertEqual(response.status_code, 200)
        html = BeautifulSoup(response.content, "html.parser")
        links = [a.get_text() for a in html.select(".physician-list h2 a")]
        self.assertEqual(links, ["Morgan Example, MD", "Jordan Sample, DPT"])
        graph = graph_from(response)
        check_graph(self, graph)
        self.assertEqual(len(nodes_by_type(graph, "Person")), 2)

    def test_a_physician_page_shows_who_they_are_and_where_they_see_patients(self):
        response = self.client.get(self.surgeon.url)
        self.assertEqual(response.status_code, 200)
        html = BeautifulSoup(response.content, "html.parser")
        self.assertEqual(html.h1.get_text(), "Morgan Example, MD")
        text = html.get_text(" ", strip=True)
        for shown in (
            "Orthopaedic spine surgeon",
            "Accepting new patients",
            "Charleston Clinic : Monday, Tuesday, Thursday",
            "Sciatica / Back Spasms",
            "American Board of Orthopaedic Surgery",
            "Spine surgery fellowship, Example Spine Institute (2012)",
            "English, Spanish",
            "Fields of medicine Orthopaedics and sports medicine (musculoskeletal), Surgery",
            self.surgeon.npi,
        ):
            self.assertIn(shown, text)
        booking = html.find("a", string="Request an appointment with Morgan Example, MD")
        # The form has them chosen, and the request records the page the patient came from.
        self.assertEqual(booking["href"], f"/contact/?physician=morgan-example&from={self.surgeon.pk}")

    def test_the_clinician_is_a_person_and_an_individual_physician_in_one_graph(self):
        graph = graph_from(self.client.get(self.surgeon.url))
        check_graph(self, graph)
        person = person_in(graph)
        url = f"{ROOT}/physicians/morgan-example/"
        self.assertEqual(person["@id"], f"{url}#person")
        self.assertEqual(person["@type"], ["Person", "IndividualPhysician"])
        self.assertEqual((person["name"], person["honorificSuffix"]), ("Morgan Example", "MD"))
        self.assertEqual(person["jobTitle"], "Orthopaedic spine surgeon")
        self.assertEqual(person["usNPI"], self.surgeon.npi)
        self.assertEqual(person["knowsLanguage"], ["English", "Spanish"])
        self.assertEqual(person["worksFor"], {"@id": f"{ROOT}/#organization"})
        self.assertIn("https://schema.org/Musculoskeletal", person["medicalSpecialty"])
        self.assertIn("American Board of Orthopaedic Surgery", [c["name"] for c in person["hasCredential"]])
        # practicesAt points to the clinic's own node, defined in the same graph.
        clinic = nodes_by_type(graph, "MedicalClinic")[0]
        self.assertEqual(person["practicesAt"], [{"@id": clinic["@id"]}])
        page = nodes_by_type(graph, "ProfilePage")[0]
        self.assertEqual(page["mainEntity"], {"@id": person["@id"]})

    def test_a_clinician_without_a_clinic_is_a_person_only(self):
        writer = add_physician(title="Robin Writer", npi="1234567893")
        person = person_in(graph_from(self.client.get(writer.url)))
        self.assertEqual(person["@type"], "Person")
        self.assertNotIn("usNPI", person)
        self.assertNotIn("practicesAt", person)

    def test_the_npi_check_digit_is_checked(self):
        self.assertTrue(is_valid_npi("1234567893"))  # CMS's published example
        for wrong, message in (("1234567890", "check digit"), ("12345", "10 digits"), ("12345-6789", "10 digits")):
            with self.subTest(wrong), self.assertRaisesMessage(ValidationError, message):
                validate_npi(wrong)
        page = PhysicianPage.objects.get(slug="jordan-sample")
        page.npi = "1234567890"
        with self.assertRaises(ValidationError) as caught:
            page.full_clean()
        self.assertIn("npi", caught.exception.message_dict)

    def test_condition_and_clinic_pages_list_their_clinicians(self):
        condition = BeautifulSoup(self.client.get(self.seed.url).content, "html.parser")
        section = condition.find("section", class_="treating-physicians")
        self.assertEqual(section.h2.get_text(), "Physicians who treat this")
        self.assertEqual(
            [(a.get_text(), a["href"]) for a in section.select("h3 a")],
            [
                ("Morgan Example, MD", "/physicians/morgan-example/"),
                ("Jordan Sample, DPT", "/physicians/jordan-sample/"),
            ],
        )
        clinic = BeautifulSoup(self.client.get(self.clinic.url).content, "html.parser")
        self.assertEqual(
            [a.get_text() for a in clinic.select(".physician-list h3 a")], ["Morgan Example, MD", "Jordan Sample, DPT"]
        )

    def test_an_unpublished_clinician_leaves_the_lists(self):
        PhysicianPage.objects.get(slug="jordan-sample").unpublish()
        body = self.client.get(self.seed.url).content.decode()
        self.assertIn("Morgan Example, MD", body)
        self.assertNotIn("Jordan Sample", body)

    def test_hostile_text_is_shown_as_text_in_the_page_and_its_graph(self):
        hostile = "<script>alert(1)</script>"
        page = add_physician(title=f"Eve {hostile}", credentials=hostile, job_title=hostile, languages=hostile)
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertNotIn(hostile, body)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", body)
        person = person_in(graph_from(response))
        self.assertEqual(person["jobTitle"], hostile)
        response = self.client.get("/contact/?physician=%3Cscript%3Ealert(1)%3C/script%3E")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<script>alert(1)", response.content.decode())


class DemoPhysicianTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def sitemap(self):
        root = ET.fromstring(self.client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
        return {url.find("sm:loc", SITEMAP_NS).text for url in root.findall("sm:url", SITEMAP_NS)}

    def test_made_up_clinicians_are_kept_from_search_engines_and_stop_a_deployment(self):
        surgeon = PhysicianPage.objects.get(slug="morgan-example")
        html = BeautifulSoup(self.client.get(surgeon.url).content, "html.parser")
        self.assertIn("noindex", html.find("meta", attrs={"name": "robots"})["content"])
        self.assertNotIn(f"{ROOT}{surgeon.url}", self.sitemap())
        self.assertIn(f"{ROOT}/physicians/", self.sitemap())
        with self.assertRaisesMessage(SystemCheckError, "physicians.E001"):
            call_command("check", "--deploy", "--fail-level", "ERROR", tags=["content"])
        factories.publish_change(surgeon, is_placeholder=False)
        self.assertIn(f"{ROOT}{surgeon.url}", self.sitemap())

    def test_the_demo_npis_pass_the_check_digit_but_are_not_in_the_registry_range(self):
        for physician in PhysicianPage.objects.all():
            self.assertTrue(is_valid_npi(physician.npi))
            # The NPPES registry issues NPIs starting with 1 or 2.
            self.assertEqual(physician.npi[0], "9")


class PhysicianAppointmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.contact = AppointmentPage.objects.get(slug="contact")

    def physician_select(self, query=""):
        html = BeautifulSoup(self.client.get(f"/contact/{query}").content, "html.parser")
        label = html.find("label", string=lambda text: text and "Preferred physician" in text)
        return html.find(id=label["for"])

    def test_a_physicians_link_chooses_them_on_the_form_and_the_request_records_them(self):
        select = self.physician_select("?physician=morgan-example")
        chosen = select.find("option", selected=True)
        self.assertEqual(chosen.get_text(), "Morgan Example, MD")
        unknown = self.physician_select("?physician=nobody").find("option", selected=True)
        self.assertEqual(unknown.get_text(), "No preference")
        data = patient.answers(preferred_physician="Morgan Example, MD")
        response = self.client.post("/contact/", data)
        self.assertEqual(response.status_code, 303)
        stored = AppointmentRequest.objects.get()
        self.assertEqual(stored.form_data["preferred_physician"], "Morgan Example, MD")

    def test_a_physician_not_on_the_list_is_refused_with_a_message(self):
        data = patient.answers(preferred_physician="Dr. Nobody")
        response = self.client.post("/contact/", data)
        self.assertContains(response, "Choose one of the answers listed for “Preferred physician”.", status_code=200)
        self.assertFalse(AppointmentRequest.objects.exists())


class ReviewerBylineTests(TestCase):
    """“Medically reviewed by Morgan Example, MD” links to her page, and reviewedBy is her @id."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.reviewer = get_user_model().objects.get(username="morgan.example")

    def approve_in_the_workflow(self, page):
        editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
        Workflow.objects.get(name="Medical review").start(page, editor)
        task_state = ConditionPage.objects.get(pk=page.pk).current_workflow_task_state
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]), {"comment": ""}
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        return ConditionPage.objects.get(pk=page.pk)

    def test_the_byline_links_to_the_reviewers_page_and_the_graph_names_her_by_id(self):
        page = self.approve_in_the_workflow(self.seed)
        self.assertEqual(page.reviewed_by, "Morgan Example, MD")
        response = self.client.get(page.url)
        line = BeautifulSoup(response.content, "html.parser").select_one(".medical-review")
        self.assertTrue(line.get_text(" ", strip=True).startswith("Medically reviewed by Morgan Example, MD"))
        self.assertIn("Next review due", line.get_text())
        self.assertEqual(line.a["href"], "/physicians/morgan-example/")
        graph = graph_from(response)
        check_graph(self, graph)
        webpage = nodes_by_type(graph, "MedicalWebPage")[0]
        self.assertEqual(webpage["reviewedBy"], {"@id": f"{ROOT}/physicians/morgan-example/#person"})
        reviewer = next(node for node in graph if node.get("@id") == webpage["reviewedBy"]["@id"])
        self.assertEqual((reviewer["name"], reviewer["honorificSuffix"]), ("Morgan Example", "MD"))

    def test_a_reviewer_without_a_physician_page_is_named_without_a_link(self):
        ReviewerProfile.objects.filter(user=self.reviewer).update(physician=None)
        page = self.approve_in_the_workflow(self.seed)
        response = self.client.get(page.url)
        line = BeautifulSoup(response.content, "html.parser").select_one(".medical-review")
        self.assertIsNone(line.a)
        webpage = nodes_by_type(graph_from(response), "MedicalWebPage")[0]
        # Her name, and her credentials apart from it (from her reviewer profile).
        self.assertEqual(webpage["reviewedBy"], {"@type": "Person", "name": "Morgan Example", "honorificSuffix": "MD"})


class PhysicianEditorTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.clinic = factories.launch_demo_clinic()
        cls.seed = ConditionPage.objects.get(slug="sciatica-back-spasms")
        cls.index = PhysicianIndexPage.objects.get()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.admin)

    def form(self, **fields):
        data = nested_form_data(
            {
                "title": "Sam Hart",
                "slug": "sam-hart",
                "credentials": "DO",
                "job_title": "Sports medicine physician",
                "bio": rich_text("<p>Treats runners.</p>"),
                "specialties": "Sports medicine",
                "board_certifications": "",
                "languages": "English",
                "accepting_new_patients": "on",
                "npi": "1234567893",
                "education": inline_formset(
                    [
                        {
                            "kind": "degree",
                            "name": "Doctor of Osteopathic Medicine",
                            "institution": "A College",
                            "year": "2010",
                        }
                    ]
                ),
                "clinic_days": inline_formset([{"clinic": self.clinic.pk}]),
                **fields,
            }
        )
        # Tick boxes post one value per box ticked.
        data.update(
            {
                "medical_specialties": ["Musculoskeletal"],
                "conditions_treated": [self.seed.pk],
                "clinic_days-0-days": ["1", "3"],
            }
        )
        return data

    def test_an_editor_adds_a_clinician_with_training_and_clinic_days(self):
        self.assertCanCreate(self.index, PhysicianPage, self.form())
        page = PhysicianPage.objects.get(slug="sam-hart")
        self.assertEqual(page.medical_specialties, ["Musculoskeletal"])
        self.assertEqual(list(page.conditions_treated.all()), [self.seed])
        self.assertEqual([(entry.clinic, entry.days) for entry in page.clinic_days.all()], [(self.clinic, ["1", "3"])])
        page.save_revision().publish()
        text = BeautifulSoup(self.client.get(page.url).content, "html.parser").get_text(" ", strip=True)
        self.assertIn("Charleston Clinic : Tuesday, Thursday", text)
        self.assertIn("Doctor of Osteopathic Medicine, A College (2010)", text)

    def test_a_mistyped_npi_is_refused_with_a_message(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["physicians", "physicianpage", self.index.pk]),
            self.form(npi="1234567890"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This NPI&#x27;s last digit does not match the others")
        self.assertFalse(PhysicianPage.objects.filter(slug="sam-hart").exists())


class PhysicianPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_a_saved_physician_page_previews_with_its_unsaved_conditions(self):
        # The editor's preview holds the page's lists in memory, not in the database.
        for conditions, shown in (([], False), ([self.seed], True)):
            page = PhysicianPage.objects.get(slug="jordan-sample").get_latest_revision_as_object()
            page.conditions_treated = conditions
            response = page.make_preview_request()
            self.assertEqual(response.status_code, 200)
            self.assertEqual("Conditions Jordan Sample treats" in response.content.decode(), shown)
