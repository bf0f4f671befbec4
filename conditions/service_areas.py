"""Service-area pages: a condition for patients from a town without a clinic, naming the nearest
clinics that treat it, with their distance. Never a clinic that is not there."""

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from conditions.blocks import ConditionBodyBlock
from conditions.local_pages import DoorwayGuardedPage
from conditions.panels import ContentChecksPanel
from home.models import BasePage

# How many clinics a service-area page names, nearest first.
NEAREST_CLINICS = 3


class ServiceAreaPage(DoorwayGuardedPage, BasePage):
    """A condition for patients from one town (e.g. sciatica care for Summerville patients)."""

    town = models.ForeignKey(
        "locations.Town",
        on_delete=models.PROTECT,
        related_name="service_area_pages",
        help_text="The town this page is for (Snippets → Towns); it names the nearest clinics treating the condition.",
    )
    summary = models.TextField(
        max_length=400,
        help_text="What patients from this town should know about care for this condition, in one or two sentences.",
    )
    body = StreamField(
        ConditionBodyBlock(),
        help_text=(
            "Content for this town's patients: the drive, where to park, questions they ask. "
            "Copying the main condition page or another town's page will stop it being published."
        ),
    )

    content_panels = Page.content_panels + [
        HelpPanel(
            content=(
                "Service-area pages are published only when they have enough content of their own and are not "
                "near-copies of the main condition page or of other local or service-area pages."
            )
        ),
        ContentChecksPanel(heading="Content checks"),
        FieldPanel("town"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    default_title_template = gettext_noop("{condition} Care near {city}, {state} | {brand}")
    place_field = "town"

    class Meta:
        verbose_name = "service-area page"

    def template_variables(self, practice):
        variables = super().template_variables(practice)
        if self.town_id:
            variables.update(city=self.town.name, state=self.town.state)
        return variables

    @cached_property
    def nearest_clinics(self):
        """[(clinic, miles)]: the live clinics with real details that treat the parent condition,
        nearest first; none before the page has a town and a place in the tree."""
        if not self.town_id or not self.path:
            return []
        parent = self.get_parent().specific
        measured = [(clinic, self.town.distance_to(clinic)) for clinic in parent.treatment_locations]
        measured = [(clinic, miles) for clinic, miles in measured if miles is not None and clinic.shows_details]
        return sorted(measured, key=lambda pair: pair[1])[:NEAREST_CLINICS]

    def named_clinics(self):
        return [clinic for clinic, _miles in self.nearest_clinics]

    def get_location(self):
        clinics = self.named_clinics()
        return clinics[0] if clinics else None

    def clinic_problem(self, parent):
        """ "" when a clinic that treats `parent` can be named with its distance; why not otherwise."""
        if not self.town_id:
            return ""
        self.__dict__.pop("nearest_clinics", None)
        if self.nearest_clinics:
            return ""
        return (
            f"No clinic that treats {parent.title} has its details and map coordinates filled in, so the page "
            "could name no clinic near the town. Add the condition to a clinic's conditions first."
        )

    def get_structured_data(self, graph):
        properties, nodes = super().get_structured_data(graph)
        if self.town_id:
            properties["spatialCoverage"] = self.town.place_node()
        return properties, nodes
