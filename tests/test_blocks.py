"""What an editor sees of the condition-page blocks: labels, icons, collapsed summaries, picker previews.

Also that the image block, now built on Wagtail's ImageBlock, keeps content stored in its old shape working.
"""

import importlib
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import get_template
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.images import blocks as image_blocks
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import conditions.migrations
from conditions.models import ConditionPage, medical_content_digest
from tests import factories
from tests.test_medical_review import required_blocks

BODY = ConditionPage._meta.get_field("body").stream_block
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Labels that tell an editor nothing about what an item is.
BARE_LABELS = {"", "*", "Item", "Items"}
# Text each block's picker preview shows, from its preview value.
PREVIEW_TEXT = {
    "symptoms": "Pain that runs down one leg",
    "causes": "Too little water, calcium or potassium.",
    "complications": "Severe spasms can make it hard to stand, walk or sit comfortably.",
    "treatment": "Guided exercise",
    "when_to_seek_care": "If back pain comes with loss of bladder or bowel control, call 911.",
    "faq": "Do back spasms go away on their own?",
    "references": "Management of acute low back pain.",
    "text_section": "Gentle movement and good posture help many patients.",
    "image": "The caption appears under the image.",
    "call_to_action": "Contact the practice to discuss your specific situation.",
}


def block_polish_migration():
    """The migration that nests the image block's alt text (its module name starts with its number)."""
    path = next(Path(conditions.migrations.__file__).parent.glob("*_block_polish.py"))
    return importlib.import_module(f"conditions.migrations.{path.stem}")


def descendants(block, path):
    """Every block inside `block` (itself first), with its path such as "causes.causes[]".

    Wagtail's ImageBlock counts as one block: its fields and their labels are Wagtail's.
    """
    yield path, block
    if isinstance(block, blocks.ListBlock):
        yield from descendants(block.child_block, f"{path}[]")
    elif isinstance(block, blocks.StructBlock) and not isinstance(block, image_blocks.ImageBlock):
        for name, child in block.child_blocks.items():
            yield from descendants(child, f"{path}.{name}")


def own_blocks():
    """Every block an editor meets in the body, from the picker's blocks down to their fields."""
    for name, block in BODY.child_blocks.items():
        yield from descendants(block, name)


def is_own_struct_block(block):
    """A StructBlock defined in conditions.blocks (Wagtail's ImageBlock is a StructBlock too)."""
    return isinstance(block, blocks.StructBlock) and not isinstance(block, image_blocks.ImageBlock)


def own_struct_blocks():
    return [(path, block) for path, block in own_blocks() if is_own_struct_block(block)]


def collapsed_summary(block, value):
    """The text Wagtail's editor shows beside a collapsed block (getTextLabel in wagtailadmin/js/telepath/blocks.js).

    A StructBlock with a label_format puts each child's text label in place of {child}; without one
    it shows its first child that has text. A list joins its items' labels with ", "; a choice shows
    the chosen label, rich text its plain text and a chooser the chosen object's title.
    """
    if isinstance(block, blocks.StructBlock):
        if block.meta.label_format is not None:
            return PLACEHOLDER.sub(
                lambda match: collapsed_summary(block.child_blocks[match[1]], value[match[1]]), block.meta.label_format
            )
        if isinstance(block, image_blocks.ImageBlock):
            return value.title if value else ""
        texts = (collapsed_summary(child, value[name]) for name, child in block.child_blocks.items())
        return next((text for text in texts if text), "")
    if isinstance(block, blocks.ListBlock):
        return ", ".join(filter(None, (collapsed_summary(block.child_block, item) for item in value)))
    if isinstance(block, blocks.ChoiceBlock):
        return dict(block.field.choices).get(value, "")
    if isinstance(block, blocks.RichTextBlock):
        return " ".join(strip_tags(value.source).split())
    if isinstance(block, blocks.ChooserBlock):
        return value.title if value else ""
    return str(value or "")


def editor_block_definitions(response):
    """The block definitions the page editor sends the browser, by block id (Wagtail's telepath data)."""
    packed = json.loads(BeautifulSoup(response.content, "html.parser").find(id="body")["data-w-block-data-value"])
    definitions = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if isinstance(args, list) and args and isinstance(args[-1], dict) and "blockDefId" in args[-1]:
                definitions[args[-1]["blockDefId"]] = {"name": args[0], "args": args, **args[-1]}
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(packed)
    return definitions


def fetch_preview(test, name):
    """A block's preview, asked for as the block picker asks (an iframe on /admin/block-preview/?id=…)."""
    response = test.client.get(reverse("wagtailadmin_block_preview"), {"id": BODY.child_blocks[name].definition_prefix})
    test.assertEqual(response.status_code, 200)
    return response


