"""Treatment pages: /treatments/ and a page for each treatment the practice offers, answer first.

A treatment is a schema.org MedicalProcedure of its kind (physical therapy, a procedure such as an
injection, surgery, another therapy) on its own page. Condition pages link to it from their treatment
options; the treatment page lists those conditions under "Conditions this treats".
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_noop
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index

from home.index_page import IndexPage
from home.models import BasePage, page_type_for
from seo.structured_data import plain_text

# Each kind: what editors choose, the short name the page shows, and the schema.org type it is.
KINDS = {
    "physical_therapy": ("Physical therapy or rehabilitation", "Physical therapy", "PhysicalTherapy"),
    "procedure": ("A procedure without surgery, such as an injection", "Procedure", "TherapeuticProcedure"),
    "surgery": ("Surgery", "Surgery", "SurgicalProcedure"),
    "therapy": ("Another therapy, such as medication or a brace", "Therapy", "MedicalTherapy"),
}
# Rich text inside a section may not add headings: each section's heading is the page's.
SECTION_FEATURES = ["bold", "italic", "link", "ol", "ul"]
# Where a condition page's treatment option names its treatment page (conditions.blocks.care).
OPTION_LINK_PATH = "body.treatment.options.item.treatment_page"


def section_field(help_text):
    return RichTextField(features=SECTION_FEATURES, blank=True, help_text=help_text)


class TreatmentIndexPage(IndexPage):
    """/treatments/: every treatment the practice offers, with its summary."""

    label = "Treatments"
    listing_name = "treatments"

    subpage_types = ["treatments.TreatmentPage"]

    def listed_pages(self):
        return (
            TreatmentPage.objects.child_of(self)
            .live()
            .public()
            .order_by("title")
            .only("title", "summary", "kind", "url_path")
        )


class TreatmentPage(BasePage):
    """One treatment (such as physical therapy): what it is, who it helps, how it works, recovery and risks."""

    label = "Treatment"
    site_role = "treatment"

    summary = models.TextField(
        max_length=400,
        help_text=(
            "Answer first: what the treatment is and what it does, in one or two sentences (about 300 "
            "characters at most). Shown under the heading and used as the meta description when none is set."
        ),
    )
    kind = models.CharField(
        max_length=20,
        choices=[(key, choice) for key, (choice, _, _) in KINDS.items()],
        default="therapy",
        help_text="What sort of treatment it is; search engines are told so.",
    )
    what_it_is = section_field("What the treatment is, in plain words. Shown under “What it is”.")
    who_it_helps = section_field("Which patients and conditions it suits. Shown under “Who it helps”.")
    how_it_works = section_field("What happens, step by step. Shown under “How it works”.")
    recovery = section_field("What recovery looks like and how long it takes. Shown under “Recovery”.")
    risks = section_field("Its risks and side effects, plainly stated. Shown under “Risks”.")

    # The page's sections in order: (field, heading, id of the heading).
    SECTIONS = [
        ("what_it_is", "What it is", "what-it-is"),
        ("who_it_helps", "Who it helps", "who-it-helps"),
        ("how_it_works", "How it works", "how-it-works"),
        ("recovery", "Recovery", "recovery"),
        ("risks", "Risks", "risks"),
    ]
    # The treatment's schema.org properties read from its sections; each is one of every kind's
    # (MedicalProcedure's). "Who it helps" and "Risks" have none that takes text.
    SECTION_PROPERTIES = {"how_it_works": "howPerformed", "recovery": "followup"}

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel(name, heading=heading) for name, heading, _ in SECTIONS],
            heading="Sections",
            help_text="Each section shows under its own heading; an empty one is left out.",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        *(index.SearchField(name) for name, _, _ in SECTIONS),
    ]

    parent_page_types = ["treatments.TreatmentIndexPage"]
    subpage_types = []
    default_title_template = gettext_noop("{title} in {city}, {state} | {brand}")
    schema_type = "MedicalWebPage"
    og_type = "article"

    def get_summary(self):
        return self.summary

    @property
    def kind_label(self):
        return KINDS.get(self.kind, KINDS["therapy"])[1]

    @property
    def treatment_type(self):
        """The treatment's schema.org type."""
        return KINDS.get(self.kind, KINDS["therapy"])[2]

    def sections(self):
        """[(heading, id, rich text)] of the sections with something in them, in order."""
        return [
            (heading, anchor, getattr(self, name))
            for name, heading, anchor in self.SECTIONS
            if plain_text(getattr(self, name))
        ]

    @cached_property
    def treated_conditions(self):
        """The live, public condition pages whose treatment block has an option linking here, by title.

        Read from Wagtail's reference index, which records each page's saved (live) content: a
        link in a draft that is not yet published does not count, and unpublishing the link stops it.
        """
        condition_model = page_type_for("condition")
        if condition_model is None or self.pk is None:
            return []
        references = ReferenceIndex.get_references_to(self).filter(
            content_type=ContentType.objects.get_for_model(condition_model), model_path=OPTION_LINK_PATH
        )
        ids = {int(object_id) for object_id in references.values_list("object_id", flat=True)}
        if not ids:
            return []
        return list(
            condition_model.objects.filter(pk__in=ids)
            .live()
            .public()
            .order_by("title")
            .only("title", "summary", "url_path")
        )

    def pages_showing_this(self):
        pages = super().pages_showing_this()
        # The conditions it treats link to it (the page cache also finds them as pages linking here).
        return None if pages is None else [*pages, *self.treated_conditions]

    def treatment_node(self, graph):
        node = {
            "@type": self.treatment_type,
            "@id": f"{graph.page_url}#treatment",
            "name": self.title,
            "description": self.summary,
            "url": graph.page_url,
        }
        for name, schema_property in self.SECTION_PROPERTIES.items():
            text = plain_text(getattr(self, name))
            if text:
                node[schema_property] = text
        return node

    def get_structured_data(self, graph):
        treatment = self.treatment_node(graph)
        properties = {
            "about": {"@id": treatment["@id"]},
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        }
        if self.treated_conditions:
            # As the page lists them; each condition's own @id is defined on its own page's graph.
            properties["mentions"] = [
                {
                    "@type": "MedicalCondition",
                    "name": condition.title,
                    "url": graph.absolute(condition.get_url(graph.request)),
                }
                for condition in self.treated_conditions
            ]
        return properties, [treatment]
