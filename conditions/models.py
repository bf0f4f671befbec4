from django import forms
from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_noop
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from conditions.blocks import ConditionBodyBlock, page_properties
from conditions.forms import ConditionCopyForm, ConditionPageForm
from conditions.local_pages import LocalConditionPage  # noqa: F401 (registered with the app's models)
from conditions.outline import contents, outline
from conditions.panels import ContentChecksPanel, ReviewRecordPanel
from conditions.related import BODY_AREAS, pages_listing_as_related, related_conditions

# Defined in conditions.review, with the rest of the medical-review workflow; imported here so
# that Django registers them with the app's models.
from conditions.review import MedicalReviewTask, ReviewerProfile, medical_content_digest  # noqa: F401
from conditions.service_areas import ServiceAreaPage  # noqa: F401 (registered with the app's models)
from home.fields import ChoiceListField
from home.index_page import IndexPage
from home.models import BasePage, PracticeSettings, page_type_for

SUMMARY_BUDGET = 300


class ConditionIndexPage(IndexPage):
    """/conditions/: every condition the practice treats, with its summary."""

    label = "Conditions"
    site_role = "condition list"
    listing_name = "conditions"

    subpage_types = ["conditions.ConditionPage"]

    def listed_pages(self):
        return (
            ConditionPage.objects.child_of(self)
            .live()
            .public()
            .order_by("title")
            .only("title", "summary", "url_path", "body_areas")
        )

    def area_links(self, chosen=""):
        """The body areas with live conditions: [{key, label, count, current, url}], in BODY_AREAS order.

        `current` marks `chosen` when it is one of them; the home page's area block shows these too.
        """
        counts = {key: sum(key in page.body_areas for page in self.listing) for key, _ in BODY_AREAS}
        return [
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "current": key == chosen,
                "url": f"{self.url}?area={key}",
            }
            for key, label in BODY_AREAS
            if counts[key]
        ]

    def get_context(self, request, *args, **kwargs):
        """The conditions, or those of one body area (?area=knee): the areas are plain links, so a
        patient can pick one without JavaScript. Unknown areas show every condition."""
        context = super().get_context(request, *args, **kwargs)
        area = request.GET.get("area", "") if request is not None else ""
        links = self.area_links(area)
        chosen = next((link["key"] for link in links if link["current"]), "")
        context["body_areas"] = links
        context["chosen_area"] = dict(BODY_AREAS).get(chosen, "")
        if chosen:
            context[self.listing_name] = [page for page in self.listing if chosen in page.body_areas]
        return context


# The page's image, as conditions/condition_page.html asks for it (its renditions are made on publish).
CONDITION_PICTURE = "fill-{480x240,800x400,1200x600} format-{avif,webp}"