class BlockDefinitionTests(SimpleTestCase):
    def test_every_block_in_the_picker_has_its_own_icon_from_wagtails_set(self):
        icons = {name: block.meta.icon for name, block in BODY.child_blocks.items()}
        self.assertEqual(len(set(icons.values())), len(icons), icons)
        for name, icon in icons.items():
            with self.subTest(block=name):
                self.assertNotEqual(icon, "placeholder")
                get_template(f"wagtailadmin/icons/{icon}.svg")  # raises TemplateDoesNotExist for a made-up name

    def test_every_list_and_list_item_is_labelled_for_what_it_holds(self):
        lists = {path: block for path, block in own_blocks() if isinstance(block, blocks.ListBlock)}
        self.assertEqual(
            {path: (block.label, block.child_block.label) for path, block in lists.items()},
            {
                "symptoms.symptoms": ("Symptoms", "Symptom"),
                "causes.causes": ("Causes", "Cause"),
                "complications.complications": ("Possible complications", "Complication"),
                "treatment.options": ("Treatment options", "Treatment option"),
                "faq.questions": ("Questions", "Question"),
                "references.references": ("References", "Reference"),
            },
        )

    def test_no_block_has_a_bare_label(self):
        for path, block in own_blocks():
            with self.subTest(block=path):
                self.assertNotIn(block.label, BARE_LABELS)

    def test_every_struct_block_summarises_itself_from_its_own_fields(self):
        for path, block in own_struct_blocks():
            with self.subTest(block=path):
                self.assertTrue(block.meta.label_format)
                # A name that is not a field of the block shows as nothing at all in the editor.
                self.assertLessEqual(set(PLACEHOLDER.findall(block.meta.label_format)), set(block.child_blocks))

    def test_every_struct_block_has_what_the_picker_shows(self):
        for path, block in own_struct_blocks():
            with self.subTest(block=path):
                self.assertTrue(block.__class__.__doc__)
                self.assertTrue(block.meta.template)
                self.assertTrue(block.get_description())
                self.assertTrue(hasattr(block.meta, "preview_value"))

    def test_collapsed_blocks_show_a_one_line_summary(self):
        summaries = {
            name: collapsed_summary(block, block.normalize(block.meta.preview_value))
            for name, block in BODY.child_blocks.items()
            if name != "image"  # its summary is the chosen image's title: see BlockPreviewTests
        }
        self.assertEqual(
            summaries,
            {
                "symptoms": "Symptoms: Sudden tightness in the lower back, Pain that runs down one leg",
                "causes": "Common causes of back spasms: Injury, Diet",
                "complications": "Complications: Sciatica",
                "treatment": "Treatment: Heat or ice (Home care), Guided exercise (Physical therapy)",
                "when_to_seek_care": "When to call 911 (Emergency: call 911)",
                "faq": "Frequently asked questions: Do back spasms go away on their own?",
                "references": "References: Management of acute low back pain",
                "text_section": "Living with back spasms",
                "call_to_action": "Request an appointment: Contact the practice to discuss your specific situation.",
            },
        )


class EditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = factories.load_demo_site()
        cls.index = cls.page.get_parent().specific
        cls.image = Image.objects.create(
            title="Spine model", description="A model of the lumbar spine", file=get_test_image_file()
        )
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_page_editor_receives_labels_icons_and_summaries(self):
        definitions = editor_block_definitions(self.client.get(f"/admin/pages/{self.page.pk}/edit/"))
        for path, block in own_blocks():
            with self.subTest(block=path):
                sent = definitions[block.definition_prefix]
                self.assertEqual(sent["label"], block.label)
                if is_own_struct_block(block):
                    self.assertEqual(sent["labelFormat"], block.meta.label_format)
                if isinstance(block, blocks.ListBlock):
                    item = sent["args"][1]["_args"][-1]
                    self.assertNotIn(item["label"], BARE_LABELS)
        for name, block in BODY.child_blocks.items():
            with self.subTest(block=name):
                sent = definitions[block.definition_prefix]
                self.assertEqual(sent["icon"], block.meta.icon)
                self.assertTrue(sent["isPreviewable"])

    def test_an_image_block_is_saved_with_its_alt_text_and_shown_with_it(self):
        body = streamfield(
            [
                (
                    "image",
                    {
                        "image": {"image": self.image.pk, "decorative": "", "alt_text": "A model of the spine"},
                        "caption": "The lower back",
                    },
                ),
                ("text_section", {"heading": "More", "text": rich_text("<p>Stay active.</p>")}),
            ]
        )
        data = nested_form_data(
            {"title": "Spinal Stenosis", "slug": "spinal-stenosis", "summary": "A narrowed spinal canal.", "body": body}
        )
        response = self.client.post(f"/admin/pages/add/conditions/conditionpage/{self.index.pk}/", data)
        self.assertEqual(response.status_code, 302)
        page = ConditionPage.objects.get(slug="spinal-stenosis")
        self.assertEqual(
            page.body.raw_data[0]["value"],
            {
                "image": {"image": self.image.pk, "alt_text": "A model of the spine", "decorative": False},
                "caption": "The lower back",
            },
        )
        page.save_revision().publish()
        figure = BeautifulSoup(self.client.get(page.url).content, "html.parser").select_one("figure.block-image")
        self.assertEqual(figure.img["alt"], "A model of the spine")
        self.assertEqual(figure.figcaption.get_text(), "The lower back")

    def test_publishing_an_image_without_alt_text_is_refused_unless_decorative(self):
        def publish(image):
            body = streamfield([("image", {"image": image, "caption": ""}), *required_blocks()])
            data = nested_form_data(
                {"title": "Stenosis", "slug": "stenosis", "summary": "A narrowed canal.", "body": body}
            )
            data["action-publish"] = "action-publish"
            return self.client.post(f"/admin/pages/add/conditions/conditionpage/{self.index.pk}/", data)

        refused = publish({"image": self.image.pk, "decorative": "", "alt_text": ""})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "Please add some alt text for your image or mark it as decorative")
        self.assertFalse(ConditionPage.objects.filter(slug="stenosis").exists())

        accepted = publish({"image": self.image.pk, "decorative": "on", "alt_text": ""})
        self.assertEqual(accepted.status_code, 302)
        page = ConditionPage.objects.get(slug="stenosis")
        self.assertTrue(page.live)
        img = BeautifulSoup(self.client.get(page.url).content, "html.parser").select_one("figure.block-image img")
        self.assertEqual(img["alt"], "")


