import calendar
import datetime
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import AbstractGroupApprovalTask, Page
from wagtail.search import index

from conditions.blocks import ConditionBodyBlock
from conditions.doorway import check_local_page
from conditions.panels import ContentChecksPanel, ReviewRecordPanel, doorway_meter
from home.forms import BasePageForm
from home.models import BasePage, PracticeSettings

SUMMARY_BUDGET = 300


class ConditionIndexPage(BasePage):
    """/conditions/: every condition the practice treats, with its summary."""

    label = "Conditions"
    site_role = "condition list"

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

    schema_type = "CollectionPage"
    lists_children = True

    def get_structured_data(self, graph):
        conditions = ConditionPage.objects.child_of(self).live().public().order_by("title").only("title", "url_path")
        item_list = {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": page.title, "url": graph.absolute(page.url)}
                for position, page in enumerate(conditions, start=1)
            ],
        }
        return {"mainEntity": item_list}, []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = (
            ConditionPage.objects.child_of(self).live().public().order_by("title").only("title", "summary", "url_path")
        )
        return context


class ConditionPage(BasePage):
    """One condition (such as sciatica), answer first, then its causes, complications and treatment."""

    label = "Condition"
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

    content_panels = Page.content_panels + [
        ContentChecksPanel(heading="Content checks"),
        FieldPanel("summary"),
        FieldPanel("other_names"),
        FieldPanel("body"),
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

    parent_page_types = ["conditions.ConditionIndexPage"]
    subpage_types = ["conditions.LocalConditionPage"]
    default_title_template = "{title} Treatment in {city}, {state} | {practice}"

    def get_summary(self):
        return self.summary

    def medical_content_digest(self):
        """A fingerprint of what a medical reviewer vouches for: the title, summary, other names and body."""
        return medical_content_digest(self.title, self.summary, self.other_names, self.body.get_prep_value())

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
            "all_clear": "Nothing missing: a when-to-seek-care card, a call to action and a summary within its budget.",
        }

    def content_problems(self):
        """What a condition page should have and this one lacks, in words for editors."""
        block_types = {block.block_type for block in self.body}
        problems = []
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
        return [name.strip() for name in self.other_names.split(",") if name.strip()]

    schema_type = "MedicalWebPage"
    lists_children = True  # its local pages, under "Where we treat this"

    def seo_problems(self):
        missing_alt = sum(
            1
            for block in self.body
            if block.block_type == "image" and not block.value.decorative and not block.value.alt_text.strip()
        )
        return [f"{missing_alt} image(s) without alt text"] if missing_alt else []

    def condition_node(self, graph):
        """The condition as a schema.org MedicalCondition, read from the page's blocks."""
        node = {
            "@type": "MedicalCondition",
            "@id": f"{graph.page_url}#condition",
            "name": self.title,
            "description": self.summary,
            "url": graph.page_url,
        }
        if self.other_names_list:
            node["alternateName"] = self.other_names_list
        for block in self.body:
            node.update(block.block.structured_data(block.value) if hasattr(block.block, "structured_data") else {})
        return node

    def get_structured_data(self, graph):
        condition = self.condition_node(graph)
        clinics = [location.clinic_node(graph) for location in self.treatment_locations]
        properties = {
            "about": {"@id": condition["@id"]},
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        }
        if self.review_is_current:
            properties["lastReviewed"] = self.last_reviewed.isoformat()
            properties["reviewedBy"] = {"@type": "Person", "name": self.reviewed_by}
        if clinics:
            properties["mentions"] = [{"@id": clinic["@id"]} for clinic in clinics]
        return properties, [condition, *clinics]

    def pages_showing_this(self):
        pages = super().pages_showing_this()
        # Each clinic page lists the conditions it treats.
        return None if pages is None else [*pages, *self.treated_at_locations.all()]

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
        local_pages = LocalConditionPage.objects.child_of(self).live().public() if self.numchild else []
        context["local_pages"] = [local for local in local_pages if local.passes_guard]
        return context


# The editor's buttons that publish a page or submit it for review (restarting the workflow submits it again).
GO_LIVE_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")


class LocalConditionPageForm(BasePageForm):
    """Refuses to publish (or submit for review) a local page that fails the doorway guard."""

    def _post_clean(self):
        super()._post_clean()
        wants_to_go_live = any(action in self.data for action in GO_LIVE_ACTIONS)
        if not wants_to_go_live or self.errors or self.parent_page is None:
            return
        parent = self.parent_page.specific
        if problem := self.instance.clinic_problem(parent):
            self.add_error("location", problem)
        result = self.instance.guard_result(parent)
        for reason in result.reasons:
            self.add_error(None, f"This local page cannot be published yet. {reason}")


