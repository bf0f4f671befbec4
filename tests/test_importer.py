"""The old-site import (manage.py import_old_site): a WordPress export and a folder of saved pages,
built from the seed page's text and two more old pages, become draft condition pages with typed
blocks and 301s from their old addresses."""

import csv
import io
import shutil
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import Revision

from conditions.models import ConditionPage
from demo.seed import read_seed, split_sentences
from importer.models import ImportedPage
from tests import factories, old_site


def import_old_site(source, *args):
    """Run the command; its printed report."""
    out = io.StringIO()
    call_command("import_old_site", str(source), *args, stdout=out)
    return out.getvalue()


def seed_sentences():
    """Every sentence of the seed page, and the causes' names (shown apart from their explanations)."""
    seed = read_seed()
    texts = [*seed.intro]
    for section in seed.sections:
        texts += [section.heading, *section.paragraphs, *(f"{name}. {text}" for name, text in section.bullets)]
    return [sentence.rstrip(".") for text in texts for sentence in split_sentences(text)]


def site_without_the_seed_page():
    """The demo site before the sciatica page was brought across: no page, no redirect for it."""
    factories.load_demo_site().delete()
    Redirect.objects.all().delete()


class ImportTestCase(TestCase):
    source = "wxr"

    @classmethod
    def setUpTestData(cls):
        site_without_the_seed_page()
        cls.folder = Path(tempfile.mkdtemp())
        cls.path = old_site.write_wxr(cls.folder) if cls.source == "wxr" else old_site.write_html_folder(cls.folder)
        cls.report = cls.folder / "report.csv"
        cls.output = import_old_site(cls.path, "--report", cls.report)
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.folder, ignore_errors=True)

    def draft(self, old_path):
        page = ImportedPage.objects.get(old_path=old_path).page
        return page.specific.get_latest_revision_as_object()

    def blocks(self, old_path, block_type):
        return [block.value for block in self.draft(old_path).body if block.block_type == block_type]

    def draft_text(self, old_path):
        """The draft as an editor previews it, in plain text."""
        self.client.force_login(self.admin)
        page = ImportedPage.objects.get(old_path=old_path).page
        response = self.client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
        self.assertEqual(response.status_code, 200)
        return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ").split())


