"""The outline a new condition page starts from, so every condition page reads in the same order.

Each block starts as the block picker would insert it: its own heading and defaults, one empty
item in each list, and every field that says something medical left empty. Those fields are
required, and Wagtail leaves required fields unchecked only while a draft is saved: an untouched
outline saves as a draft, but publishing it or submitting it for review is refused, each empty
field marked "This field is required", so no sentence of ours is ever published as advice.
"""

import uuid

from wagtail.blocks import StreamValue

from conditions.models import ConditionPage

# The order a condition page reads in: what patients notice, why, what it can lead to, what helps,
# when to get help, their questions, then how to ask for an appointment.
SKELETON_BLOCKS = (
    "symptoms",
    "causes",
    "complications",
    "treatment",
    "when_to_seek_care",
    "faq",
    "call_to_action",
)


def condition_skeleton(body_block):
    """The starting body of a new condition page: each block of SKELETON_BLOCKS with its defaults."""
    # Each block gets an id at once, as one inserted from the picker does, so comments can anchor to it.
    return StreamValue(
        body_block,
        [(name, body_block.child_blocks[name].get_default(), str(uuid.uuid4())) for name in SKELETON_BLOCKS],
    )


def start_from_skeleton(sender, page, parent, **kwargs):
    """init_new_page receiver: fills the body of a condition page being created in the admin.

    Other page types, local condition pages among them, open as Wagtail leaves them.
    """
    if not isinstance(page, ConditionPage) or page.body:
        return
    page.body = condition_skeleton(ConditionPage._meta.get_field("body").stream_block)
