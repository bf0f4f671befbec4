"""The page editor explains what it refuses."""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from conditions.models import ConditionIndexPage
from tests import factories


class SlugInUseTests(TestCase):
    """An abandoned draft (autosave keeps one as soon as an editor types) holds the new page's slug."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.index = ConditionIndexPage.objects.get()
        cls.editor = get_user_model().objects.create_user("marketing", "marketing@scsportsmed.example", "pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def create(self, title, slug):
        data = nested_form_data(
            {
                "title": title,
                "slug": slug,
                "summary": "A disc presses on a nerve.",
                "other_names": "",
                "body": streamfield([]),
            }
        )
        return self.client.post(
            reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", self.index.pk]), data
        )

    def test_the_error_names_and_links_the_page_that_holds_the_slug(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.create("Herniated Disc", "herniated-disc").status_code, 302)
        abandoned = self.index.get_children().get(slug="herniated-disc")

        response = self.create("Herniated Disc", "herniated-disc")
        self.assertEqual(response.status_code, 200)
        page = BeautifulSoup(response.content, "html.parser")
        edit_url = reverse("wagtailadmin_pages:edit", args=[abandoned.pk])

        # Next to the slug field, on the Promote tab: a link to the page that has it.
        slug_error = page.select_one('[data-contentpath="slug"] [data-field-errors]')
        self.assertIsNotNone(slug_error, "no error next to the slug field")
        link = slug_error.find("a", href=edit_url)
        self.assertIsNotNone(link, slug_error)
        self.assertEqual(link.get_text(), "“Herniated Disc”")
        # At the top of the editor, whatever tab is open: the page named, in plain words.
        banner = page.select_one(".messages").get_text(" ", strip=True)
        self.assertIn("“herniated-disc” is already used by “Herniated Disc”", banner)
        self.assertIn("a draft that was never published, last edited by you", banner)
        self.assertNotIn("<a", banner)


class TitleTemplateExamplesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@scsportsmed.example", "pw")

    def test_the_title_templates_tab_shows_each_types_built_in_template_and_a_real_example(self):
        self.client.force_login(self.admin)
        response = self.client.get("/admin/settings/home/practicesettings/", follow=True)
        self.assertEqual(response.status_code, 200)
        page = BeautifulSoup(response.content, "html.parser")
        table = page.select_one(".title-template-examples table")
        self.assertIsNotNone(table)
        rows = {
            row.th.get_text(" ", strip=True): row.find_all("td")[1].get_text(" ", strip=True)
            for row in table.select("tbody tr")
        }
        [condition_row] = [row for row in table.select("tbody tr") if row.th.get_text().startswith("Condition page")]
        self.assertEqual(condition_row.code.get_text(), "{title} Treatment in {city}, {state} | {brand}")
        example = condition_row.find_all("td")[1].get_text(" ", strip=True)
        # With the brand it would pass 60 characters: the example shows it left off, within budget.
        self.assertTrue(example.startswith("Sciatica / Back Spasms Treatment in Charleston, SC"), example)
        self.assertNotIn("SC Sports Medicine", example)
        self.assertNotIn("too long", example)
        self.assertIn("No published page of this type yet.", rows["Standard page"])
