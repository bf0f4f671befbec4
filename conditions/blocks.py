"""The blocks a condition page is built from, each named for what it holds.

The structured data for a condition (causes, complications, treatments, symptoms) is read from
these blocks, so what the page shows and what search engines are told never drift apart.

In the editor every block in the picker has its own icon and a preview rendered with the site's
stylesheet, every list item is labelled for what it is (a symptom, a cause), and a collapsed
block shows a one-line summary of what it holds (Meta.label_format).
"""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.images import blocks as image_blocks
from wagtail.images import get_image_model

from home.models import PracticeSettings

# Rich text inside a block may not add headings: each block owns its heading, so the outline stays valid.
INLINE_RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]

GROUP_CONDITION = "About the condition"
GROUP_CARE = "Care and treatment"
GROUP_GENERAL = "General content"

# The block picker's previews: the block's own template inside a page that loads the site's stylesheet.
PREVIEW_TEMPLATE = "blocks/preview.html"


class CauseBlock(blocks.StructBlock):
    """One cause of the condition: a short name and a sentence or two explaining it."""

    name = blocks.CharBlock(max_length=80, help_text="A short name, e.g. “Injury”.")
    explanation = blocks.TextBlock(help_text="How this cause leads to the condition, in plain words.")

    class Meta:
        icon = "list-ul"
        label = "Cause"
        label_format = "{name}"
        template = "blocks/cause_block.html"
        description = "A named cause and how it leads to the condition."
        preview_value = {"name": "Stress", "explanation": "Tense muscles can tighten into a spasm."}


class CausesBlock(blocks.StructBlock):
    """The common causes of the condition, shown as a list of named causes."""

    heading = blocks.CharBlock(max_length=120, default="Common causes")
    intro = blocks.TextBlock(required=False, help_text="Optional sentence before the list.")
    causes = blocks.ListBlock(CauseBlock(), min_num=1, label="Causes")

    class Meta:
        icon = "list-ul"
        label = "Causes"
        label_format = "{heading}: {causes}"
        group = GROUP_CONDITION
        template = "blocks/causes_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A heading, an optional intro and a list of causes, each with a name and explanation."
        preview_value = {
            "heading": "Common causes of back spasms",
            "intro": "Back spasms can have several causes:",
            "causes": [
                {"name": "Injury", "explanation": "An old injury to the back muscles can lead to spasms."},
                {"name": "Diet", "explanation": "Too little water, calcium or potassium."},
            ],
        }

    def structured_data(self, value):
        return {
            "cause": [
                {"@type": "MedicalCause", "name": cause["name"], "description": cause["explanation"]}
                for cause in value["causes"]
            ]
        }


def _plain(rich_text):
    return " ".join(strip_tags(rich_text.source).split())


class ComplicationsBlock(blocks.StructBlock):
    """What the condition can lead to if it is left untreated or gets worse."""

    heading = blocks.CharBlock(max_length=120, default="Complications")
    text = blocks.RichTextBlock(features=INLINE_RICH_TEXT_FEATURES, required=False)
    complications = blocks.ListBlock(
        blocks.CharBlock(max_length=160, label="Complication"),
        min_num=0,
        label="Possible complications",
        help_text="Optional list of complications, one short phrase each.",
    )

    class Meta:
        icon = "warning"
        label = "Complications"
        label_format = "{heading}: {complications}"
        group = GROUP_CONDITION
        template = "blocks/complications_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A heading with text and/or a list of possible complications."
        preview_value = {
            "heading": "Complications",
            "text": "<p>Severe spasms can make it hard to stand, walk or sit comfortably.</p>",
            "complications": ["Sciatica"],
        }

    def structured_data(self, value):
        return {"possibleComplication": list(value["complications"]) or [_plain(value["text"])]}

    def clean(self, value):
        value = super().clean(value)
        if not strip_tags(value["text"].source).strip() and not value["complications"]:
            raise blocks.StructBlockValidationError(
                non_block_errors=[ValidationError("Add some text, a list of complications, or both.")]
            )
        return value


TREATMENT_KINDS = [
    ("home_care", "Home care"),
    ("medication", "Medication"),
    ("physical_therapy", "Physical therapy"),
    ("injection", "Injection"),
    ("surgery", "Surgery"),
    ("other", "Other"),
]


class TreatmentOptionValue(blocks.StructValue):
    def kind_label(self):
        return dict(TREATMENT_KINDS).get(self.get("kind"), "Other")


class TreatmentOptionBlock(blocks.StructBlock):
    """One way the condition is treated."""

    name = blocks.CharBlock(max_length=100, help_text="e.g. “Physical therapy”.")
    kind = blocks.ChoiceBlock(choices=TREATMENT_KINDS, default="other")
    explanation = blocks.TextBlock(help_text="When this option is used and what it involves.")

    class Meta:
        icon = "plus-inverse"
        label = "Treatment option"
        label_format = "{name} ({kind})"
        value_class = TreatmentOptionValue
        template = "blocks/treatment_option_block.html"
        description = "A named treatment, its kind and when it is used."
        preview_value = {"name": "Massage", "kind": "physical_therapy", "explanation": "Loosens the tight muscle."}


