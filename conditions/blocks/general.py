"""The general-purpose blocks: questions and answers, a text section and the call to action."""

from wagtail import blocks

from conditions.blocks.shared import GROUP_GENERAL, INLINE_RICH_TEXT_FEATURES, PREVIEW_TEMPLATE
from home.i18n import in_visitor_language
from home.models import PracticeSettings


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
            return in_visitor_language(chosen)
        return practice.appointment_destination

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # Wagtail keeps the loaded settings on the request: one lookup however many blocks render.
        practice = PracticeSettings.load(request_or_site=context.get("request"))
        context["destination"] = self.destination(value, practice)
        return context
