"""The blocks about care: how the condition is treated, and when to see a doctor."""

from django.utils.translation import gettext_noop
from wagtail import blocks

from conditions.blocks.shared import GROUP_CARE, INLINE_RICH_TEXT_FEATURES, PREVIEW_TEMPLATE, described_things
from home.i18n import in_visitor_language

TREATMENT_KINDS = [
    ("home_care", gettext_noop("Home care")),
    ("medication", gettext_noop("Medication")),
    ("physical_therapy", gettext_noop("Physical therapy")),
    ("injection", gettext_noop("Injection")),
    ("surgery", gettext_noop("Surgery")),
    ("other", gettext_noop("Other")),
]
# How each kind is typed in the condition's structured data; medication is a Drug, under `drug`.
SCHEMA_TYPES = {"physical_therapy": "PhysicalTherapy", "surgery": "SurgicalProcedure", "medication": "Drug"}


class TreatmentOptionValue(blocks.StructValue):
    def kind_label(self):
        return dict(TREATMENT_KINDS).get(self.get("kind"), gettext_noop("Other"))

    def treatment_page_shown(self):
        """The chosen treatment page while it is live (the option's name links to it), else None."""
        page = self.get("treatment_page")
        return in_visitor_language(page) if page is not None and page.live else None


class TreatmentOptionBlock(blocks.StructBlock):
    """One way the condition is treated."""

    name = blocks.CharBlock(max_length=100, help_text="e.g. “Physical therapy”.")
    kind = blocks.ChoiceBlock(choices=TREATMENT_KINDS, default="other")
    explanation = blocks.TextBlock(
        required=False,
        help_text="When this option is used and what it involves; may stay empty when the intro or its page says it.",
    )
    treatment_page = blocks.PageChooserBlock(
        page_type="treatments.TreatmentPage",
        required=False,
        help_text=(
            "Optional: the treatment's own page. The option's name links to it, and that page lists this "
            "condition under “Conditions this treats” once this page is published."
        ),
    )

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
        """Each option typed by its kind: possibleTreatment for therapies and procedures, drug for medication;
        with the address of its treatment page when it links to one."""
        typed = {"possibleTreatment": [], "drug": []}
        for option in value["options"]:
            schema_type = SCHEMA_TYPES.get(option["kind"], "MedicalTherapy")
            [thing] = described_things(schema_type, [option])
            page = option.treatment_page_shown()
            if page is not None:
                # Its address only: the treatment's @id is defined on its own page's graph, not this one.
                thing["url"] = page.full_url
            typed["drug" if schema_type == "Drug" else "possibleTreatment"].append(thing)
        return {name: things for name, things in typed.items() if things}


class WhenToSeekCareBlock(blocks.StructBlock):
    """A highlighted card telling patients when to see a doctor, and how urgently."""

    # Each urgency: its name, what the patient should do, and the number that does it (if one does).
    URGENCY_LEVELS = {
        "routine": (gettext_noop("Routine"), gettext_noop("book an appointment"), ""),
        "urgent": (gettext_noop("Urgent"), gettext_noop("see a doctor today"), ""),
        "emergency": (gettext_noop("Emergency"), gettext_noop("call 911"), "911"),
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
