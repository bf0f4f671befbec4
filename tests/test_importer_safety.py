"""The old-site import's guard-rails: hostile or malformed files are refused with nothing written, a
dry run writes only its report, reruns never overwrite an editor's work, and the report is safe to
open in a spreadsheet."""

import csv
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import Revision

from conditions.models import ConditionPage
from importer.models import ImportedPage
from tests import factories, old_site
from tests.test_importer import import_old_site, site_without_the_seed_page


class ImportFolderMixin:
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def written(self):
        return (
            ConditionPage.objects.count(),
            Revision.objects.count(),
            Redirect.objects.count(),
            Image.objects.count(),
            ImportedPage.objects.count(),
        )


class HostileFileTests(ImportFolderMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        site_without_the_seed_page()

    def refused(self, xml):
        path = self.folder / "export.xml"
        path.write_text(xml, encoding="utf-8")
        before = self.written()
        with self.assertRaises(CommandError) as refusal:
            import_old_site(path, "--report", self.folder / "report.csv")
        self.assertEqual(self.written(), before)
        self.assertFalse((self.folder / "report.csv").exists())
        return str(refusal.exception)

    def test_entity_expansion_is_refused(self):
        message = self.refused(old_site.BILLION_LAUGHS)
        self.assertIn("declares a document type or entities", message)
        self.assertIn("nothing was imported", message)

    def test_an_external_entity_is_refused_and_never_read(self):
        message = self.refused(old_site.EXTERNAL_ENTITY)
        self.assertIn("refused for safety", message)
        self.assertNotIn("root:", message)

    def test_a_dtd_before_a_real_export_is_refused(self):
        export = old_site.wxr().replace("<rss ", '<!DOCTYPE rss [<!ENTITY x "y">]>\n<rss ', 1)
        self.assertIn("refused for safety", self.refused(export))

    def test_malformed_xml_gets_a_clear_error(self):
        message = self.refused(old_site.wxr()[:-40])
        self.assertIn("not well-formed XML", message)

    def test_xml_that_is_not_a_wordpress_export(self):
        self.assertIn("not a WordPress export", self.refused('<?xml version="1.0"?><svg></svg>'))

    def test_a_missing_source_or_parent(self):
        with self.assertRaisesMessage(CommandError, "neither a WordPress export file nor a folder"):
            import_old_site(self.folder / "nowhere.xml")
        path = old_site.write_wxr(self.folder)
        with self.assertRaisesMessage(CommandError, "Condition pages cannot be added under /locations/"):
            import_old_site(path, "--parent", "/locations/")


class RerunTests(ImportFolderMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        site_without_the_seed_page()

    def test_a_dry_run_writes_only_its_report(self):
        path = old_site.write_wxr(self.folder)
        before = self.written()
        output = import_old_site(path, "--dry-run", "--report", self.folder / "dry.csv")
        self.assertEqual(self.written(), before)
        self.assertIn("Dry run, nothing imported: 3 old page(s): 3 would be created.", output)
        rows = list(csv.DictReader((self.folder / "dry.csv").open(encoding="utf-8")))
        self.assertEqual([row["New page"] for row in rows][0], "/conditions/sciatica-back-spasms/")
        self.assertEqual(rows[1]["Images missing"], "")  # found in the folder, imported on the real run

    def test_a_rerun_updates_its_own_draft_when_the_old_page_changed(self):
        path = old_site.write_wxr(self.folder)
        import_old_site(path, "--report", self.folder / "first.csv")
        page = ImportedPage.objects.get(old_path=old_site.PLANTAR_OLD_PATH).page
        path.write_text(old_site.wxr().replace("Long runs on hard surfaces", "Long runs on pavement"), encoding="utf-8")
        output = import_old_site(path, "--report", self.folder / "second.csv")
        self.assertIn("3 old page(s): 2 unchanged, 1 updated.", output)
        draft = page.specific.get_latest_revision_as_object()
        [causes] = [block.value for block in draft.body if block.block_type == "causes"]
        self.assertEqual(causes["causes"][0]["explanation"], "Long runs on pavement strain the plantar fascia.")
        self.assertEqual(ConditionPage.objects.filter(title="Plantar Fasciitis").count(), 1)

    def test_a_rerun_never_overwrites_a_page_an_editor_changed(self):
        path = old_site.write_wxr(self.folder)
        import_old_site(path, "--report", self.folder / "first.csv")
        page = ImportedPage.objects.get(old_path=old_site.ROTATOR_OLD_PATH).page.specific
        edited = page.get_latest_revision_as_object()
        edited.summary = "Written again by the marketing team."
        edited.save_revision()
        revisions = Revision.objects.count()
        path.write_text(old_site.wxr().replace("Falls", "Accidents"), encoding="utf-8")
        output = import_old_site(path, "--report", self.folder / "second.csv")
        self.assertEqual(Revision.objects.count(), revisions)
        self.assertIn("left as it is: changed by an editor since the import", output)
        latest = ConditionPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        self.assertEqual(latest.summary, "Written again by the marketing team.")

    def test_a_published_page_is_left_alone_and_keeps_its_redirect(self):
        path = old_site.write_wxr(self.folder)
        import_old_site(path, "--report", self.folder / "first.csv")
        page = ImportedPage.objects.get(old_path=old_site.SEED_OLD_PATH).page.specific
        page.get_latest_revision().publish()
        output = import_old_site(path, "--report", self.folder / "second.csv")
        self.assertIn("left as it is: published since the import", output)
        self.assertEqual(Redirect.objects.count(), 1)

    def test_the_report_neutralises_cells_a_spreadsheet_would_run(self):
        page = {**old_site.PAGES[2], "body": lambda: "<p>Heel pain.</p><h2>=HYPERLINK(1)</h2><p>Odd text.</p>"}
        path = self.folder / "export.xml"
        path.write_text(old_site.wxr(pages=[page]), encoding="utf-8")
        import_old_site(path, "--report", self.folder / "report.csv")
        [row] = list(csv.DictReader((self.folder / "report.csv").open(encoding="utf-8")))
        self.assertEqual(row["Text left in text blocks"], "'=HYPERLINK(1)")


class ExistingSiteTests(ImportFolderMixin, TestCase):
    """The demo site already has the sciatica page (and its redirect): the import leaves both alone."""

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()

    def test_a_page_already_on_the_site_is_not_imported_again(self):
        path = old_site.write_wxr(self.folder)
        output = import_old_site(path, "--report", self.folder / "report.csv")
        self.assertIn("not imported", output)
        self.assertIn("A page the import did not make is already at /conditions/sciatica-back-spasms/", output)
        self.assertEqual(ConditionPage.objects.filter(title="Sciatica / Back Spasms").count(), 1)
        self.assertEqual(self.client.get(old_site.SEED_OLD_PATH)["Location"], "/conditions/sciatica-back-spasms/")
        self.assertIn("2 created", output)
