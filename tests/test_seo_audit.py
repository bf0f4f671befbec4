import csv
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from conditions.models import ConditionIndexPage, LocalConditionPage
from home.models import StandardPage
from locations.models import LocationPage
from tests import factories

LONG_TITLE = "Patellofemoral Pain Syndrome and Other Pain at the Front of the Knee"


def rows_by_page(response):
    body = b"".join(response.streaming_content).decode()
    return {row["Page"]: row for row in csv.DictReader(io.StringIO(body))}


class SEOAuditReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        index = ConditionIndexPage.objects.get()
        image = factories.make_image()
        cls.duplicate = factories.make_condition(
            index, title="Sciatica Copy", slug="copy", seo_title="Back pain", summary=cls.seed.summary
        )
        factories.make_condition(index, title="Other", slug="other", seo_title="Back pain", summary="Other page.")
        cls.no_alt = factories.make_condition(
            index,
            title="Knee Pain",
            slug="knee-pain",
            summary="Knee pain.",
            search_description="x" * 200,  # the editor's own description is never shortened
            body=[("image", {"image": image, "alt_text": "", "decorative": False, "caption": ""})],
        )
        clinic = LocationPage.objects.get(slug="charleston")
        thin = cls.seed.add_child(
            instance=LocalConditionPage(title="Thin local page", slug="thin", location=clinic, summary="Thin.", body=[])
        )
        thin.save_revision().publish()
        hidden_parent = factories.make_condition(index, title="Hidden Parent", slug="hidden-parent")
        # A standard page neither in a menu nor listed by its parent.
        orphan = (
            hidden_parent.get_parent()
            .get_parent()
            .add_child(instance=StandardPage(title="Orphan", slug="orphan", summary="Nobody links here."))
        )
        orphan.save_revision().publish()
        # Over 60 characters even without the brand, which is left off.
        factories.make_condition(index, title=LONG_TITLE, slug="front-knee-pain", summary="Pain at the knee's front.")
        cls.editor = get_user_model().objects.create_user("marketing", "m@example.com", "pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def setUp(self):
        self.client.force_login(self.editor)

    def test_report_lists_every_live_page_with_its_problems_and_links_to_the_editor(self):
        response = self.client.get(reverse("seo_audit"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'href="/admin/pages/{self.no_alt.pk}/edit/"')
        self.assertContains(response, "1 image(s) without alt text")
        self.assertContains(response, "Sciatica / Back Spasms Treatment in Charleston, SC")

    def test_csv_export_names_each_problem(self):
        rows = rows_by_page(self.client.get(reverse("seo_audit") + "?export=csv"))
        self.assertIn("Duplicate title tag", rows["Sciatica Copy"]["Problems"])
        self.assertIn("Duplicate title tag", rows["Other"]["Problems"])
        self.assertIn("Duplicate meta description", rows["Sciatica Copy"]["Problems"])
        self.assertIn("Duplicate meta description", rows["Sciatica / Back Spasms"]["Problems"])
        self.assertIn("Meta description over 160 characters (200)", rows["Knee Pain"]["Problems"])
        self.assertIn("Title tag over 60 characters", rows[LONG_TITLE]["Problems"])
        self.assertNotIn("Title tag over", rows["Sciatica / Back Spasms"]["Problems"])
        self.assertIn("Fails the local-page check", rows["Thin local page"]["Problems"])
        self.assertIn("Not reachable from any menu or index", rows["Orphan"]["Problems"])
        self.assertNotIn("Not reachable", rows["Knee Pain"]["Problems"])  # listed on /conditions/
        self.assertEqual(rows["Knee Pain"]["URL"], "http://testserver/conditions/knee-pain/")

    def test_people_without_page_permissions_cannot_see_it(self):
        stranger = get_user_model().objects.create_user("stranger", "s@example.com", "pw")
        self.client.force_login(stranger)
        self.assertNotEqual(self.client.get(reverse("seo_audit")).status_code, 200)
