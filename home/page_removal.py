"""What deleting or unpublishing a page breaks, and the redirect that keeps its address working.

Wagtail's confirmation pages count the references to a page ("referenced 2 times", linking to its
usage listing). These say, on the confirmation page itself, what each of them will do once the page
is gone: a call to action falls back to the appointment page of Settings → Practice or loses its
button, a link stops working, a page field is emptied; and whether the page is that appointment
page. They also offer to redirect the page's address to another page (wagtail.contrib.redirects),
for bookmarks, search results and other sites' links. The confirmation templates are
templates/wagtailadmin/pages/confirm_delete.html and confirm_unpublish.html; the hooks that make the
redirect are in home/wagtail_hooks.py.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db import models
from django.shortcuts import redirect
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.widgets import AdminPageChooser
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import StreamField
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from home.models import PracticeSettings

DELETE = "delete"
UNPUBLISH = "unpublish"

# Where the redirect asked for on the confirming POST waits for the page to be gone.
PENDING_REDIRECT_ATTRIBUTE = "_page_removal_redirect"


@dataclass
class Breakage:
    """Something that refers to the page (another page, a snippet) and what becomes of each reference."""

    title: str
    edit_url: str | None
    consequences: list[tuple[str, str]] = field(default_factory=list)


def falls_back_to_appointment_page(reference):
    """True when the reference is the page of a block that leads to the appointment page without one."""
    source_field = reference.source_field
    if not isinstance(source_field, StreamField):
        return False
    block = source_field.stream_block
    for name in reference.model_path_components[1:]:
        if getattr(block, "falls_back_to_appointment_page", False):
            return True
        if hasattr(block, "child_blocks"):
            block = block.child_blocks.get(name)
        elif hasattr(block, "child_block"):
            block = block.child_block
        if block is None:
            return False
    return getattr(block, "falls_back_to_appointment_page", False)


class RedirectForm(forms.Form):
    redirect_to = forms.ModelChoiceField(
        queryset=Page.objects.none(),
        required=False,
        widget=AdminPageChooser(),
    )

    def __init__(self, removal, *args, **kwargs):
        super().__init__(*args, **kwargs)
        redirect_to = self.fields["redirect_to"]
        # Neither the page nor anything below it: they are the pages going away.
        redirect_to.queryset = Page.objects.live().filter(depth__gt=1).exclude(path__startswith=removal.page.path)
        redirect_to.label = f"Redirect {removal.old_path} to"
        redirect_to.help_text = (
            f"Optional. Visitors who follow a bookmark, a search result or another site's link to "
            f"{removal.old_path} are sent to the page you choose (a permanent redirect)."
        )
        if removal.action == DELETE:
            # Links in pages name the page, not its address: a deleted page's links lose their target.
            redirect_to.help_text += " Links inside this site's own pages are not changed: re-point them."
        redirect_to.error_messages["invalid_choice"] = "Choose a live page that is not being removed."


class PageRemoval:
    """The page about to be deleted or unpublished, seen from what refers to it."""

    def __init__(self, page, action, request):
        self.page = page
        self.action = action
        self.request = request

    @property
    def verb(self):
        return "deleting" if self.action == DELETE else "unpublishing"

    @property
    def past_tense(self):
        return "deleted" if self.action == DELETE else "unpublished"

    @cached_property
    def removed_ids(self):
        """The pages that go: on delete the page and everything below it; on unpublish the page itself.

        Unpublishing the pages below is a choice made on the same form; links to them are listed
        under their own pages' confirmation only.
        """
        if self.action == DELETE:
            return set(Page.objects.descendant_of(self.page, inclusive=True).values_list("pk", flat=True))
        return {self.page.pk}

    @cached_property
    def practice(self):
        return PracticeSettings.load(request_or_site=self.request)

    @cached_property
    def is_appointment_page(self):
        return self.practice.appointment_page_id in self.removed_ids

    @cached_property
    def settings_url(self):
        return AdminURLFinder(self.request.user).get_edit_url(self.practice)

    @cached_property
    def fallback(self):
        """The appointment page calls to action will lead to instead, or None."""
        destination = self.practice.appointment_destination
        return destination if destination is not None and destination.pk not in self.removed_ids else None

    def consequence(self, reference):
        if falls_back_to_appointment_page(reference):
            if self.fallback is not None:
                return f"its button will lead to the appointment page, “{self.fallback.title}”, instead"
            return "its button will disappear: there is no other appointment page in Settings → Practice"
        if not reference.source_field.is_relation:
            # A link in rich text or a page chosen in a block.
            return "the link will stop working"
        if self.action == UNPUBLISH:
            return "will point at a page visitors cannot see"
        if reference.on_delete == models.SET_NULL:
            return "will be left empty"
        return reference.describe_on_delete()

    @cached_property
    def breakages(self):
        if self.action == DELETE:
            references = ReferenceIndex.get_references_to_in_bulk(Page.objects.filter(pk__in=self.removed_ids))
        else:
            references = ReferenceIndex.get_references_to(self.page)
        url_finder = AdminURLFinder(self.request.user)
        found = []
        for source, source_references in references.group_by_source_object():
            if isinstance(source, Page) and source.pk in self.removed_ids:
                continue  # deleted along with the page
            title = source.get_admin_display_title() if isinstance(source, Page) else str(source)
            breakage = Breakage(title=title, edit_url=url_finder.get_edit_url(source))
            for reference in source_references:
                consequence = (reference.describe_source_field(), self.consequence(reference))
                if consequence not in breakage.consequences:
                    breakage.consequences.append(consequence)
            found.append(breakage)
        return found

    # --- the redirect ---------------------------------------------------------------------------

    @cached_property
    def address(self):
        """(site id, the page's path as visitors see it), or None for a page without an address."""
        parts = self.page.get_url_parts(self.request)
        if parts is None or parts[2] is None:
            return None
        site_id, _root_url, path = parts
        return site_id, path

    @property
    def old_path(self):
        return self.address[1] if self.address else ""

    @cached_property
    def redirect_form(self):
        """The form offering a redirect, bound on the confirming POST; None when none can be offered."""
        may_add_redirects = policy_registry.get_by_type(Redirect).user_has_permission(self.request.user, "add")
        if self.address is None or not may_add_redirects:
            return None
        data = self.request.POST if self.request.method == "POST" else None
        return RedirectForm(self, data=data)

    def hold_redirect(self):
        """On the confirming POST: keep the redirect asked for until the page is gone.

        Returns a response back to the confirmation page when the choice cannot be used, so that
        nothing is deleted or unpublished without the redirect the editor asked for.
        """
        form = self.redirect_form
        if self.request.method != "POST" or form is None:
            return None
        if not form.is_valid():
            for error in form.errors.get("redirect_to", []):
                messages.error(self.request, f"The page was not {self.past_tense}. {error}")
            return redirect(self.request.get_full_path())
        target = form.cleaned_data["redirect_to"]
        if target is not None:
            setattr(self.request, PENDING_REDIRECT_ATTRIBUTE, (*self.address, target))
        return None


def make_held_redirect(request):
    """Create the redirect held by PageRemoval.hold_redirect(), once the page has gone."""
    held = getattr(request, PENDING_REDIRECT_ATTRIBUTE, None)
    if held is None:
        return
    site_id, old_path, target = held
    Redirect.objects.update_or_create(
        old_path=Redirect.normalise_path(old_path),
        site_id=site_id,
        defaults={"redirect_page": target, "redirect_link": "", "is_permanent": True},
    )
    delattr(request, PENDING_REDIRECT_ATTRIBUTE)
    messages.success(request, f"Visitors to {old_path} are now sent to “{target.get_admin_display_title()}”.")
