"""Each role sees its own admin menu and can do its own work, and nothing more."""

import datetime
import json

from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase

from conditions.models import ConditionPage
from tests import factories
from tests.test_medical_review import make_user


def menu_names(response):
    """The names of every item in the admin sidebar (it is rendered from JSON by the admin's script)."""
    props = BeautifulSoup(response.content, "html.parser").find("script", id="wagtail-sidebar-props")
    names = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("name"), str):
                names.add(value["name"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(props.string))
    return names


class RoleTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.editor = make_user("marketing", "Editors")
        cls.reviewer = make_user("drdoe", "Medical reviewers", first_name="Jane", last_name="Doe")
        cls.front_desk = make_user("desk", "Front desk")

    def menu_for(self, user):
        self.client.force_login(user)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertEqual(response.status_code, 200)
        return menu_names(response)

    def test_editors_menu(self):
        menu = self.menu_for(self.editor)
        self.assertLessEqual({"explorer", "images", "documents", "redirects", "practice", "seo-audit"}, menu)
        self.assertFalse({"appointment-requests", "users", "groups"} & menu)

    def test_medical_reviewers_menu(self):
        menu = self.menu_for(self.reviewer)
        self.assertLessEqual({"explorer", "due-for-review"}, menu)
        self.assertFalse({"images", "documents", "redirects", "practice", "appointment-requests", "users"} & menu)

    def test_front_desk_menu(self):
        menu = self.menu_for(self.front_desk)
        self.assertIn("appointment-requests", menu)
        self.assertFalse({"explorer", "images", "documents", "redirects", "practice", "seo-audit"} & menu)

    def test_editors_manage_images_documents_redirects_and_practice_settings(self):
        self.client.force_login(self.editor)
        for url in (
            "/admin/images/",
            "/admin/documents/",
            "/admin/redirects/",
            "/admin/settings/home/practicesettings/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)
                self.assertEqual(response.status_code, 200)
                # A refusal would redirect to the dashboard; the settings page redirects to its own form.
                self.assertTrue(response.request["PATH_INFO"].startswith(url))

    def test_front_desk_cannot_edit_pages_or_settings(self):
        self.client.force_login(self.front_desk)
        for url in (f"/admin/pages/{self.seed.pk}/edit/", "/admin/settings/home/practicesettings/", "/admin/images/"):
            with self.subTest(url=url):
                self.assertNotEqual(self.client.get(url).status_code, 200)

    def test_editing_an_approved_page_needs_review_again(self):
        self.client.force_login(self.editor)
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.seed.pk])
        response = self.client.get(edit_url)
        html = BeautifulSoup(response.content, "html.parser")
        self.assertIsNone(html.find("button", attrs={"name": "action-publish"}))
        self.assertIsNotNone(html.find("button", attrs={"name": "action-submit"}))

    def test_page_under_review_is_locked_for_editors(self):
        self.seed.save_revision(user=self.editor)
        self.seed.get_workflow().start(self.seed, self.editor)
        page = ConditionPage.objects.get(pk=self.seed.pk)
        self.assertTrue(page.get_lock().for_user(self.editor))
        self.assertFalse(page.get_lock().for_user(self.reviewer))


class EverydayEditingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.editor = make_user("marketing", "Editors")

    def test_revisions_can_be_compared_and_an_earlier_one_restored(self):
        first = self.seed.live_revision
        self.seed.title = "Sciatica and Back Spasms"
        second = self.seed.save_revision(user=self.editor)
        second.publish()
        self.client.force_login(self.editor)
        compare = self.client.get(
            reverse("wagtailadmin_pages:revisions_compare", args=[self.seed.pk, first.pk, second.pk])
        )
        self.assertContains(compare, "Sciatica and Back Spasms")
        revert = self.client.get(reverse("wagtailadmin_pages:revisions_revert", args=[self.seed.pk, first.pk]))
        # The editor opens with the earlier revision's content, ready to be saved or submitted again.
        self.assertContains(revert, 'value="Sciatica / Back Spasms"')
        self.assertNotContains(revert, 'value="Sciatica and Back Spasms"')

    def test_publish_scheduled_publishes_an_approved_page_when_its_time_comes(self):
        from io import StringIO

        from django.core.management import call_command

        page = factories.make_condition(title="Gout", slug="gout", publish=False)
        revision = page.save_revision()
        revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
        revision.save()
        call_command("publish_scheduled", stdout=StringIO())
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.assertEqual(self.client.get(page.url).status_code, 200)
