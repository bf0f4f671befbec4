import datetime
import json

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.forms import PUBLISHED_BY_REVIEW
from conditions.models import ConditionIndexPage, ConditionPage
from conditions.review import ReviewerProfile, add_months
from tests import factories
from tests.test_condition_page import list_block


def required_blocks():
    """Form data for the two blocks a condition page needs before review: Symptoms and When to seek care."""
    return [
        ("symptoms", {"heading": "Symptoms", "intro": "", "symptoms": list_block(["Pain that runs down one leg"])}),
        (
            "when_to_seek_care",
            {"heading": "When to see a doctor", "urgency": "urgent", "text": rich_text("<p>Numb legs.</p>")},
        ),
    ]


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
                "body": streamfield(required_blocks()),
            }
        )
        data[action] = action
        return self.client.post(
            reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", self.index.pk]), data
        )

    def test_the_conditions_section_uses_the_medical_review_workflow(self):
        self.assertEqual(self.index.get_workflow(), Workflow.objects.get(name="Medical review"))

    def test_editors_cannot_publish_a_condition_page_themselves(self):
        response = self.create_as_editor("action-publish")

        # Refused, with what to do instead; nothing is saved (the editor's work is still in the form).
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The page could not be created due to validation errors.")
        self.assertContains(response, PUBLISHED_BY_REVIEW)
        self.assertFalse(ConditionPage.objects.filter(slug="herniated-disc").exists())
        self.client.logout()
        self.assertEqual(self.client.get("/conditions/herniated-disc/").status_code, 404)

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
            self.client.get(page.url),
            f'Medically reviewed by Jane Doe, MD · Last reviewed <time datetime="{today.isoformat()}">',
        )

    def approve_as_reviewer(self, page):
        task_state = page.current_workflow_task_state
        self.client.force_login(self.reviewer)
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]), {"comment": ""}
        )
        self.client.logout()

    def review_signals(self, page):
        """What a visitor and a search engine are told about the page's review."""
        response = self.client.get(page.url)
        html = BeautifulSoup(response.content, "html.parser")
        line = html.select_one(".medical-review").get_text(" ", strip=True)
        graph = json.loads(html.find("script", type="application/ld+json").string)["@graph"]
        webpage = next(node for node in graph if node["@type"] == "MedicalWebPage")
        return line, {key: webpage[key] for key in ("reviewedBy", "lastReviewed") if key in webpage}

    def test_content_published_without_review_drops_the_review_claim_until_approved_again(self):
        self.create_as_editor("action-submit")
        page = ConditionPage.objects.get(slug="herniated-disc")
        self.approve_as_reviewer(page)
        line, claims = self.review_signals(page)
        self.assertTrue(line.startswith("Medically reviewed by Jane Doe, MD"))
        self.assertEqual(set(claims), {"reviewedBy", "lastReviewed"})

        # An administrator changes the medical content and publishes it directly.
        admin = get_user_model().objects.create_superuser("admin", "admin@scsportsmed.example", "pw")
        page = ConditionPage.objects.get(pk=page.pk)
        page.summary = "A disc bulges and presses on a nerve; surgery is always needed."
        page.save_revision(user=admin).publish(user=admin)
        line, claims = self.review_signals(page)
        self.assertEqual(line, "Awaiting medical review")
        self.assertEqual(claims, {})

        # Approval through the workflow restores it.
        page = ConditionPage.objects.get(pk=page.pk)
        page.get_workflow().start(page, self.editor)
        self.approve_as_reviewer(ConditionPage.objects.get(pk=page.pk))
        line, claims = self.review_signals(page)
        self.assertTrue(line.startswith("Medically reviewed by Jane Doe, MD"))
        self.assertEqual(set(claims), {"reviewedBy", "lastReviewed"})

    def test_a_page_never_reviewed_says_it_awaits_review(self):
        seed = ConditionPage.objects.get(slug="sciatica-back-spasms")
        self.assertEqual(self.review_signals(seed), ("Awaiting medical review", {}))

    def test_medical_reviewers_get_no_publish_button_but_their_approval_publishes(self):
        seed = ConditionPage.objects.get(slug="sciatica-back-spasms")
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[seed.pk]))
        self.assertEqual(response.status_code, 200)
        html = BeautifulSoup(response.content, "html.parser")
        self.assertIsNone(html.find("button", attrs={"name": "action-publish"}))
        self.client.logout()

        self.create_as_editor("action-submit")
        page = ConditionPage.objects.get(slug="herniated-disc")
        self.approve_as_reviewer(page)
        self.assertTrue(ConditionPage.objects.get(pk=page.pk).live)

    def test_add_months_keeps_the_day_or_uses_the_months_last_day(self):
        self.assertEqual(add_months(datetime.date(2026, 11, 26), 12), datetime.date(2027, 11, 26))
        self.assertEqual(add_months(datetime.date(2028, 2, 29), 12), datetime.date(2029, 2, 28))
        self.assertEqual(add_months(datetime.date(2026, 1, 31), 1), datetime.date(2026, 2, 28))


class DueForReviewTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()  # never reviewed
        today = timezone.localdate()
        cls.reviewer = make_user("drdoe", "Medical reviewers", first_name="Jane", last_name="Doe")
        cls.other_reviewer = make_user("drroe", "Medical reviewers", first_name="Rick", last_name="Roe")
        cls.overdue = factories.make_condition(
            title="Bursitis",
            slug="bursitis",
            reviewed_by="Jane Doe, MD",
            reviewed_by_user=cls.reviewer,
            last_reviewed=today - datetime.timedelta(days=400),
            next_review_due=today - datetime.timedelta(days=35),
        )
        cls.due_soon = factories.make_condition(
            title="Tendinitis",
            slug="tendinitis",
            reviewed_by_user=cls.other_reviewer,
            next_review_due=today + datetime.timedelta(days=20),
        )
        cls.later = factories.make_condition(
            title="Scoliosis", slug="scoliosis", next_review_due=today + datetime.timedelta(days=200)
        )
        cls.editor = make_user("marketing", "Editors")

    def test_report_lists_overdue_due_soon_and_never_reviewed_pages(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("due_for_review"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bursitis")
        self.assertContains(response, "(overdue)")
        self.assertContains(response, "Tendinitis")
        self.assertContains(response, "Sciatica / Back Spasms")
        self.assertContains(response, "Never reviewed")
        self.assertNotContains(response, "Scoliosis")

    def test_report_exports_csv(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("due_for_review") + "?export=csv")
        self.assertEqual(response.status_code, 200)
        body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        self.assertIn("Next review due", body.splitlines()[0])
        self.assertIn("Bursitis", body)

    def test_dashboard_shows_the_count(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "3 condition pages due for medical review")

    def test_remind_reviews_emails_each_reviewer_their_pages(self):
        from io import StringIO

        from django.core import mail
        from django.core.management import call_command

        call_command("remind_reviews", stdout=StringIO())
        by_recipient = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(set(by_recipient), {"drdoe@example.com", "drroe@example.com"})
        jane = by_recipient["drdoe@example.com"].body
        rick = by_recipient["drroe@example.com"].body
        self.assertIn("Bursitis", jane)
        self.assertNotIn("Tendinitis", jane)
        self.assertIn("Tendinitis", rick)
        self.assertNotIn("Bursitis", rick)
        # Never reviewed: everyone is asked.
        self.assertIn("Sciatica / Back Spasms", jane)
        self.assertIn("Sciatica / Back Spasms", rick)
        self.assertNotIn("Scoliosis", jane + rick)


class ContentChecksTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        # The seed page as it was before it had symptoms and a when-to-seek-care card.
        cls.seed = factories.strip_blocks(factories.load_demo_site(), "symptoms", "when_to_seek_care")
        cls.user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")

    def test_a_page_without_symptoms_or_a_care_card_is_flagged(self):
        self.assertEqual(
            self.seed.content_problems(),
            [
                "No “Symptoms” block: list what patients notice. It is needed before medical review.",
                "No “When to seek care” block: tell patients when to see a doctor or call 911.",
            ],
        )
        self.client.force_login(self.user)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.seed.pk]))
        self.assertContains(response, "No “When to seek care” block")

    def test_missing_call_to_action_and_long_summary_are_flagged(self):
        page = factories.make_condition(title="Gout", slug="gout", summary="x" * 320)
        problems = page.content_problems()
        self.assertEqual(len(problems), 4)
        self.assertIn("No call to action: end with a way to ask for an appointment.", problems)
        self.assertIn("The summary is 320 characters; keep it within 300", problems[3])

    def test_complete_page_passes(self):
        contact = self.seed.get_parent().get_parent().get_children().get(slug="contact")
        page = factories.make_condition(
            title="Sciatica", slug="sciatica", body=factories.every_block_body(contact, factories.make_image())
        )
        self.assertEqual(page.content_problems(), [])
