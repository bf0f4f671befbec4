"""The condition page's editor form: what a condition page needs before it goes to medical review.

A condition page reaches the site when a medical reviewer approves it in the "Medical review"
workflow (the approval publishes it: conditions.workflows). So the form refuses the Publish button
to everyone but administrators (superusers), who may publish directly when they must; such a page
then shows "Awaiting medical review" until it is approved (ConditionPage.review_is_current). And a
page cannot go to review, or be published, without the two blocks a patient relies on: what they
may notice, and when to see a doctor. Saving a draft is always allowed.
"""

from wagtail.admin.forms.pages import CopyForm

from home.forms import BasePageForm

# The editor's buttons that submit a page for review (restarting the workflow submits it again) or publish it.
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")
PUBLISH_ACTION = "action-publish"
WORKFLOW_ACTION = "action-workflow-action"

# The blocks a condition page needs before review, as the editor is told to add them.
REQUIRED_BLOCKS = {
    "symptoms": "a Symptoms block (what patients notice)",
    "when_to_seek_care": "a When to seek care block (when to see a doctor or call 911)",
}

PUBLISHED_BY_REVIEW = (
    "Condition pages go live when a medical reviewer approves them: choose “Submit to Medical review” "
    "instead of Publish."
)


def may_publish_directly(user):
    """Whether `user` may publish a condition page without the workflow: administrators only."""
    return bool(user is not None and user.is_superuser)


def missing_required_blocks(body):
    """What `body` lacks of REQUIRED_BLOCKS, in the editor's words."""
    present = {block.block_type for block in body}
    return [description for block_type, description in REQUIRED_BLOCKS.items() if block_type not in present]


def required_blocks_problem(body, page_name="This page", going="go to medical review"):
    """Why a page with this body cannot go to review (or be published, as `going` says); "" when it can."""
    missing = missing_required_blocks(body)
    if not missing:
        return ""
    return f"{page_name} cannot {going} yet: add {' and '.join(missing)}."


class ConditionPageForm(BasePageForm):
    """The form of condition pages: refuses Publish to all but administrators, and refuses review or
    publishing to a page without its Symptoms and When to seek care blocks."""

    def _post_clean(self):
        super()._post_clean()
        # A reviewer's "Approve and Publish" from the editor saves what is in the form, then publishes it.
        approving = WORKFLOW_ACTION in self.data and self.data.get("workflow-action-name") == "approve"
        submitting = any(action in self.data for action in SUBMIT_ACTIONS) or approving
        publishing = PUBLISH_ACTION in self.data
        if not (submitting or publishing):
            return
        publishes_directly = publishing and may_publish_directly(getattr(self, "for_user", None))
        if publishing and not publishes_directly:
            self.add_error(None, PUBLISHED_BY_REVIEW)
        # A body with errors of its own is read as typed, so that the editor learns at once what to add.
        body = self["body"].data if "body" in self.errors else self.instance.body
        going = "be published" if publishes_directly else "go to medical review"
        if problem := required_blocks_problem(body, going=going):
            self.add_error(None, problem)


class ConditionCopyForm(CopyForm):
    """Copying a condition page never publishes the copy: it goes to medical review like any page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