class TreatmentBlock(blocks.StructBlock):
    """How the condition is treated, from home care to surgery."""

    heading = blocks.CharBlock(max_length=120, default="Treatment")
    intro = blocks.TextBlock(required=False)
    options = blocks.ListBlock(TreatmentOptionBlock(), min_num=1, label="Treatment options")

    class Meta:
        icon = "plus-inverse"
        label = "Treatment"
        label_format = "{heading}: {options}"
        group = GROUP_CARE
        template = "blocks/treatment_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A heading, an intro and the treatment options, each with its kind."
        preview_value = {
            "heading": "Treatment",
            "intro": "Most back spasms get better with simple care.",
            "options": [
                {"name": "Heat or ice", "kind": "home_care", "explanation": "Apply heat or ice for relief."},
                {"name": "Guided exercise", "kind": "physical_therapy", "explanation": "For recurring spasms."},
            ],
        }

    def structured_data(self, value):
        return {
            "possibleTreatment": [
                {"@type": "MedicalTherapy", "name": option["name"], "description": option["explanation"]}
                for option in value["options"]
            ]
        }


class SymptomsBlock(blocks.StructBlock):
    """The signs and symptoms a patient may notice."""

    heading = blocks.CharBlock(max_length=120, default="Symptoms")
    intro = blocks.TextBlock(required=False)
    symptoms = blocks.ListBlock(blocks.CharBlock(max_length=160, label="Symptom"), min_num=1, label="Symptoms")

    class Meta:
        icon = "clipboard-list"
        label = "Symptoms"
        label_format = "{heading}: {symptoms}"
        group = GROUP_CONDITION
        template = "blocks/symptoms_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A heading and a list of symptoms, one short phrase each."
        preview_value = {
            "heading": "Symptoms",
            "symptoms": ["Sudden tightness in the lower back", "Pain that runs down one leg"],
        }

    def structured_data(self, value):
        return {"signOrSymptom": [{"@type": "MedicalSignOrSymptom", "name": symptom} for symptom in value["symptoms"]]}


class WhenToSeekCareBlock(blocks.StructBlock):
    """A highlighted card telling patients when to see a doctor, and how urgently."""

    # Each urgency: its name, what the patient should do, and the number that does it (if one does).
    URGENCY_LEVELS = {
        "routine": ("Routine", "book an appointment", ""),
        "urgent": ("Urgent", "see a doctor today", ""),
        "emergency": ("Emergency", "call 911", "911"),
    }
    URGENCY_CHOICES = [(key, f"{level}: {action}") for key, (level, action, _) in URGENCY_LEVELS.items()]

    heading = blocks.CharBlock(max_length=120, default="When to see a doctor")
    urgency = blocks.ChoiceBlock(choices=URGENCY_CHOICES, default="routine")
    text = blocks.RichTextBlock(features=INLINE_RICH_TEXT_FEATURES)

    class Meta:
        icon = "time"
        label = "When to seek care"
        label_format = "{heading} ({urgency})"
        group = GROUP_CARE
        template = "blocks/when_to_seek_care_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A card with an urgency level (routine, urgent or emergency) and what to look out for."
        preview_value = {
            "heading": "When to call 911",
            "urgency": "emergency",
            "text": "<p>If back pain comes with loss of bladder or bowel control, call 911.</p>",
        }

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        level, action, dial = self.URGENCY_LEVELS.get(value["urgency"], self.URGENCY_LEVELS["routine"])
        context.update(urgency_level=level, urgency_action=action, urgency_dial=dial)
        return context


class QuestionBlock(blocks.StructBlock):
    """One frequently asked question and its answer."""

    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=INLINE_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "Question"
        label_format = "{question}"
        template = "blocks/question_block.html"
        description = "A question patients ask, and its answer."
        preview_value = {"question": "Should I rest in bed?", "answer": "<p>Gentle movement helps more.</p>"}


class FAQBlock(blocks.StructBlock):
    """Questions patients often ask, each with its answer."""

    heading = blocks.CharBlock(max_length=120, default="Frequently asked questions")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label="Questions")

    class Meta:
        icon = "help"
        label = "FAQ"
        label_format = "{heading}: {questions}"
        group = GROUP_GENERAL
        template = "blocks/faq_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Question and answer pairs under one heading."
        preview_value = {
            "heading": "Frequently asked questions",
            "questions": [
                {"question": "Do back spasms go away on their own?", "answer": "<p>Minor spasms often do.</p>"}
            ],
        }


