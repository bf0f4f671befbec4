"""The import screen under Settings: upload an export, read the dry-run report, import as drafts
(a batch per page load, with progress), download the report; for editors only."""

import csv
import io
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.models import Revision

from conditions.models import ConditionPage
from importer.models import ImportedPage, ImportRun
from tests import old_site
from tests.test_importer import site_without_the_seed_page
from tests.test_medical_review import make_user
from tests.test_roles import menu_names

UPLOAD = reverse("importer:upload")


def export_file(content=None, name="scsportsmed.WordPress.2026-11-30.xml"):
    return SimpleUploadedFile(name, (content or old_site.wxr()).encode(), content_type="text/xml")


class ImportScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_without_the_seed_page()
        cls.editor = make_user("marketing", "Editors")
        cls.front_desk = make_user("desk", "Front desk")

    def setUp(self):
        self.uploads = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.uploads, ignore_errors=True)
        settings_override = override_settings(IMPORT_UPLOAD_DIR=self.uploads)
        settings_override.enable()
        self.addCleanup(settings_override.disable)
        self.client.force_login(self.editor)

    def upload(self, file):
        return self.client.post(UPLOAD, {"export": file})

    def leftover_uploads(self):
        return [path for path in self.uploads.rglob("*") if path.is_file()]

    def test_editors_find_it_under_settings_and_the_front_desk_does_not(self):
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertIn("import-old-site", menu_names(response))
        self.client.force_login(self.front_desk)
        self.assertNotIn("import-old-site", menu_names(self.client.get(reverse("wagtailadmin_home"))))

    def test_without_the_right_to_add_condition_pages_every_step_is_refused(self):
        run = ImportRun.objects.create(user=self.front_desk, source_name="x.xml", total=0)
        self.client.force_login(self.front_desk)
        for response in (
            self.client.get(UPLOAD),
            self.upload(export_file()),
            self.client.get(reverse("importer:run", args=[run.pk])),
            self.client.post(reverse("importer:run", args=[run.pk])),
            self.client.get(reverse("importer:report_csv", args=[run.pk])),
        ):
            # Wagtail's answer to a refused admin view: back to the dashboard, saying why.
            self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), "Sorry, you do not have permission")
        self.assertFalse(ConditionPage.objects.filter(title="Rotator Cuff Tear").exists())

    def test_upload_then_dry_run_report_then_import_as_drafts_with_progress(self):
        response = self.upload(export_file())
        run = ImportRun.objects.get()
        self.assertRedirects(response, reverse("importer:run", args=[run.pk]), fetch_redirect_response=False)
        report = self.client.get(reverse("importer:run", args=[run.pk]))
        self.assertContains(report, "Dry run: nothing has been written yet.")
        self.assertContains(report, "3 would be created.")
        self.assertContains(report, "<td>/conditions/rotator-cuff-tear/</td>", html=True)
        self.assertContains(report, "causes (5)")
        self.assertContains(report, "Import as drafts")
        self.assertFalse(ImportedPage.objects.exists())

        with mock.patch("importer.runs.BATCH_PAGES", 2):
            self.assertRedirects(
                self.client.post(reverse("importer:run", args=[run.pk])),
                reverse("importer:run", args=[run.pk]),
                fetch_redirect_response=False,
            )
            first = self.client.get(reverse("importer:run", args=[run.pk]))
            self.assertContains(first, '<meta http-equiv="refresh" content="1">')
            self.assertContains(first, "Importing: 2 of 3 pages done.")
            self.assertEqual(ImportedPage.objects.exclude(revision=None).count(), 2)
            done = self.client.get(reverse("importer:run", args=[run.pk]))
        self.assertNotContains(done, 'http-equiv="refresh"')
        self.assertContains(done, "3 created.")
        pages = ConditionPage.objects.filter(pk__in=ImportedPage.objects.values("page"))
        self.assertEqual(pages.count(), 3)
        self.assertFalse(any(page.live for page in pages))
        self.assertEqual(
            {revision.user for revision in Revision.objects.filter(object_id__in=[str(p.pk) for p in pages])},
            {self.editor},
        )
        # Each draft is a link to its editor; the upload is gone.
        self.assertContains(done, reverse("wagtailadmin_pages:edit", args=[pages.get(title="Rotator Cuff Tear").pk]))
        self.assertEqual(self.leftover_uploads(), [])

        # Loading the finished run again imports nothing more.
        revisions = Revision.objects.count()
        self.client.get(reverse("importer:run", args=[run.pk]))
        self.assertEqual(Revision.objects.count(), revisions)

    def test_an_import_whose_upload_is_gone_stops_and_says_so(self):
        self.upload(export_file())
        run = ImportRun.objects.get()
        self.client.post(reverse("importer:run", args=[run.pk]))
        shutil.rmtree(Path(run.upload_path).parent)
        response = self.client.get(reverse("importer:run", args=[run.pk]))
        self.assertContains(response, "The uploaded file is no longer on the server")
        self.assertNotContains(response, 'http-equiv="refresh"')

    def test_the_report_downloads_as_csv(self):
        self.upload(export_file())
        run = ImportRun.objects.get()
        response = self.client.get(reverse("importer:report_csv", args=[run.pk]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="dry-run-report-', response["Content-Disposition"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual([row["Result"] for row in rows], ["would be created"] * 3)
        # Uploaded alone, the export brings no image files: the report lists them.
        self.assertEqual(rows[1]["Images missing"], old_site.OLD_HOST + old_site.PRESENT_IMAGE)

    def test_a_saved_page_takes_its_old_address_from_its_file_name(self):
        page = old_site.saved_page(old_site.PAGES[2], address="file name")
        self.upload(SimpleUploadedFile("plantar-fasciitis-treatment.html", page.encode(), content_type="text/html"))
        self.assertEqual(ImportRun.objects.get().dry_run_report[0]["old_url"], "/plantar-fasciitis-treatment/")

    def test_another_editors_run_is_not_found(self):
        run = ImportRun.objects.create(user=make_user("other", "Editors"), source_name="x.xml", total=0)
        self.assertEqual(self.client.get(reverse("importer:run", args=[run.pk])).status_code, 404)

    def test_a_hostile_export_is_refused_with_a_clear_message_and_nothing_kept(self):
        for xml in (old_site.BILLION_LAUGHS, old_site.EXTERNAL_ENTITY):
            response = self.upload(export_file(xml))
            self.assertContains(response, "refused for safety", status_code=400)
        self.assertContains(self.upload(export_file(old_site.wxr()[:-40])), "not well-formed XML", status_code=400)
        self.assertFalse(ImportRun.objects.exists())
        self.assertEqual(self.leftover_uploads(), [])

    def test_a_file_of_the_wrong_type_is_refused(self):
        response = self.upload(SimpleUploadedFile("export.zip", b"PK\x03\x04", content_type="application/zip"))
        self.assertContains(response, "This is not a WordPress export", status_code=400)
        response = self.upload(SimpleUploadedFile("export.xml", b"\x00\x01binary", content_type="text/xml"))
        self.assertContains(response, "does not contain XML or HTML", status_code=400)

    @override_settings(IMPORT_MAX_UPLOAD=1024)
    def test_a_file_too_large_for_the_import_is_refused(self):
        response = self.upload(export_file())
        self.assertContains(response, "the import takes at most 1.0\xa0KB", status_code=400)
        self.assertFalse(ImportRun.objects.exists())

    def test_a_body_larger_than_any_upload_the_site_takes_is_refused_unread(self):
        response = self.client.post(UPLOAD, {"export": export_file()}, CONTENT_LENGTH=str(500 * 1024 * 1024))
        self.assertEqual(response.status_code, 413)
