from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from conditions.blocks import ConditionBodyBlock
from home.models import BasePage

SUMMARY_BUDGET = 300


class ConditionIndexPage(BasePage):
    """/conditions/: every condition the practice treats, with its summary."""

    intro = models.TextField(
        max_length=400,
        blank=True,
        help_text="A sentence or two above the list of conditions.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["conditions.ConditionPage"]
    max_count = 1

    def get_summary(self):
        return self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = (
            ConditionPage.objects.child_of(self).live().public().order_by("title").only("title", "summary", "url_path")
        )
        return context


class ConditionPage(BasePage):
    """One condition (such as sciatica), answer first, then its causes, complications and treatment."""

    summary = models.TextField(
        max_length=SUMMARY_BUDGET + 100,
        help_text=(
            f"Answer first: what the condition is, in one or two sentences (at most about {SUMMARY_BUDGET} "
            "characters). Shown under the heading and used as the meta description when none is set."
        ),
    )
    other_names = models.CharField(
        max_length=255,
        blank=True,
        help_text="Other names patients or doctors use, separated by commas, e.g. “lumbar radiculopathy”.",
    )
    body = StreamField(
        ConditionBodyBlock(),
        blank=True,
        help_text="Build the page from blocks in the order it should read.",
    )
    reviewed_by = models.CharField(
        max_length=150,
        blank=True,
        help_text="Name and credentials of the clinician who reviewed the content, e.g. “Jane Doe, MD”.",
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="When the content was last medically reviewed.")
    next_review_due = models.DateField(null=True, blank=True, help_text="When the content should be reviewed again.")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("other_names"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("reviewed_by"), FieldPanel("last_reviewed"), FieldPanel("next_review_due")],
            heading="Medical review",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("other_names", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("other_names"),
    ]

    parent_page_types = ["conditions.ConditionIndexPage"]
    subpage_types = []

    def get_summary(self):
        return self.summary

    def get_default_title(self):
        location = self.get_location()
        if location:
            return f"{self.title} Treatment in {location.city}, {location.state}"
        return self.title

    @property
    def other_names_list(self):
        return [name.strip() for name in self.other_names.split(",") if name.strip()]
