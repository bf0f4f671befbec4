"""The blocks a condition page is built from, each named for what it holds.

The structured data for a condition (causes, complications, treatments, symptoms) is read from
these blocks, so what the page shows and what search engines are told never drift apart.

In the editor every block in the picker has its own icon and a preview rendered with the site's
stylesheet, every list item is labelled for what it is (a symptom, a cause), and a collapsed
block shows a one-line summary of what it holds (Meta.label_format).

One module per family of blocks (the picker's groups), each block with its template in templates/blocks/:
  about.py    symptoms, causes, complications ("About the condition")
  care.py     treatment, when to seek care ("Care and treatment")
  general.py  FAQ, text section, call to action ("General content")
  references.py  the numbered references and the [1] markers citing them ("General content")
  image.py    the image block, and the shape its values had before conditions 0009
  shared.py   the picker's groups, the preview page and the rich-text features they share
"""

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from wagtail import blocks

from conditions.blocks.about import CauseBlock, CausesBlock, ComplicationsBlock, SymptomsBlock
from conditions.blocks.care import TreatmentBlock, TreatmentOptionBlock, WhenToSeekCareBlock
from conditions.blocks.general import CallToActionBlock, FAQBlock, QuestionBlock, TextSectionBlock
from conditions.blocks.image import ImageBlock
from conditions.blocks.references import ReferenceBlock, ReferencesBlock, link_citation_markers
from conditions.outline import outline

__all__ = [
    "CallToActionBlock",
    "CauseBlock",
    "CausesBlock",
    "ComplicationsBlock",
    "ConditionBodyBlock",
    "FAQBlock",
    "ImageBlock",
    "QuestionBlock",
    "ReferenceBlock",
    "ReferencesBlock",
    "SymptomsBlock",
    "TextSectionBlock",
    "TreatmentBlock",
    "TreatmentOptionBlock",
    "WhenToSeekCareBlock",
]


class ConditionBodyBlock(blocks.StreamBlock):
    """The body of condition and local condition pages: the picker's blocks, those a page needs once capped at one.

    Rendered, each [N] an editor typed in the text links to reference N of the references block.
    """

    symptoms = SymptomsBlock()
    causes = CausesBlock()
    complications = ComplicationsBlock()
    treatment = TreatmentBlock()
    when_to_seek_care = WhenToSeekCareBlock()
    faq = FAQBlock()
    text_section = TextSectionBlock()
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    references = ReferencesBlock()

    class Meta:
        block_counts = {
            "symptoms": {"max_num": 1},
            "causes": {"max_num": 1},
            "complications": {"max_num": 1},
            "treatment": {"max_num": 1},
            "faq": {"max_num": 1},
            "references": {"max_num": 1},
        }

    def render_basic(self, value, context=None):
        """Wagtail's rendering (each block in its <div>), with the citation markers linked and each
        section's heading given the anchor "On this page" links to (conditions.outline)."""
        references = next((child.value["references"] for child in value if child.block_type == "references"), [])
        shared = context.flatten() if hasattr(context, "flatten") else dict(context or {})
        anchors = {id(section["block"]): section["anchor"] for section in outline(value)}

        def rendered(child):
            html = child.render(context={**shared, "section_id": anchors.get(id(child), "")})
            if getattr(child.block, "lists_citations", False):
                return html
            # Safe: only fixed markup is added to what the block's template escaped (link_citation_markers).
            return mark_safe(link_citation_markers(html, len(references)))  # noqa: S308

        return format_html_join(
            "\n",
            '<div class="w-block-{1} block-{1}">{0}</div>',
            ((rendered(child), child.block_type) for child in value),
        )


def page_properties(body):
    """What a page's blocks say about the page itself rather than the condition (its references, as
    `citation`): each block type that has some gives `page_structured_data(value)`."""
    properties = {}
    for block in body:
        if hasattr(block.block, "page_structured_data"):
            properties.update(block.block.page_structured_data(block.value))
    return properties
