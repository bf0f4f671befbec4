"""The page editor's form, with the one error Wagtail leaves unexplained: a slug already in use.

Wagtail's autosave keeps a new page as a draft as soon as an editor types; an editor who gives up and
starts again gets "The slug is already in use within the parent page", on the Promote tab only, with
no word of which page holds it. Here the error names that page, says whether it is a draft nobody
published and who last edited it, and links to it (on the Promote tab; the message at the top of the
editor names it too).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm


class LinkedMessage(str):
    """An error message that is plain text where Wagtail joins messages (the summary at the top of
    the editor) and carries a link where it is rendered on its own (next to the field)."""

    def __new__(cls, text, html):
        message = super().__new__(cls, text)
        message.html = html
        return message

    def __str__(self):
        return self

    def __html__(self):
        return self.html


def _holder_description(holder, user):
    if holder.live:
        state = "a published page"
    elif holder.first_published_at is None:
        state = "a draft that was never published"
    else:
        state = "an unpublished page"
    edited_at = holder.latest_revision_created_at
    editor = holder.latest_revision.user if holder.latest_revision_id else None
    who = (
        "you"
        if editor is not None and editor == user
        else (editor.get_full_name() or editor.get_username() if editor else "")
    )
    when = date_format(timezone.localtime(edited_at), "DATETIME_FORMAT") if edited_at else ""
    if who and when:
        return f"{state}, last edited by {who} on {when}"
    return state


class ExplainsSlugConflicts:
    def clean(self):
        # Read before Wagtail's check, which drops the slug from cleaned_data when it is taken.
        slug = self.cleaned_data.get("slug")
        cleaned_data = super().clean()
        if slug and self.has_error("slug") and self.parent_page is not None:
            holder = self.parent_page.get_children().filter(slug=slug).exclude(pk=self.instance.pk).specific().first()
            if holder is not None:
                self._explain_slug_conflict(slug, holder)
        return cleaned_data

    def _explain_slug_conflict(self, slug, holder):
        description = _holder_description(holder, getattr(self, "for_user", None))
        edit_url = reverse("wagtailadmin_pages:edit", args=[holder.pk])
        title = holder.get_admin_display_title()
        text = (
            f"The slug “{slug}” is already used by “{title}” ({description}). Carry on with that page, "
            "or change the slug on the Promote tab."
        )
        html = format_html(
            'The slug “{}” is already used by <a href="{}">“{}”</a> ({}). Carry on with that page, or change '
            "the slug here.",
            slug,
            edit_url,
            title,
            description,
        )
        self.errors.pop("slug", None)
        self.add_error("slug", LinkedMessage(text, html))
        self.add_error(None, LinkedMessage(text, html))


class BasePageForm(ExplainsSlugConflicts, WagtailAdminPageForm):
    """The form of every page type (BasePage.base_form_class)."""


class FormPageForm(ExplainsSlugConflicts, WagtailAdminFormPageForm):
    """The form of pages that build a form (the appointment page)."""
