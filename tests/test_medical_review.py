import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from conditions.models import ConditionIndexPage, ConditionPage, ReviewerProfile, add_months
from tests import factories


def make_user(username, group, **fields):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "pw", **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


class MedicalReviewWorkflowTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.index = ConditionIndexPage.objects.get()
        cls.editor = make_user("marketing", "Editors")
        cls.reviewer = make_user("drdoe", "Medical reviewers", first_name="Jane", last_name="Doe")
        ReviewerProfile.objects.create(user=cls.reviewer, credentials="MD")

    def create_as_editor(self, action):
        self.client.force_login(self.editor)
        data = nested_form_data(
            {
                "title": "Herniated Disc",
                "slug": "herniated-disc",
                "summary": "A disc between the vertebrae bulges and presses on a nerve.",
                "other_names": "",
                "body": streamfield([]),
            }
        )
        data[action] = action
        return self.client.post(
            reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", self.index.pk]), data
        )

    def test_the_conditions_section_uses_the_medical_review_workflow(self):
        self.assertEqual(self.index.get_workflow(), Workflow.objects.get(name="Medical review"))

    def test_editors_cannot_publish_a_condition_page_themselves(self):
        self.create_as_editor("action-publish")
        page = ConditionPage.objects.filter(slug="herniated-disc").first()
        self.assertTrue(page is None or not page.live)

    def test_approval_publishes_and_records_who_reviewed_it_and_when(self):
        response = self.create_as_editor("action-submit")
        self.assertEqual(response.status_code, 302)
        page = ConditionPage.objects.get(slug="herniated-disc")
        self.assertFalse(page.live)
        task_state = page.current_workflow_task_state

        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
            {"comment": ""},
        )
        self.assertIn(response.status_code, (200, 302))
        task_state.refresh_from_db()
        self.assertEqual(task_state.status, "approved", response.get("Location"))

        page.refresh_from_db()
        today = timezone.localdate()
        self.assertTrue(page.live)
        self.assertEqual(page.reviewed_by, "Jane Doe, MD")
        self.assertEqual(page.last_reviewed, today)
        self.assertEqual(page.next_review_due, add_months(today, 12))
        self.client.logout()
        self.assertContains(
            self.client.get(page.url), f'Medically reviewed by Jane Doe, MD on <time datetime="{today.isoformat()}">'
        )

    def test_add_months_keeps_the_day_or_uses_the_months_last_day(self):
        self.assertEqual(add_months(datetime.date(2026, 11, 26), 12), datetime.date(2027, 11, 26))
        self.assertEqual(add_months(datetime.date(2028, 2, 29), 12), datetime.date(2029, 2, 28))
        self.assertEqual(add_months(datetime.date(2026, 1, 31), 1), datetime.date(2026, 2, 28))
