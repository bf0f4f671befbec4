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
  image.py    the image block, and the shape its values had before conditions 0009
  shared.py   the picker's groups, the preview page and the rich-text features they share
"""

from wagtail import blocks

from conditions.blocks.about import CauseBlock, CausesBlock, ComplicationsBlock, SymptomsBlock
from conditions.blocks.care import TreatmentBlock, TreatmentOptionBlock, WhenToSeekCareBlock
from conditions.blocks.general import CallToActionBlock, FAQBlock, QuestionBlock, TextSectionBlock
from conditions.blocks.image import ImageBlock

__all__ = [
    "CallToActionBlock",
    "CauseBlock",
    "CausesBlock",
    "ComplicationsBlock",
    "ConditionBodyBlock",
    "FAQBlock",
    "ImageBlock",
    "QuestionBlock",
    "SymptomsBlock",
    "TextSectionBlock",
    "TreatmentBlock",
    "TreatmentOptionBlock",
    "WhenToSeekCareBlock",
]


class ConditionBodyBlock(blocks.StreamBlock):
    """The body of condition and local condition pages: the picker's blocks, those a page needs once capped at one."""

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