class TextSectionBlock(blocks.StructBlock):
    """A section of text with its own heading, for anything the other blocks do not cover."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(
        features=INLINE_RICH_TEXT_FEATURES,
        help_text="Bold, italic, links and lists. The heading above is the section's only heading.",
    )

    class Meta:
        icon = "pilcrow"
        label = "Text section"
        label_format = "{heading}"
        group = GROUP_GENERAL
        template = "blocks/text_section_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A heading followed by a few paragraphs or a list."
        preview_value = {
            "heading": "Living with back spasms",
            "text": "<p>Gentle movement and good posture help many patients.</p>",
        }


def nest_image_alt_text(value):
    """An image block's value in the shape stored before conditions 0009, nested as ImageBlock has it.

    Before 0009 the image, its alt text and the decorative flag sat side by side in this block;
    they are now one wagtail.images ImageBlock. The data migration rewrites stored pages and
    revisions; this keeps values still built in the old shape in code (tests/factories.py) working.
    """
    if "alt_text" not in value and "decorative" not in value:
        return value
    decorative = bool(value.get("decorative"))
    return {
        "image": {
            "image": value.get("image"),
            "decorative": decorative,
            "alt_text": "" if decorative else value.get("alt_text") or "",
        },
        "caption": value.get("caption") or "",
    }


class ImageValue(blocks.StructValue):
    """value.image is the chosen Image, carrying this use's alt text (contextual_alt_text) and decorative flag."""

    @property
    def alt_text(self):
        image = self.get("image")
        return (image.contextual_alt_text or "") if image else ""

    @property
    def decorative(self):
        image = self.get("image")
        return bool(image and image.decorative)


class ImageBlock(blocks.StructBlock):
    """An image with its alt text (or marked decorative) and an optional caption.

    The image, alt text and decorative flag are Wagtail's own ImageBlock: choosing an image fills
    the alt text from the image's description, and the block refuses an image with neither alt
    text nor the decorative flag.
    """

    image = image_blocks.ImageBlock(
        help_text=(
            "Describe what the image shows for people who cannot see it, or tick “Image is decorative” "
            "if it adds nothing to the text (screen readers will skip it)."
        )
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = "Image"
        label_format = "{image}"
        value_class = ImageValue
        group = GROUP_GENERAL
        template = "blocks/image_block.html"
        preview_template = "blocks/image_block_preview.html"
        description = "An image from the image library with alternative text and an optional caption."
        preview_value = {"caption": "The caption appears under the image."}

    def get_preview_value(self):
        # The newest image in the library, with the alt text an editor choosing it would be offered;
        # an empty library previews the caption alone (see blocks/image_block_preview.html).
        image = get_image_model().objects.order_by("-created_at", "-pk").first()
        alt_text = image.default_alt_text if image else ""
        return self.normalize(
            {**self.meta.preview_value, "image": {"image": image, "decorative": False, "alt_text": alt_text}}
        )

    def to_python(self, value):
        return super().to_python(nest_image_alt_text(value))

    def bulk_to_python(self, values):
        return super().bulk_to_python([nest_image_alt_text(value) for value in values])

    def normalize(self, value):
        if isinstance(value, self.meta.value_class):
            return value
        return super().normalize(nest_image_alt_text(value))


class CallToActionBlock(blocks.StructBlock):
    """A prominent invitation to act, such as requesting an appointment.

    Its button leads to the page chosen in the block or, with none chosen (or the chosen page
    deleted or unpublished), to the appointment page in Settings → Practice; with neither, the
    button is left out and the page's content checks say so. Its preview leaves the page empty,
    so the picker shows the button leading to the appointment page when one is set.
    """

    # Read by home.page_removal, which tells editors what deleting a page does to this block.
    falls_back_to_appointment_page = True

    text = blocks.TextBlock(help_text="One or two sentences inviting the patient to get in touch.")
    link_label = blocks.CharBlock(
        max_length=60,
        default="Request an appointment",
        help_text="Words on the button; they must make sense on their own.",
    )
    page = blocks.PageChooserBlock(
        required=False,
        help_text=(
            "Leave empty to use the appointment page set in Settings → Practice. "
            "Choose a page only when this invitation should lead somewhere else."
        ),
    )

    class Meta:
        icon = "calendar-check"
        label = "Call to action"
        label_format = "{link_label}: {text}"
        group = GROUP_GENERAL
        template = "blocks/call_to_action_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A short invitation and a button to the appointment page, or to another page you choose."
        preview_value = {
            "text": "Contact the practice to discuss your specific situation.",
            "link_label": "Request an appointment",
        }

    @staticmethod
    def destination(value, practice):
        """The page the button leads to: the chosen page while it is live, else the appointment page, else None."""
        chosen = value.get("page")
        if chosen is not None and chosen.live:
            return chosen
        return practice.appointment_destination

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # Wagtail keeps the loaded settings on the request: one lookup however many blocks render.
        practice = PracticeSettings.load(request_or_site=context.get("request"))
        context["destination"] = self.destination(value, practice)
        return context


class ConditionBodyBlock(blocks.StreamBlock):
    symptoms = SymptomsBlock()
    causes = CausesBlock()
    complications = ComplicationsBlock()
    treatment = TreatmentBlock()
    when_to_seek_care = WhenToSeekCareBlock()
    faq = FAQBlock()
    text_section = TextSectionBlock()
    image = ImageBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {
            "symptoms": {"max_num": 1},
            "causes": {"max_num": 1},
            "complications": {"max_num": 1},
            "treatment": {"max_num": 1},
            "faq": {"max_num": 1},
        }