class WordPressExportTests(ImportTestCase):
    def test_each_old_page_is_a_draft_condition_page_never_published(self):
        pages = ConditionPage.objects.filter(pk__in=ImportedPage.objects.values("page"))
        self.assertEqual(
            sorted(pages.values_list("title", flat=True)),
            ["Plantar Fasciitis", "Rotator Cuff Tear", "Sciatica / Back Spasms"],
        )
        for page in pages:
            self.assertFalse(page.live)
            self.assertEqual(page.get_parent().specific_class.__name__, "ConditionIndexPage")
            self.assertEqual(Revision.page_revisions.filter(object_id=str(page.pk)).count(), 1)
        # WordPress's draft post is not part of the old site.
        self.assertFalse(ImportedPage.objects.filter(old_path="/").exists())

    def test_every_sentence_of_the_seed_page_is_on_its_draft(self):
        text = self.draft_text(old_site.SEED_OLD_PATH)
        missing = [sentence for sentence in seed_sentences() if sentence not in text]
        self.assertEqual(missing, [])

    def test_the_five_causes_land_in_the_causes_block_with_their_explanations(self):
        [causes] = self.blocks(old_site.SEED_OLD_PATH, "causes")
        self.assertEqual(
            [(cause["name"], cause["explanation"]) for cause in causes["causes"]], read_seed().sections[0].bullets
        )
        self.assertEqual(causes["heading"], "Common Causes of Back Spasms")
        self.assertTrue(causes["intro"].startswith("Back spasms can be caused by a number of different things"))

    def test_the_intro_is_the_summary_and_the_rest_of_it_a_text_section(self):
        page = self.draft(old_site.SEED_OLD_PATH)
        self.assertEqual(page.summary, " ".join(split_sentences(read_seed().intro[0])[:2]))
        [overview] = self.blocks(old_site.SEED_OLD_PATH, "text_section")
        self.assertIn("If you struggle with back spasms in Charleston, SC", overview["text"].source)

    def test_complications_treatment_and_the_contact_line_have_their_blocks(self):
        [complications] = self.blocks(old_site.SEED_OLD_PATH, "complications")
        self.assertIn("lead to sciatica", complications["text"].source)
        [treatment] = self.blocks(old_site.SEED_OLD_PATH, "treatment")
        self.assertEqual(treatment["options"][0]["kind"], "home_care")
        [call] = self.blocks(old_site.SEED_OLD_PATH, "call_to_action")
        self.assertTrue(call["text"].startswith("Contact South Carolina Sports Medicine & Orthopaedic Center"))
        [treatment] = self.blocks(old_site.ROTATOR_OLD_PATH, "treatment")
        self.assertEqual(
            [(option["name"], option["kind"]) for option in treatment["options"]],
            [
                ("Physical therapy", "physical_therapy"),
                ("Steroid injection", "injection"),
                ("Arthroscopic repair", "surgery"),
            ],
        )
        self.assertEqual(treatment["intro"], "Most tears are treated without an operation at first.")

    def test_bold_names_and_colons_are_causes_too_and_questions_an_faq(self):
        [causes] = self.blocks(old_site.ROTATOR_OLD_PATH, "causes")
        self.assertEqual([cause["name"] for cause in causes["causes"]], ["Falls", "Repetitive lifting", "Bone spurs"])
        [faq] = self.blocks(old_site.ROTATOR_OLD_PATH, "faq")
        self.assertEqual(
            [question["question"] for question in faq["questions"]],
            ["Will a rotator cuff tear heal on its own?", "How long is recovery after surgery?"],
        )
        self.assertIn("sling for about six weeks", faq["questions"][1]["answer"].source)
        [complications] = self.blocks(old_site.ROTATOR_OLD_PATH, "complications")
        self.assertEqual(list(complications["complications"]), ["Shoulder stiffness", "Loss of strength when lifting"])

    def test_what_fits_no_block_is_a_text_section_in_its_place(self):
        types = [block.block_type for block in self.draft(old_site.PLANTAR_OLD_PATH).body]
        self.assertEqual(types, ["causes", "text_section", "treatment", "call_to_action"])
        [living] = self.blocks(old_site.PLANTAR_OLD_PATH, "text_section")
        self.assertEqual(living["heading"], "Living With Plantar Fasciitis")

    def test_yoast_title_and_description_and_categories_as_body_areas(self):
        seed = self.draft(old_site.SEED_OLD_PATH)
        self.assertEqual(seed.seo_title, "Sciatica Treatment Charleston SC")
        self.assertEqual(seed.search_description, "Back spasms and sciatica treated in Charleston, SC.")
        self.assertEqual(seed.body_areas, ["spine"])
        self.assertEqual(self.draft(old_site.ROTATOR_OLD_PATH).body_areas, ["shoulder"])
        self.assertEqual(self.draft(old_site.PLANTAR_OLD_PATH).body_areas, ["foot-ankle"])

    def test_images_are_imported_with_their_alt_text_and_missing_ones_reported(self):
        [image_block] = self.blocks(old_site.ROTATOR_OLD_PATH, "image")
        self.assertEqual(image_block.alt_text, "A torn rotator cuff tendon")
        self.assertEqual(image_block["image"].description, "A torn rotator cuff tendon")
        self.assertEqual(Image.objects.count(), 1 + Image.objects.exclude(pk=image_block["image"].pk).count())
        self.assertEqual(self.blocks(old_site.PLANTAR_OLD_PATH, "image"), [])
        self.assertIn("1 image(s) missing", self.output)
        rows = {row["Old URL"]: row for row in csv.DictReader(self.report.open(encoding="utf-8"))}
        self.assertEqual(rows[old_site.OLD_HOST + old_site.PLANTAR_OLD_PATH]["Images missing"], old_site.MISSING_IMAGE)

    def test_links_between_old_pages_lead_to_the_new_pages(self):
        seed_page = ImportedPage.objects.get(old_path=old_site.SEED_OLD_PATH).page
        [overview] = self.blocks(old_site.ROTATOR_OLD_PATH, "text_section")
        self.assertIn(f'<a linktype="page" id="{seed_page.pk}">back spasms</a>', overview["text"].source)
        [living] = self.blocks(old_site.PLANTAR_OLD_PATH, "text_section")
        rotator = ImportedPage.objects.get(old_path=old_site.ROTATOR_OLD_PATH).page
        self.assertIn(f'linktype="page" id="{rotator.pk}"', living["text"].source)

    def test_the_old_address_301s_to_the_new_page_once_it_is_published(self):
        page = ImportedPage.objects.get(old_path=old_site.SEED_OLD_PATH).page.specific
        # Until it is published, the old address is not sent to a page visitors cannot see.
        self.assertEqual(self.client.get(old_site.SEED_OLD_PATH).status_code, 404)
        page.get_latest_revision().publish()
        self.assertEqual(Redirect.objects.filter(redirect_page=page).count(), 1)
        for old_address in (old_site.SEED_OLD_PATH, old_site.SEED_OLD_PATH.rstrip("/")):
            response = self.client.get(old_address)
            self.assertEqual(response.status_code, 301, old_address)
            self.assertEqual(response["Location"], "/conditions/sciatica-back-spasms/")
        self.assertEqual(self.client.get(response["Location"]).status_code, 200)

    def test_the_report_lists_each_page_and_what_the_editor_must_still_write(self):
        rows = list(csv.DictReader(self.report.open(encoding="utf-8")))
        self.assertEqual(len(rows), 3)
        seed = next(row for row in rows if row["Old URL"].endswith(old_site.SEED_OLD_PATH))
        self.assertEqual(seed["New page"], "/conditions/sciatica-back-spasms/")
        self.assertEqual(seed["Result"], "created")
        self.assertIn("causes (5)", seed["Blocks recognised"])
        self.assertEqual(seed["Text left in text blocks"], "Overview")
        self.assertIn("a Symptoms block", seed["Still to write"])
        self.assertIn("3 old page(s): 3 created.", self.output)

    def test_a_second_run_changes_nothing(self):
        counts = self.counts()
        output = import_old_site(self.path, "--report", self.folder / "again.csv")
        self.assertEqual(self.counts(), counts)
        self.assertIn("3 old page(s): 3 unchanged.", output)

    def counts(self):
        return {
            "pages": ConditionPage.objects.count(),
            "revisions": Revision.objects.count(),
            "redirects": Redirect.objects.count(),
            "images": Image.objects.count(),
            "latest": list(ConditionPage.objects.order_by("pk").values_list("latest_revision_id", flat=True)),
        }


