import html
import re
from io import StringIO

from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision, Site

from demo.seed import SEED_PATH, split_sentences
from locations.models import LocationPage
from tests import factories


def seed_sentences():
    """Every sentence of the practice's original page, headings and bullet items included."""
    sentences = []
    for line in SEED_PATH.read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("•").strip()
        if line:
            sentences.extend(split_sentences(line))
    return sentences


def visible_text(response):
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return re.sub(r"\s+", " ", html.unescape(main.get_text(" ")))


class SeedPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.load_demo_site()

    def test_seed_page_lives_at_its_address_with_its_title(self):
        response = self.client.get("/conditions/sciatica-back-spasms/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Sciatica / Back Spasms</h1>", html=True)

    def test_every_sentence_of_the_seed_document_is_on_the_page(self):
        text = visible_text(self.client.get(self.page.url))
        sentences = seed_sentences()
        self.assertGreater(len(sentences), 20)
        missing = [sentence for sentence in sentences if " ".join(sentence.split()) not in text]
        self.assertEqual(missing, [])

    def test_causes_are_cause_items(self):
        causes = next(block.value for block in self.page.body if block.block_type == "causes")
        self.assertEqual(
            [cause["name"] for cause in causes["causes"]],
            ["Lack of Muscle Use", "Injury", "Diet", "Stress and Anxiety", "Over-Exercising"],
        )
        self.assertIn("potassium", causes["causes"][2]["explanation"])

    def test_complications_and_treatment_are_in_their_blocks(self):
        block_types = [block.block_type for block in self.page.body]
        self.assertIn("complications", block_types)
        treatment = next(block.value for block in self.page.body if block.block_type == "treatment")
        self.assertEqual(
            [option["kind"] for option in treatment["options"]],
            ["home_care", "medication", "physical_therapy", "surgery"],
        )
        # Each of the old page's treatment sentences under the treatment it describes, nothing added:
        # the one naming physical therapy, medication and surgery introduces the options.
        explanations = {option["name"]: option["explanation"] for option in treatment["options"]}
        self.assertTrue(explanations["Heat or ice"].startswith("For minor back spasms, you can apply heat or ice"))
        self.assertTrue(explanations["Over-the-counter anti-inflammatory medication"].startswith("If they only occur"))
        self.assertEqual((explanations["Physical therapy"], explanations["Surgery, in rare cases"]), ("", ""))
        self.assertTrue(treatment["intro"].endswith("and in rare cases, surgery."))
        html = BeautifulSoup(self.client.get(self.page.url).content, "html.parser")
        self.assertNotIn("Needed only in rare cases", html.get_text())
        links = {a.get_text(): a["href"] for a in html.select(".treatment-options h3 a")}
        self.assertEqual(
            links,
            {
                "Physical therapy": "/treatments/physical-therapy/",
                "Surgery, in rare cases": "/treatments/microdiscectomy/",
            },
        )

    def test_the_page_is_clinically_safe_and_awaits_review(self):
        html = BeautifulSoup(self.client.get(self.page.url).content, "html.parser")
        self.assertIn("Pain that runs from the buttock down the back of one leg", html.get_text())
        care = html.get_text(" ", strip=True)
        for red_flag in ("lose control of your bladder or bowels", "genitals", "both legs suddenly feel weak"):
            self.assertIn(red_flag, care)
        self.assertIn("Call 911", care)
        self.assertEqual(html.select_one(".medical-review").get_text(strip=True), "Awaiting medical review")
        # “Also known as” never repeats a condition the title names.
        self.assertEqual(
            html.select_one(".condition__aka").get_text(),
            "Also known as: Muscle spasms in the back",
        )

    def test_closing_call_to_action_links_to_contact(self):
        response = self.client.get(self.page.url)
        cta = BeautifulSoup(response.content, "html.parser").select_one("aside.cta")
        self.assertIn("Contact South Carolina Sports Medicine & Orthopaedic Center", cta.get_text())
        # The link says where the visitor came from, so staff see the request came from this page.
        self.assertEqual(cta.a["href"], f"/contact/?from={self.page.pk}")
        form = BeautifulSoup(self.client.get(cta.a["href"]).content, "html.parser")
        self.assertEqual(form.select_one("input[name=came_from]")["value"], str(self.page.pk))

    def test_title_tag_is_location_targeted(self):
        title = BeautifulSoup(self.client.get(self.page.url).content, "html.parser").title.get_text()
        self.assertEqual(
            title,
            "Sciatica / Back Spasms Treatment in Charleston, SC",
        )

    def test_summary_is_answer_first_and_within_budget(self):
        self.assertTrue(self.page.summary.startswith("A back spasm is when the muscles in your back"))
        self.assertLessEqual(len(self.page.summary), 300)

    def test_charleston_clinic_is_marked_as_demo_data(self):
        clinic = LocationPage.objects.get()
        self.assertEqual((clinic.city, clinic.state, clinic.postal_code), ("Charleston", "SC", "29401"))
        self.assertEqual(clinic.phone, "(843) 555-0100")
        self.assertTrue(clinic.is_placeholder)
        self.assertTrue(clinic.is_primary)
        self.assertEqual(clinic.url, "/locations/charleston/")

    def test_legacy_address_redirects_permanently(self):
        response = self.client.get("/sciatica-treatment-charleston-sc/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/conditions/sciatica-back-spasms/")
        self.assertEqual(self.client.get("/sciatica-treatment-charleston-sc").status_code, 301)

    def test_unknown_address_is_a_404_with_the_site_layout(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page not found", status_code=404)


class LoadDemoContentIdempotenceTests(TestCase):
    def test_second_run_changes_nothing(self):
        call_command("load_demo_content", stdout=StringIO())
        counts = (Page.objects.count(), Revision.objects.count(), Redirect.objects.count(), Site.objects.count())
        output = StringIO()
        call_command("load_demo_content", stdout=output)
        self.assertEqual(
            (Page.objects.count(), Revision.objects.count(), Redirect.objects.count(), Site.objects.count()), counts
        )
        self.assertIn("nothing changed", output.getvalue())
        self.assertEqual(Page.objects.filter(slug="sciatica-back-spasms").count(), 1)

    def test_editors_changes_survive_a_rerun(self):
        page = factories.load_demo_site()
        page.title = "Sciatica and Back Spasms"
        page.save_revision().publish()
        call_command("load_demo_content", stdout=StringIO())
        page.refresh_from_db()
        self.assertEqual(page.title, "Sciatica and Back Spasms")

    def test_wagtail_welcome_page_is_replaced_by_the_home_page(self):
        call_command("load_demo_content", stdout=StringIO())
        site = Site.objects.get(is_default_site=True)
        self.assertEqual(site.root_page.specific_class.__name__, "HomePage")
        self.assertFalse(Page.objects.filter(depth=2).exclude(pk=site.root_page_id).exists())
