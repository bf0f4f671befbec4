"""Review integrity, through the page editor as each role uses it.

A condition page claims its medical review (the byline and the JSON-LD reviewedBy/lastReviewed) only
while the live content is the content a reviewer approved. Only the Medical review workflow publishes
condition pages: nobody is offered a Publish button on one, a Publish sent anyway is refused to all
but administrators, and what an administrator publishes is recorded and shows "Awaiting medical
review". A page cannot go to review, or be published, without a Symptoms and a When to seek care block.
"""

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.models import GroupPagePermission, Page, PageLogEntry, WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.forms import PUBLISHED_BY_REVIEW
from conditions.models import ConditionIndexPage, ConditionPage, LocalConditionPage
from conditions.review import ReviewerProfile, add_months
from locations.models import LocationPage
from tests import factories
from tests.jsonld import graph_from, nodes_by_type
from tests.test_condition_skeleton import BodyEditor
from tests.test_local_pages import admin_messages
from tests.test_medical_review import make_user, required_blocks

SUMMARY = "A disc between the vertebrae bulges and presses on a nerve."
CHANGED_SUMMARY = "A disc bulges and presses on a nerve; surgery is always needed."
NO_SYMPTOMS = "This page cannot go to medical review yet: add a Symptoms block (what patients notice)."
NO_SYMPTOMS_OR_CARE = (
    "This page cannot go to medical review yet: add a Symptoms block (what patients notice) and a When to "
    "seek care block (when to see a doctor or call 911)."
)


def make_publisher(username):
    """A user of a group that may publish any page (as an administrator might set one up)."""
    group = Group.objects.create(name="Publishers")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=group, page=root, permission=Permission.objects.get(codename=codename))
    return make_user(username, "Publishers")


def messages_text(response):
    return " ".join(admin_messages(response))


class ReviewIntegrityTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.index = ConditionIndexPage.objects.get()
        cls.editor = make_user("marketing", "Editors")
        cls.reviewer = make_user("drdoe", "Medical reviewers", first_name="Jane", last_name="Doe")
        ReviewerProfile.objects.create(user=cls.reviewer, credentials="MD")
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@scsportsmed.example", "pw")

    # --- the editor, as each user posts it ------------------------------------------------------

    def form_data(self, action=None, summary=SUMMARY, body=None):
        data = nested_form_data(
            {
                "title": "Herniated Disc",
                "slug": "herniated-disc",
                "summary": summary,
                "other_names": "",
                "body": streamfield(required_blocks() if body is None else body),
            }
        )
        if action:
            data[action] = action
        return data

    def create(self, user, action=None, **fields):
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", self.index.pk])
        return self.client.post(url, self.form_data(action, **fields))

    def edit(self, user, page, action=None, follow=False, **fields):
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        return self.client.post(url, self.form_data(action, **fields), follow=follow)

    def editor_html(self, user, url):
        self.client.force_login(user)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def approve(self, page):
        page = ConditionPage.objects.get(pk=page.pk)
        task_state = page.current_workflow_task_state
        self.client.force_login(self.reviewer)
        self.client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]), {"comment": ""}
        )
        task_state.refresh_from_db()
        self.assertEqual(task_state.status, "approved")
        return ConditionPage.objects.get(pk=page.pk)

    def approved_page(self):
        """A condition page an editor wrote and submitted and Jane Doe, MD approved (so published)."""
        self.assertEqual(self.create(self.editor, "action-submit").status_code, 302)
        page = self.approve(ConditionPage.objects.get(slug="herniated-disc"))
        self.assertTrue(page.live)
        return page

    def review_signals(self, page):
        """What a visitor and a search engine are told about the page's review."""
        self.client.logout()
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        line = BeautifulSoup(response.content, "html.parser").select_one(".medical-review").get_text(" ", strip=True)
        (webpage,) = nodes_by_type(graph_from(response), "MedicalWebPage")
        return line, {key: webpage[key] for key in ("reviewedBy", "lastReviewed") if key in webpage}

    def publications_by(self, page, user):
        return PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=user).count()

    # --- the review claim follows the content -----------------------------------------------------

    def assert_reviewed_by_jane_doe_today(self, page):
        today = timezone.localdate()
        line, claims = self.review_signals(page)
        self.assertEqual(
            line,
            f"Medically reviewed by Jane Doe, MD · Last reviewed {format_date(today, 'F j, Y')} · "
            f"Next review due {format_date(add_months(today, 12), 'F j, Y')}",
        )
        self.assertEqual(
            claims,
            {
                "reviewedBy": {"@type": "Person", "name": "Jane Doe", "honorificSuffix": "MD"},
                "lastReviewed": today.isoformat(),
            },
        )

    def test_an_administrators_direct_publish_awaits_review_until_the_workflow_approves_it(self):
        page = self.approved_page()
        self.assert_reviewed_by_jane_doe_today(page)

        response = self.edit(self.admin, page, "action-publish", follow=True, summary=CHANGED_SUMMARY)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Page 'Herniated Disc' has been published.", messages_text(response))
        self.assertIn(
            "“Herniated Disc” is live without a medical reviewer's approval of this version: it shows “Awaiting "
            "medical review” until it is approved.",
            messages_text(response),
        )
        page = ConditionPage.objects.get(pk=page.pk)
        self.assertEqual(page.summary, CHANGED_SUMMARY)
        self.assertEqual(self.publications_by(page, self.admin), 1)
        self.assertEqual(self.review_signals(page), ("Awaiting medical review", {}))

        # The editor submits the changed page; the reviewer's approval restores the claim.
        self.assertEqual(self.edit(self.editor, page, "action-submit", summary=CHANGED_SUMMARY).status_code, 302)
        page = self.approve(page)
        self.assertEqual(page.summary, CHANGED_SUMMARY)
        self.assert_reviewed_by_jane_doe_today(page)

    # --- nobody is offered Publish on a condition page ------------------------------------------

    def test_no_role_is_offered_publish_on_a_condition_page(self):
        page = self.approved_page()
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        add_url = reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", self.index.pk])
        for user, url in (
            (self.admin, edit_url),
            (self.admin, add_url),
            (self.editor, edit_url),
            (self.editor, add_url),
            (self.reviewer, edit_url),
            (make_publisher("publisher"), edit_url),
        ):
            with self.subTest(user=user.username, url=url):
                html = self.editor_html(user, url)
                self.assertIsNone(html.find("button", attrs={"name": "action-publish"}))
                self.assertIsNotNone(html.find("button", attrs={"name": "action-submit"}))

        # Under review, the reviewer is offered the workflow's own buttons.
        self.assertEqual(self.edit(self.editor, page, "action-submit", summary=CHANGED_SUMMARY).status_code, 302)
        html = self.editor_html(self.reviewer, edit_url)
        self.assertIsNone(html.find("button", attrs={"name": "action-publish"}))
        self.assertIsNotNone(html.find("button", attrs={"data-workflow-action-name": "approve"}))

    def test_local_pages_and_other_pages_keep_their_publish_button(self):
        clinic = LocationPage.objects.get(slug="charleston")
        local = self.seed.add_child(
            instance=LocalConditionPage(
                title="Back Spasms in Charleston", summary="Care at our Charleston clinic.", location=clinic, live=False
            )
        )
        for url in (
            reverse("wagtailadmin_pages:add", args=["conditions", "localconditionpage", self.seed.pk]),
            reverse("wagtailadmin_pages:edit", args=[local.pk]),
            reverse("wagtailadmin_pages:edit", args=[clinic.pk]),
        ):
            with self.subTest(url=url):
                html = self.editor_html(self.admin, url)
                self.assertIsNotNone(html.find("button", attrs={"name": "action-publish"}))

    # --- a Publish sent anyway -------------------------------------------------------------------

    def test_a_publish_sent_anyway_is_refused_to_all_but_administrators(self):
        page = self.approved_page()
        for user in (self.editor, make_publisher("publisher")):
            with self.subTest(user=user.username):
                revisions = page.revisions.count()
                response = self.edit(user, page, "action-publish", summary=CHANGED_SUMMARY)
                self.assertEqual(response.status_code, 200)
                self.assertIn("The page could not be saved due to validation errors.", messages_text(response))
                self.assertIn(PUBLISHED_BY_REVIEW, messages_text(response))
                self.assertEqual(page.revisions.count(), revisions)
                self.assertEqual(self.publications_by(page, user), 0)
                self.assertEqual(ConditionPage.objects.get(pk=page.pk).summary, SUMMARY)
                self.assert_reviewed_by_jane_doe_today(page)

    def bulk_publish(self, user, page):
        self.client.force_login(user)
        explorer = reverse("wagtailadmin_explore", args=[self.index.pk])
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={page.pk}&next={explorer}"
        return url, self.client.post(url, {"include_descendants": "on"})

    def test_bulk_publish_is_refused_to_all_but_administrators(self):
        page = self.approved_page()
        # The editor saves a change as a draft; only review should take it live.
        self.assertEqual(self.edit(self.editor, page, summary=CHANGED_SUMMARY).status_code, 302)
        refusal = (
            "“Herniated Disc” is a condition page: it goes live when a medical reviewer approves it. Open it and "
            "choose “Submit to Medical review”."
        )
        for user in (self.editor, make_publisher("publisher")):
            with self.subTest(user=user.username):
                url, response = self.bulk_publish(user, page)
                self.assertRedirects(response, url, fetch_redirect_response=False)
                self.assertIn(refusal, admin_messages(self.client.get(url)))
                self.assertEqual(ConditionPage.objects.get(pk=page.pk).summary, SUMMARY)
                self.assertEqual(self.publications_by(page, user), 0)

        _, response = self.bulk_publish(self.admin, page)
        self.assertEqual(response.status_code, 302)
        self.assertIn(
            "“Herniated Disc” is live without a medical reviewer's approval of this version: it shows “Awaiting "
            "medical review” until it is approved. Submit it to Medical review.",
            admin_messages(self.client.get(response.url)),
        )
        self.assertEqual(ConditionPage.objects.get(pk=page.pk).summary, CHANGED_SUMMARY)
        self.assertEqual(self.publications_by(page, self.admin), 1)
        self.assertEqual(self.review_signals(page), ("Awaiting medical review", {}))

    def test_bulk_publish_of_a_page_without_its_safety_blocks_is_refused_to_administrators_too(self):
        self.assertEqual(self.create(self.editor, body=[]).status_code, 302)
        page = ConditionPage.objects.get(slug="herniated-disc")
        url, response = self.bulk_publish(self.admin, page)
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertIn(
            "“Herniated Disc” cannot be published yet: add a Symptoms block (what patients notice) and a When to "
            "seek care block (when to see a doctor or call 911).",
            admin_messages(self.client.get(url)),
        )
        self.assertFalse(ConditionPage.objects.get(pk=page.pk).live)

    # --- the two blocks a patient relies on -----------------------------------------------------

    def test_a_page_without_symptoms_or_when_to_seek_care_cannot_go_to_review(self):
        care_only = required_blocks()[1:]
        # A block with errors of its own does not hide what is missing.
        care_without_heading = [
            ("when_to_seek_care", {"heading": "", "urgency": "urgent", "text": rich_text("<p>Numb legs.</p>")})
        ]
        cases = {
            "When to seek care only": (care_only, NO_SYMPTOMS),
            "neither": ([], NO_SYMPTOMS_OR_CARE),
            "When to seek care without its heading": (care_without_heading, NO_SYMPTOMS),
        }
        for case, (body, message) in cases.items():
            with self.subTest(case=case):
                response = self.create(self.editor, "action-submit", body=body)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, messages_text(response))
                self.assertEqual(bool(BodyEditor(response).missing()), body is care_without_heading)
                self.assertFalse(ConditionPage.objects.filter(slug="herniated-disc").exists())
                self.assertFalse(WorkflowState.objects.exists())

        # A draft may lack them; it cannot be submitted (nor resubmitted) until they are added.
        self.assertEqual(self.create(self.editor, body=care_only).status_code, 302)
        page = ConditionPage.objects.get(slug="herniated-disc")
        self.assertEqual(
            [block.block_type for block in page.get_latest_revision_as_object().body], ["when_to_seek_care"]
        )
        for action in ("action-submit", "action-restart-workflow"):
            with self.subTest(action=action):
                response = self.edit(self.editor, page, action, body=care_only)
                self.assertEqual(response.status_code, 200)
                self.assertIn(NO_SYMPTOMS, messages_text(response))
                self.assertFalse(WorkflowState.objects.exists())
        html = self.editor_html(self.editor, reverse("wagtailadmin_pages:edit", args=[page.pk]))
        problems = html.find(attrs={"data-content-checks-problems": True}).find_all("li")
        self.assertIn(
            "No “Symptoms” block: list what patients notice. It is needed before medical review.",
            [item.get_text() for item in problems],
        )

        self.assertEqual(self.edit(self.editor, page, "action-submit").status_code, 302)
        self.assertEqual(ConditionPage.objects.get(pk=page.pk).current_workflow_state.status, "in_progress")

    def test_an_administrator_cannot_publish_a_page_without_them_either(self):
        response = self.create(self.admin, "action-publish", body=required_blocks()[:1])
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "This page cannot be published yet: add a When to seek care block (when to see a doctor or call 911).",
            messages_text(response),
        )
        self.assertNotIn(PUBLISHED_BY_REVIEW, messages_text(response))
        self.assertFalse(ConditionPage.objects.filter(slug="herniated-disc").exists())

        response = self.create(self.admin, "action-publish")
        self.assertEqual(response.status_code, 302)
        page = ConditionPage.objects.get(slug="herniated-disc")
        self.assertEqual(self.publications_by(page, self.admin), 1)
        self.assertEqual(self.review_signals(page), ("Awaiting medical review", {}))

    def test_a_reviewer_cannot_approve_an_edit_that_takes_the_safety_blocks_out(self):
        self.assertEqual(self.create(self.editor, "action-submit").status_code, 302)
        page = ConditionPage.objects.get(slug="herniated-disc")
        # "Approve and Publish" in the editor saves what the form holds, then approves it.
        data = self.form_data(body=[block for block in required_blocks() if block[0] != "symptoms"])
        data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
        self.client.force_login(self.reviewer)
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, NO_SYMPTOMS)
        page = ConditionPage.objects.get(pk=page.pk)
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_task_state.status, "in_progress")

    def test_copying_a_condition_page_offers_no_publish(self):
        page = self.approved_page()
        html = self.editor_html(self.admin, reverse("wagtailadmin_pages:copy", args=[page.pk]))
        self.assertIsNone(html.find("input", attrs={"name": "publish_copies"}))
        self.assertIsNotNone(html.find("input", attrs={"name": "new_slug"}))
