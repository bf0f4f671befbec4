"""A new condition page opens with its outline of blocks: it saves as a draft untouched, but cannot go live so."""

import json

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail import blocks
from wagtail.models import Page, WorkflowState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from conditions.models import ConditionIndexPage, ConditionPage
from tests import factories
from tests.test_medical_review import make_user

# The outline in reading order: each block's type and the label the editor shows on it.
OUTLINE = [
    ("symptoms", "Symptoms"),
    ("causes", "Causes"),
    ("complications", "Complications"),
    ("treatment", "Treatment"),
    ("when_to_seek_care", "When to seek care"),
    ("faq", "FAQ"),
    ("call_to_action", "Call to action"),
]
REQUIRED = ["This field is required."]
# Everything an untouched outline lacks, by the path of the field in the body.
MISSING_TO_GO_LIVE = {
    "0 symptoms › symptoms › 0": REQUIRED,
    "1 causes › causes › 0 › name": REQUIRED,
    "1 causes › causes › 0 › explanation": REQUIRED,
    "2 complications › complications › 0": REQUIRED,
    "3 treatment › options › 0 › name": REQUIRED,
    "4 when_to_seek_care › text": REQUIRED,
    "5 faq › questions › 0 › question": REQUIRED,
    "5 faq › questions › 0 › answer": REQUIRED,
    "6 call_to_action › text": REQUIRED,
}
BODY_BLOCK = ConditionPage._meta.get_field("body").stream_block


class BodyEditor:
    """The body StreamField as the admin renders it for its script: block definitions, blocks and errors."""

    def __init__(self, response):
        self.html = BeautifulSoup(response.content, "html.parser")
        widget = self.html.find("div", id="body", attrs={"data-controller": "w-block"})
        assert widget is not None, "no StreamField editor for the body"
        self.definition = json.loads(widget["data-w-block-data-value"])
        self.blocks, self.errors = json.loads(widget["data-w-block-arguments-value"])

    @property
    def labels(self):
        """The label of each block type, as its definition gives it to the editor's script."""
        groups = self.definition["_args"][1]
        return {child["_args"][0]: child["_args"][-1]["label"] for _, children in groups for child in children}

    @property
    def outline(self):
        return [(block["type"], self.labels[block["type"]]) for block in self.blocks]

    def form_data(self):
        """What the browser posts for these blocks when the editor changes nothing."""
        return streamfield(
            [(block["type"], _posted(BODY_BLOCK.child_blocks[block["type"]], block["value"])) for block in self.blocks]
        )

    def missing(self):
        """Each field the editor marks, by its path in the body, with its messages."""
        return dict(_error_paths(self.errors, "", self.blocks))


def _posted(block, state):
    """The form values of one block, from the state the editor's script starts with."""
    if isinstance(block, blocks.StructBlock):
        return {name: _posted(block.child_blocks[name], child_state) for name, child_state in state.items()}
    if isinstance(block, blocks.ListBlock):
        items = {
            str(index): {
                "value": _posted(block.child_block, item["value"]),
                "id": item["id"],
                "deleted": "",
                "order": str(index),
            }
            for index, item in enumerate(state)
        }
        return {**items, "count": str(len(state))}
    if isinstance(block, blocks.RichTextBlock):
        # Draftail posts "null" for an editor that holds no text, as an untouched one does.
        return state if any(paragraph["text"] for paragraph in json.loads(state)["blocks"]) else "null"
    if isinstance(block, blocks.ChoiceBlock):
        return state[0]  # a select's state lists its selected options
    return "" if state is None else state


def _error_paths(errors, path, stream_blocks=None):
    if not errors:
        return
    if errors.get("messages"):
        yield path, errors["messages"]
    for key, child_errors in (errors.get("blockErrors") or {}).items():
        name = f"{key} {stream_blocks[int(key)]['type']}" if stream_blocks else key
        yield from _error_paths(child_errors, f"{path} › {name}" if path else name)


class NewConditionPageTests(WagtailPageTestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        cls.seed = factories.load_demo_site()
        cls.index = ConditionIndexPage.objects.get()
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
        cls.editor = make_user("marketing", "Editors")
        cls.add_url = reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", cls.index.pk])

    def open_new_page(self, user):
        self.client.force_login(user)
        response = self.client.get(self.add_url)
        self.assertEqual(response.status_code, 200)
        return BodyEditor(response)

    def post_untouched(self, user, action=None):
        body = self.open_new_page(user).form_data()
        data = nested_form_data(
            {"title": "Herniated Disc", "slug": "herniated-disc", "summary": "", "other_names": "", "body": body}
        )
        if action:
            data[action] = action
        return self.client.post(self.add_url, data)

    def test_a_new_condition_page_opens_with_the_outline_in_reading_order(self):
        for user in (self.admin, self.editor):
            with self.subTest(user=user.username):
                editor = self.open_new_page(user)
                self.assertEqual(editor.outline, OUTLINE)
                starting = {block["type"]: block["value"] for block in editor.blocks}
                # Headings and the button's words are the blocks' own; what the page says about the
                # condition starts empty, for the editor to write.
                self.assertEqual(starting["symptoms"]["heading"], "Symptoms")
                self.assertEqual(starting["when_to_seek_care"]["heading"], "When to see a doctor")
                self.assertEqual(starting["call_to_action"]["link_label"], "Request an appointment")
                self.assertEqual([item["value"] for item in starting["symptoms"]["symptoms"]], [None])
                self.assertEqual(starting["causes"]["causes"][0]["value"], {"name": None, "explanation": None})
                self.assertIsNone(starting["call_to_action"]["text"])
                self.assertIsNone(editor.errors)

    def test_only_a_new_condition_page_gets_the_outline(self):
        self.assertEqual(self.open_new_page(self.admin).outline, OUTLINE)

        local_url = reverse("wagtailadmin_pages:add", args=["conditions", "localconditionpage", self.seed.pk])
        self.assertEqual(BodyEditor(self.client.get(local_url)).blocks, [])

        existing = BodyEditor(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.seed.pk])))
        self.assertEqual([block["type"] for block in existing.blocks], [block.block_type for block in self.seed.body])

    def test_the_untouched_outline_saves_as_a_draft(self):
        for user in (self.admin, self.editor):
            with self.subTest(user=user.username):
                response = self.post_untouched(user)
                page = ConditionPage.objects.get(slug="herniated-disc")
                self.assertRedirects(response, reverse("wagtailadmin_pages:edit", args=[page.pk]))
                self.assertFalse(page.live)
                draft = page.get_latest_revision_as_object()
                self.assertEqual([block.block_type for block in draft.body], [name for name, _ in OUTLINE])
                page.delete()

    def test_the_untouched_outline_cannot_go_live_and_the_editor_marks_what_is_missing(self):
        for user, action in (
            (self.editor, "action-submit"),
            (self.admin, "action-submit"),
            (self.admin, "action-publish"),
        ):
            with self.subTest(user=user.username, action=action):
                response = self.post_untouched(user, action)
                self.assertEqual(response.status_code, 200)
                self.assertFalse(Page.objects.filter(slug="herniated-disc").exists())
                self.assertFalse(WorkflowState.objects.exists())
                self.assertContains(response, "The page could not be created due to validation errors.")
                editor = BodyEditor(response)
                self.assertEqual(editor.outline, OUTLINE)  # the outline comes back as it was sent
                self.assertEqual(editor.missing(), MISSING_TO_GO_LIVE)
                summary_error = editor.html.select_one('[data-contentpath="summary"] [data-field-errors]')
                self.assertIn("This field is required.", summary_error.get_text())
