"""Local condition pages: a condition at one clinic, published only when it passes the doorway guard."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index

from conditions.blocks import ConditionBodyBlock, page_properties
from conditions.doorway import check_local_page, page_words
from conditions.panels import ContentChecksPanel, doorway_meter
from home.forms import BasePageForm
from home.models import BasePage
from pagecache.store import for_current_generation

# The editor's buttons that publish a page or submit it for review (restarting the workflow submits it again).
GO_LIVE_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class DoorwayGuardedPageForm(BasePageForm):
    """Refuses to publish (or submit for review) a local or service-area page that fails the doorway
    guard, or whose place has no clinic treating the condition."""

    def _post_clean(self):
        super()._post_clean()
        wants_to_go_live = any(action in self.data for action in GO_LIVE_ACTIONS)
        if not wants_to_go_live or self.errors or self.parent_page is None:
            return
        parent = self.parent_page.specific
        if problem := self.instance.clinic_problem(parent):
            self.add_error(self.instance.place_field, problem)
        result = self.instance.guard_result(parent)
        for reason in result.reasons:
            self.add_error(None, f"This local page cannot be published yet. {reason}")


class DoorwayGuardedPage:
    """What local and service-area pages share: a condition in one place, with content of its own.

    Such a page can be published only when it passes the doorway guard (conditions.doorway): enough
    words of its own, and little in common with its main condition page or any other guarded page on
    the site. A page that stops passing (say another was written like it) is hidden from search
    engines (noindex, and out of the sitemap) and stays its own canonical address: one signal, not
    two. To search engines it is a MedicalWebPage about the main page's MedicalCondition.
    """

    label = "Condition"
    schema_type = "MedicalWebPage"
    og_type = "article"
    # Read by the doorway guard, which compares every page of a type that says so with every other.
    doorway_guarded = True
    base_form_class = DoorwayGuardedPageForm
    parent_page_types = ["conditions.ConditionPage"]
    subpage_types = []
    # The field that names the page's place, where the editor is told that it has no clinic.
    place_field = ""

    def get_summary(self):
        return self.summary

    def template_variables(self, practice):
        variables = super().template_variables(practice)
        # A new page has no parent until it is saved under one; previews read the variables before.
        parent = self.get_parent() if self.path else None
        return {**variables, "condition": parent.title if parent else self.title}

    def pages_showing_this(self):
        # The doorway guard compares every guarded page with every other: one changing can make any
        # other pass or fail, and so be indexed and listed under its condition or not. They are few
        # and seldom changed, so a change to one renews every stored page.
        return None

    def editor_checks(self, parent):
        """The content checks panel's findings, with the doorway guard's meter; None without a parent."""
        if parent is None:
            return None
        result = self.guard_result(parent.specific)
        return {
            "problems": result.reasons,
            "all_clear": (
                "Enough content of its own, and little in common with its main condition page, to be published."
            ),
            "doorway": doorway_meter(result),
        }

    def guard_result(self, parent=None):
        """The doorway guard's verdict: compared with the main condition page and with every other
        guarded page on the site (the same clinic text under two conditions is a doorway too)."""
        parent = parent or self.get_parent().specific
        others = [words for pk, words in guarded_page_words().items() if pk != self.pk]
        return check_local_page(self, parent, others)

    @cached_property
    def passes_guard(self):
        return self.guard_result().passes

    @property
    def is_indexable(self):
        return super().is_indexable and self.passes_guard

    def named_clinics(self):
        """The clinics the page names: those its graph mentions."""
        return []

    def get_structured_data(self, graph):
        parent = self.get_parent().specific
        condition = parent.condition_node(graph, page_url=parent.get_full_url(graph.request))
        properties = {
            "about": {"@id": condition["@id"]},
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        }
        clinics = [clinic.clinic_node(graph) for clinic in self.named_clinics() if clinic.shows_details]
        if clinics:
            properties["mentions"] = [{"@id": clinic["@id"]} for clinic in clinics]
        properties.update(page_properties(self.body))
        return properties, [condition, *clinics]

    def seo_problems(self):
        return [f"Fails the local-page check: {reason}" for reason in self.guard_result().reasons]


class LocalConditionPage(DoorwayGuardedPage, BasePage):
    """A condition at one clinic (e.g. sciatica care in Mount Pleasant), with content of its own.

    Published only when it passes the doorway guard (see DoorwayGuardedPage); it names its clinic.
    """

    location = models.ForeignKey(
        "locations.LocationPage",
        on_delete=models.PROTECT,
        related_name="local_condition_pages",
        help_text="The clinic this page is about; it must treat the parent condition.",
    )
    summary = models.TextField(
        max_length=400,
        help_text="What is different about care for this condition at this clinic, in one or two sentences.",
    )
    body = StreamField(
        ConditionBodyBlock(),
        help_text=(
            "Content of this clinic's own: its team, how care works there, local patients' questions. "
            "Copying the main condition page will stop it being published."
        ),
    )

    content_panels = Page.content_panels + [
        HelpPanel(
            content=(
                "Local pages are published only when they have enough content of their own and are not "
                "near-copies of the main condition page or of other local pages."
            )
        ),
        # The doorway meter: words of its own and shared phrases, as the editor types.
        ContentChecksPanel(heading="Content checks"),
        FieldPanel("location"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    default_title_template = gettext_noop("{condition} Care in {city}, {state} | {brand}")
    place_field = "location"

    def get_location(self):
        # A new page has no clinic until the editor picks one, and Django raises for an unset
        # foreign key; the create form, previews and title templates read it before that.
        return self.location if self.location_id else None

    def named_clinics(self):
        location = self.get_location()
        return [location] if location is not None else []

    def clinic_problem(self, parent):
        """Why this page's clinic cannot have a page under the condition `parent`; "" when it can.

        Checked when the page is published or submitted for review, and when it is moved.
        """
        location = self.get_location()
        if location is None or location.pk in {clinic.pk for clinic in parent.treatment_locations}:
            return ""
        return f"{parent.title} is not listed as treated at {location.title}. Add it to the clinic's conditions first."


def guarded_page_words():
    """{page id: (title, words)} of every page the doorway guard compares (local and service-area
    pages, found by `doorway_guarded`), kept per page-cache generation, which every change renews."""

    def read():
        models = [model for model in get_page_models() if getattr(model, "doorway_guarded", False)]
        return {page.pk: (page.title, page_words(page)) for model in models for page in model.objects.all()}

    return for_current_generation("doorway:guarded-page-words", read)
