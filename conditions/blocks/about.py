"""The blocks that say what the condition is: its symptoms, its causes and its complications.

Each feeds its part of the page's MedicalCondition (signOrSymptom, cause, possibleComplication).
"""

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from wagtail import blocks

from conditions.blocks.shared import GROUP_CONDITION, INLINE_RICH_TEXT_FEATURES, PREVIEW_TEMPLATE, described_things
from seo.structured_data import plain_text


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
        return {"cause": described_things("MedicalCause", value["causes"])}


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
        return {"possibleComplication": list(value["complications"]) or [plain_text(value["text"].source)]}

    def clean(self, value):
        value = super().clean(value)
        if not strip_tags(value["text"].source).strip() and not value["complications"]:
            raise blocks.StructBlockValidationError(
                non_block_errors=[ValidationError("Add some text, a list of complications, or both.")]
            )
        return value