class ConditionPage(BasePage):
    """One condition (such as sciatica), answer first, then its causes, complications and treatment."""

    label = "Condition"
    shown_on_home_page = True
    site_role = "condition"

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
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional, shown wide under the summary; set its focal point. Its description is the alt text.",
    )
    image_alt_text = models.CharField(
        "image description",
        max_length=250,
        blank=True,
        help_text="What the image shows (translated with the page). Empty: the image's own description.",
    )
    body = StreamField(
        ConditionBodyBlock(),
        blank=True,
        help_text="Build the page from blocks in the order it should read.",
    )
    reviewed_by = models.CharField(
        max_length=150,
        blank=True,
        help_text="Filled in when a medical reviewer approves the page: their name and credentials.",
    )
    reviewed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer who approved the page last; reminded when its next review is due.",
    )
    reviewed_by_physician = models.ForeignKey(
        "physicians.PhysicianPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer's physician page, when their reviewer profile names one; the byline links to it.",
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="Filled in on approval.")
    reviewed_content_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="A fingerprint of the medical content the reviewer approved; see review_is_current.",
    )
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Filled in on approval: the review interval after the last review."
    )

    related_conditions_chosen = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="chosen_as_related_by",
        verbose_name="related conditions",
        help_text=(
            "Listed first under “Related conditions”; the page adds others that share a body area or a treatment."
        ),
    )
    body_areas = ChoiceListField(
        "body areas",
        choice_list=BODY_AREAS,
        help_text="Where in the body it is: patients browse conditions by area, and related conditions share one.",
    )

    content_panels = Page.content_panels + [
        ContentChecksPanel(heading="Content checks"),
        FieldPanel("summary"),
        FieldPanel("other_names"),
        FieldPanel("body_areas"),
        FieldPanel("image"),
        FieldPanel("image_alt_text"),
        FieldPanel("body"),
        FieldPanel("related_conditions_chosen", widget=forms.CheckboxSelectMultiple),
        ReviewRecordPanel(
            [
                FieldPanel("reviewed_by", read_only=True),
                FieldPanel("last_reviewed", read_only=True),
                FieldPanel("next_review_due", read_only=True),
            ],
            heading="Medical review",
            help_text="Set automatically when a medical reviewer approves the page in the “Medical review” workflow.",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("other_names", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("other_names"),
    ]

    base_form_class = ConditionPageForm
    copy_form_class = ConditionCopyForm
    parent_page_types = ["conditions.ConditionIndexPage"]
    subpage_types = ["conditions.LocalConditionPage", "conditions.ServiceAreaPage"]
    default_title_template = gettext_noop("{title} Treatment in {city}, {state} | {brand}")

    def get_summary(self):
        return self.summary

    def medical_content_digest(self):
        """A fingerprint of what a medical reviewer vouches for: the title, summary, other names and body.

        The body as stored: rendering the page reads its blocks, which may then write a field a block
        gained since (say, an empty page link) that the stored form does not have. The stored form
        is what the reviewer approved, whether or not the page has been shown since.
        """
        return medical_content_digest(self.title, self.summary, self.other_names, list(self.body.raw_data))

    @property
    def review_is_current(self):
        """Whether the content shown is the content a reviewer approved.

        A page published without the workflow (by an administrator), or edited since, is awaiting
        review: its page and structured data stop claiming the old review until it is approved again.
        """
        return bool(
            self.reviewed_by
            and self.last_reviewed
            and self.reviewed_content_digest
            and self.reviewed_content_digest == self.medical_content_digest()
        )

    def editor_checks(self, parent):
        """The content checks panel's findings (conditions.panels.content_checks)."""
        return {
            "problems": self.content_problems(),
            "all_clear": (
                "Nothing missing: symptoms, a when-to-seek-care card, a call to action and a summary within its budget."
            ),
        }

    def content_problems(self):
        """What a condition page should have and this one lacks, in words for editors.

        The first two (a Symptoms and a When to seek care block) are also what keeps the page from
        going to medical review (conditions.forms.REQUIRED_BLOCKS).
        """
        block_types = {block.block_type for block in self.body}
        problems = []
        if "symptoms" not in block_types:
            problems.append("No “Symptoms” block: list what patients notice. It is needed before medical review.")
        if "when_to_seek_care" not in block_types:
            problems.append("No “When to seek care” block: tell patients when to see a doctor or call 911.")
        calls_to_action = [block for block in self.body if block.block_type == "call_to_action"]
        if not calls_to_action:
            problems.append("No call to action: end with a way to ask for an appointment.")
        else:
            practice = PracticeSettings.load()
            stranded = sum(1 for cta in calls_to_action if cta.block.destination(cta.value, practice) is None)
            if stranded:
                which = "A call to action has" if stranded == 1 else f"{stranded} calls to action have"
                problems.append(
                    f"{which} no page to lead to, so patients see no button: choose a page in the block, or "
                    "set the appointment page in Settings → Practice."
                )
        if len(self.summary) > SUMMARY_BUDGET:
            problems.append(
                f"The summary is {len(self.summary)} characters; keep it within {SUMMARY_BUDGET} so it reads "
                "as a quick answer and fits under a search result."
            )
        return problems

    @property
    def other_names_list(self):
        """The other names, leaving out any the title already gives (“Sciatica / Back Spasms” is not
        also known as “Back spasms”)."""
        in_title = {part.strip().casefold() for part in self.title.split("/")}
        names = [name.strip() for name in self.other_names.split(",") if name.strip()]
        return [name for name in names if name.casefold() not in in_title]

    @cached_property
    def related_conditions(self):
        return related_conditions(self) if self.pk else []

    @cached_property
    def treating_physicians(self):
        """The live clinicians who treat this condition (physicians.PhysicianPage.conditions_treated)."""
        physician_type = page_type_for("physician")
        return physician_type.treating(self.pk) if physician_type and self.pk else []

    def reviewer_without_a_page(self):
        """The reviewer as a schema.org Person when they have no physician page: their name, and
        their credentials apart from it when their reviewer profile gives them."""
        user = self.reviewed_by_user
        profile = getattr(user, "reviewer_profile", None) if user else None
        name = (user.get_full_name() or user.get_username()) if user else ""
        if profile is None or not name or not self.reviewed_by.startswith(name):
            return {"@type": "Person", "name": self.reviewed_by}
        return {"@type": "Person", "name": name, "honorificSuffix": profile.credentials}

    @cached_property
    def reviewer_physician(self):
        """The reviewer's live physician page, for the byline's link and reviewedBy; None without one."""
        physician_type = page_type_for("physician")
        if not self.reviewed_by_physician_id or physician_type is None:
            return None
        return next((p for p in physician_type.live_physicians() if p.pk == self.reviewed_by_physician_id), None)

    schema_type = "MedicalWebPage"
    og_type = "article"
    lists_children = True  # its local pages, under "Where we treat this"

    def seo_problems(self):
        missing_alt = sum(
            1
            for block in self.body
            if block.block_type == "image" and not block.value.decorative and not block.value.alt_text.strip()
        )
        return [f"{missing_alt} image(s) without alt text"] if missing_alt else []

    def condition_node(self, graph, page_url=None):
        """The condition as a schema.org MedicalCondition, read from the page's blocks; `page_url` is
        this page's address when the graph is another page's (a local page's)."""
        page_url = page_url or graph.page_url
        node = {
            "@type": "MedicalCondition",
            "@id": f"{page_url}#condition",
            "name": self.title,
            "description": self.summary,
            "url": page_url,
        }
        if self.other_names_list:
            node["alternateName"] = self.other_names_list
        for block in self.body:
            node.update(block.block.structured_data(block.value) if hasattr(block.block, "structured_data") else {})
        return node

    def get_structured_data(self, graph):
        condition = self.condition_node(graph)
        clinics = [location.clinic_node(graph) for location in self.treatment_locations if location.shows_details]
        properties = {
            "about": {"@id": condition["@id"]},
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        }
        reviewer = []
        if self.review_is_current:
            properties["lastReviewed"] = self.last_reviewed.isoformat()
            if self.reviewer_physician is not None:
                reviewer = [self.reviewer_physician.person_node(graph, brief=True)]
                properties["reviewedBy"] = {"@id": reviewer[0]["@id"]}
            else:
                properties["reviewedBy"] = self.reviewer_without_a_page()
        if clinics:
            properties["mentions"] = [{"@id": clinic["@id"]} for clinic in clinics]
        properties.update(page_properties(self.body))
        return properties, [condition, *clinics, *reviewer]

    def pages_showing_this(self):
        pages = super().pages_showing_this()
        if pages is None:
            return None
        # Clinic pages and physician pages list the conditions they treat; treatment pages list the
        # conditions linking to them (few pages: all are retired, so an unlinked one is too); other
        # condition pages list it among their related conditions when they chose it or share a body
        # area or a treatment with it.
        treatment_type = page_type_for("treatment")
        treatment_pages = list(treatment_type.objects.live()) if treatment_type else []
        return [
            *pages,
            *self.treated_at_locations.all(),
            *self.treated_by_physicians.all(),
            *treatment_pages,
            *pages_listing_as_related(self),
        ]

    def images_to_prepare(self):
        return [(self.image, CONDITION_PICTURE)]

    @cached_property
    def treatment_locations(self):
        """The live clinics that treat this condition, primary first (none before it is saved)."""
        if self.pk is None:
            # A new page in the editor's preview: no clinic can list it yet.
            return []
        clinics = self.treated_at_locations.model.live_clinics()
        return [clinic for clinic in clinics if self.pk in clinic.treated_condition_ids]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # numchild is on the page's own row: most condition pages have no local pages to look up.
        local_pages = self.get_children().live().public().specific() if self.numchild else []
        context["local_pages"] = [local for local in local_pages if getattr(local, "passes_guard", False)]
        context["contents"] = contents(outline(self.body))
        # The clinic a patient would go to: the first that treats this, else the practice's main one.
        # Both from the clinics kept per generation (hours prefetched): no query.
        clinic_type = page_type_for("clinic")
        clinics = self.treatment_locations or (clinic_type.live_clinics() if clinic_type else [])
        clinic = next(iter(clinics), None)
        context["nearest_clinic"], context["clinic_hours"] = clinic, clinic.hours_now(request) if clinic else None
        return context
