"""The condition page's editor form."""

from home.forms import BasePageForm


class ConditionPageForm(BasePageForm):
    """The form of condition pages."""