class BlockPreviewTests(TestCase):
    """The block picker's previews, fetched as the admin's picker fetches them, with the demo site loaded."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.image = Image.objects.create(
            title="Spine model", description="A model of the lumbar spine", file=get_test_image_file()
        )
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def preview(self, name):
        return BeautifulSoup(fetch_preview(self, name).content, "html.parser")

    def test_every_block_previews_its_preview_value(self):
        self.assertEqual(set(PREVIEW_TEXT), set(BODY.child_blocks))
        for name, text in PREVIEW_TEXT.items():
            with self.subTest(block=name):
                html = self.preview(name)
                self.assertIn(text, html.main.get_text(" "))
                self.assertIsNotNone(html.find("link", rel="stylesheet", href=re.compile(r"css/site\.css$")))

    def test_previews_may_be_framed_by_the_admin_and_nothing_else(self):
        response = fetch_preview(self, "symptoms")
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertIn("frame-ancestors 'self'", response["Content-Security-Policy"])

    def test_image_preview_shows_an_image_from_the_library_with_its_suggested_alt_text(self):
        figure = self.preview("image").select_one("figure.block-image")
        self.assertEqual(figure.img["alt"], "A model of the lumbar spine")
        self.assertEqual(figure.figcaption.get_text(), "The caption appears under the image.")
        image_block = BODY.child_blocks["image"]
        self.assertEqual(collapsed_summary(image_block, image_block.get_preview_value()), "Spine model")

    def test_call_to_action_preview_leads_to_the_appointment_page(self):
        button = self.preview("call_to_action").select_one("aside.cta a.button")
        self.assertEqual(button.get_text(), "Request an appointment")
        self.assertEqual(button["href"], Page.objects.get(slug="contact").url)


class EmptySiteBlockPreviewTests(TestCase):
    """A new installation: no image in the library and no appointment page, yet every preview renders."""

    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")

    def setUp(self):
        self.client.force_login(self.user)

    def preview(self, name):
        return BeautifulSoup(fetch_preview(self, name).content, "html.parser").main

    def test_every_block_previews(self):
        for name, text in PREVIEW_TEXT.items():
            with self.subTest(block=name):
                self.assertIn(text, self.preview(name).get_text(" "))

    def test_image_preview_says_where_images_come_from(self):
        self.assertFalse(Image.objects.exists())
        main = self.preview("image")
        self.assertIsNone(main.find("img"))
        self.assertIn("the library is empty, so upload one under Images", main.get_text())
        self.assertIn("The caption appears under the image.", main.get_text())

    def test_call_to_action_preview_has_its_text_and_no_button(self):
        main = self.preview("call_to_action")
        self.assertIn("Contact the practice to discuss your specific situation.", main.get_text())
        self.assertIsNone(main.find("a"))


class StoredImageContentTests(TestCase):
    """Image blocks stored before ImageBlock (image, alt_text and decorative side by side) keep working."""

    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()
        cls.image = factories.make_image()

    def legacy_value(self, **fields):
        return {"image": self.image.pk, "alt_text": "A model of the lumbar spine", "decorative": False, **fields}

    def page_stored_as(self, *values, slug="sciatica"):
        page = factories.make_condition(title="Sciatica", slug=slug, **factories.reviewed())
        raw = [
            {"type": "image", "value": {**value, "caption": ""}, "id": f"image-{i}"} for i, value in enumerate(values)
        ]
        # Written as raw JSON, as the rows and revisions stored before 0009 hold it.
        ConditionPage.objects.filter(pk=page.pk).update(body=StreamValue(BODY, raw, is_lazy=True))
        return ConditionPage.objects.get(pk=page.pk)

    def test_a_page_stored_in_the_old_shape_renders_its_alt_text(self):
        page = self.page_stored_as(self.legacy_value(), self.legacy_value(decorative=True))
        images = BeautifulSoup(self.client.get(page.url).content, "html.parser").select("figure.block-image img")
        self.assertEqual([img["alt"] for img in images], ["A model of the lumbar spine", ""])

    def test_the_seo_check_reads_alt_text_from_pages_stored_in_the_old_shape(self):
        page = self.page_stored_as(self.legacy_value(alt_text="", decorative=False), self.legacy_value())
        self.assertEqual(page.seo_problems(), ["1 image(s) without alt text"])

    def test_the_data_migration_rewrites_pages_and_revisions_and_keeps_reviews_current(self):
        migration = block_polish_migration()
        apps = (
            MigrationExecutor(connection)
            .loader.project_state(("conditions", migration.__name__.rpartition(".")[2]))
            .apps
        )
        legacy_body = [{"type": "image", "value": {**self.legacy_value(), "caption": ""}, "id": "image-0"}]
        reviewed = self.page_stored_as(self.legacy_value())
        edited_since = self.page_stored_as(self.legacy_value(), slug="edited-since")
        fingerprint = medical_content_digest(reviewed.title, reviewed.summary, reviewed.other_names, legacy_body)
        ConditionPage.objects.filter(pk=reviewed.pk).update(reviewed_content_digest=fingerprint)
        ConditionPage.objects.filter(pk=edited_since.pk).update(reviewed_content_digest="0" * 64)
        approved = reviewed.revisions.create(
            content={
                **reviewed.serializable_data(),
                "body": json.dumps(legacy_body),
                "reviewed_content_digest": fingerprint,
            }
        )

        migration.nest_image_alt_text(apps, None)
        reviewed.refresh_from_db()
        approved.refresh_from_db()
        nested = {
            "image": {"image": self.image.pk, "decorative": False, "alt_text": "A model of the lumbar spine"},
            "caption": "",
        }
        self.assertEqual(reviewed.body.raw_data[0]["value"], nested)
        self.assertEqual(json.loads(approved.content["body"])[0]["value"], nested)
        self.assertTrue(reviewed.review_is_current)
        self.assertEqual(approved.content["reviewed_content_digest"], reviewed.reviewed_content_digest)
        self.assertEqual(ConditionPage.objects.get(pk=edited_since.pk).reviewed_content_digest, "0" * 64)

        migration.flatten_image_alt_text(apps, None)
        reviewed.refresh_from_db()
        self.assertEqual(reviewed.body.raw_data[0]["value"], legacy_body[0]["value"])
        self.assertEqual(reviewed.reviewed_content_digest, fingerprint)

    def test_the_data_migration_nests_alt_text_in_the_shape_the_block_saves(self):
        nest = block_polish_migration().NestImageAltTextOperation().apply
        block = BODY.child_blocks["image"]
        for legacy in (self.legacy_value(caption="Spine"), self.legacy_value(decorative="on", caption="")):
            with self.subTest(legacy=legacy):
                migrated = nest(legacy)
                self.assertEqual(nest(migrated), migrated)  # already nested: left alone
                # Saved again unchanged, so the content fingerprint of a reviewed page stays the same.
                self.assertEqual(block.get_prep_value(block.to_python(migrated)), migrated)
        self.assertEqual(
            nest(self.legacy_value(caption="Spine")),
            {
                "image": {"image": self.image.pk, "decorative": False, "alt_text": "A model of the lumbar spine"},
                "caption": "Spine",
            },
        )
        self.assertEqual(
            nest(self.legacy_value(decorative="on"))["image"],
            {"image": self.image.pk, "decorative": True, "alt_text": ""},
        )