class SavedPagesTests(ImportTestCase):
    source = "html"

    def test_pages_are_found_by_canonical_link_og_url_and_file_name(self):
        self.assertEqual(
            sorted(ImportedPage.objects.values_list("old_path", flat=True)),
            sorted([old_site.PLANTAR_OLD_PATH, old_site.ROTATOR_OLD_PATH, old_site.SEED_OLD_PATH]),
        )

    def test_every_sentence_of_the_seed_page_is_on_its_draft_and_nothing_of_the_theme(self):
        text = self.draft_text(old_site.SEED_OLD_PATH)
        self.assertEqual([sentence for sentence in seed_sentences() if sentence not in text], [])
        for theme_text in ("Contact the practice today", "All rights reserved", "tracking"):
            self.assertNotIn(theme_text, text)

    def test_the_causes_title_tag_and_image(self):
        [causes] = self.blocks(old_site.SEED_OLD_PATH, "causes")
        self.assertEqual(len(causes["causes"]), 5)
        seed = self.draft(old_site.SEED_OLD_PATH)
        self.assertEqual((seed.title, seed.seo_title), ("Sciatica / Back Spasms", "Sciatica Treatment Charleston SC"))
        self.assertEqual(seed.search_description, "Back spasms and sciatica treated in Charleston, SC.")
        [image_block] = self.blocks(old_site.ROTATOR_OLD_PATH, "image")
        self.assertEqual(image_block.alt_text, "A torn rotator cuff tendon")

    def test_both_forms_of_the_old_address_301_once_published(self):
        page = ImportedPage.objects.get(old_path=old_site.PLANTAR_OLD_PATH).page.specific
        page.get_latest_revision().publish()
        for old_address in ("/plantar-fasciitis-treatment/", "/plantar-fasciitis-treatment"):
            response = self.client.get(old_address)
            self.assertEqual((response.status_code, response["Location"]), (301, "/conditions/plantar-fasciitis/"))

    def test_a_second_run_changes_nothing(self):
        revisions = Revision.objects.count()
        output = import_old_site(self.path, "--report", self.folder / "again.csv")
        self.assertEqual(Revision.objects.count(), revisions)
        self.assertIn("3 unchanged", output)