class LocalConditionPage(BasePage):
    """A condition at one clinic (e.g. sciatica care in Mount Pleasant), with content of its own.

    It can be published only when it passes the doorway guard (conditions.doorway); a page that
    stops passing (say the parent was rewritten) is hidden from search engines and points its
    canonical URL to the main condition page.
    """

    label = "Condition"

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
    base_form_class = LocalConditionPageForm
    default_title_template = "{title} | {practice}"

    parent_page_types = ["conditions.ConditionPage"]
    subpage_types = []

    def get_summary(self):
        return self.summary

    def get_location(self):
        # A new page has no clinic until the editor picks one, and Django raises for an unset
        # foreign key; the create form, previews and title templates read it before that.
        return self.location if self.location_id else None

    def pages_showing_this(self):
        pages = super().pages_showing_this()
        # The doorway guard compares local pages with their siblings: one changing can make another
        # pass or fail, and so be indexable or not.
        return None if pages is None else [*pages, *LocalConditionPage.objects.sibling_of(self, inclusive=False)]

    def clinic_problem(self, parent):
        """Why this page's clinic cannot have a page under the condition `parent`; "" when it can.

        Checked when the page is published or submitted for review, and when it is moved.
        """
        location = self.get_location()
        if location is None or location.pk in {clinic.pk for clinic in parent.treatment_locations}:
            return ""
        return f"{parent.title} is not listed as treated at {location.title}. Add it to the clinic's conditions first."

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
        parent = parent or self.get_parent().specific
        siblings = LocalConditionPage.objects.child_of(parent).exclude(pk=self.pk)
        return check_local_page(self, parent, siblings)

    @cached_property
    def passes_guard(self):
        return self.guard_result().passes

    @property
    def is_indexable(self):
        return super().is_indexable and self.passes_guard

    def get_canonical_override(self, request=None):
        if self.canonical_url:
            return self.canonical_url
        if not self.passes_guard:
            return self.get_parent().specific.get_full_url(request)
        return ""

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.passes_guard else []

    def seo_problems(self):
        return [f"Fails the local-page check: {reason}" for reason in self.guard_result().reasons]


def medical_content_digest(title, summary, other_names, body_data):
    content = {"title": title, "summary": summary, "other_names": other_names, "body": body_data}
    return hashlib.sha256(json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def add_months(day, months):
    """The same day of the month `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReviewerProfile(models.Model):
    """A medical reviewer's credentials, printed after their name on the pages they approve."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    credentials = models.CharField(max_length=60, help_text="e.g. “MD” or “DPT, OCS”.")

    class Meta:
        verbose_name = "reviewer profile"

    def __str__(self):
        return f"{self.user} ({self.credentials})"


def reviewer_signature(user):
    """“Jane Doe, MD”: the approving reviewer's name and credentials."""
    name = user.get_full_name() or user.get_username()
    profile = ReviewerProfile.objects.filter(user=user).first()
    return f"{name}, {profile.credentials}" if profile else name


class MedicalReviewTask(AbstractGroupApprovalTask):
    """Clinician sign-off for condition pages: approval records who reviewed the page and when.

    The review fields are written into the revision about to be published, so nobody types them
    and the live page and its structured data show the approval at once.
    """

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            revision = task_state.workflow_state.content_object.get_latest_revision()
            if issubclass(revision.content_type.model_class(), ConditionPage):
                today = timezone.localdate()
                approved = revision.as_object()
                revision.content.update(
                    reviewed_content_digest=approved.medical_content_digest(),
                    reviewed_by=reviewer_signature(user),
                    reviewed_by_user=user.pk,
                    last_reviewed=today.isoformat(),
                    next_review_due=add_months(today, settings.MEDICAL_REVIEW_INTERVAL_MONTHS).isoformat(),
                )
                revision.save(update_fields=["content"])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "A medical reviewer approves the content; approval records their name and the review dates."

    class Meta:
        verbose_name = "Medical review task"
        verbose_name_plural = "Medical review tasks"


def pages_due_for_review(within_days=None, today=None):
    """Condition pages never reviewed, overdue, or due within the notice period (30 days by default)."""
    today = today or timezone.localdate()
    within_days = settings.MEDICAL_REVIEW_NOTICE_DAYS if within_days is None else within_days
    horizon = today + datetime.timedelta(days=within_days)
    return (
        ConditionPage.objects.filter(models.Q(next_review_due__isnull=True) | models.Q(next_review_due__lte=horizon))
        .select_related("reviewed_by_user")
        .order_by(models.F("next_review_due").asc(nulls_first=True), "title")
    )
