from typing import NamedTuple

from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index

from home.cache import for_current_generation
from home.forms import BasePageForm
from home.panels import SearchPreviewPanel, TitleTemplateExamplesPanel
from home.phone import format_phone, normalise_phone
from home.seo import DEFAULT_TITLE_TEMPLATE, TEMPLATE_VARIABLES, render_template, validate_template

TITLE_TAG_BUDGET = 60
META_DESCRIPTION_BUDGET = 160

phone_validator = RegexValidator(
    r"^\+?[\d\s().\-]{7,25}$",
    "Enter a phone number such as (843) 555-0100.",
)


@register_setting(icon="site")
class PracticeSettings(ClusterableModel, BaseGenericSetting):
    """The practice's identity: one source for every template, title tag and structured-data node."""

    practice_name = models.CharField(
        max_length=120,
        default="South Carolina Sports Medicine & Orthopaedic Center",
        help_text="The practice's full name, as patients and search engines should see it.",
    )
    main_phone = models.CharField(
        max_length=25,
        validators=[phone_validator],
        default="(843) 555-0100",
        help_text="The number shown in the header and footer of every page.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the header; a square or wide logo of at least 200 px.",
    )
    default_social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Shown when a page without a social image of its own is shared on social media; "
            "1200 × 630 px works best (it is cropped to that size)."
        ),
    )
    appointment_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"content_type__app_label": "appointments", "content_type__model": "appointmentpage"},
        help_text=(
            "The page where patients ask for an appointment. The home page's “Request an appointment” "
            "button leads here, and so does every call to action without a page of its own. With none "
            "set (or this page unpublished), those buttons are hidden."
        ),
    )

    same_as = models.TextField(
        "profiles elsewhere",
        blank=True,
        help_text="The practice's official profiles (Google Business, Facebook…), one full URL per line.",
    )
    robots_txt = models.TextField(
        "extra robots.txt rules",
        blank=True,
        help_text=(
            "Added to robots.txt after the built-in rules (which keep crawlers out of the admin and "
            "search results and name the sitemap). One rule per line, e.g. “Disallow: /drafts/”."
        ),
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("practice_name"),
                    FieldPanel("main_phone"),
                    FieldPanel("logo"),
                    FieldPanel("default_social_image"),
                    PageChooserPanel("appointment_page", "appointments.AppointmentPage"),
                    FieldPanel("same_as"),
                ],
                heading="Practice",
            ),
            ObjectList(
                [
                    TitleTemplateExamplesPanel(heading="Built-in templates and examples"),
                    InlinePanel("title_templates", label="Title template", heading="Title and description templates"),
                ],
                heading="Title templates",
            ),
            ObjectList([FieldPanel("robots_txt")], heading="Robots"),
        ]
    )

    class Meta:
        verbose_name = "Practice"

    @classmethod
    def _get_or_create(cls):
        """The settings, with their title templates, primary clinic, appointment page and default social
        image, from the shared cache.

        Every page's header, footer, title and JSON-LD read them; they are kept for the current
        page-cache generation, which any publish or settings change replaces (home/signals.py).
        """

        def load_from_database():
            practice = super(PracticeSettings, cls)._get_or_create()
            # Evaluated now so that they travel with the cached copy.
            practice._title_templates_by_type  # noqa: B018
            practice.primary_location  # noqa: B018
            practice.appointment_destination  # noqa: B018
            practice.default_social_image  # noqa: B018
            return practice

        return for_current_generation("practice-settings", load_from_database)

    @cached_property
    def _title_templates_by_type(self):
        # One query per request: Wagtail caches the loaded settings object on the request.
        return {row.page_type: row for row in self.title_templates.all()}

    def templates_for(self, page):
        """The title template row for the page's type, or None."""
        return self._title_templates_by_type.get(page._meta.label_lower)

    @cached_property
    def primary_location(self):
        """The practice's primary clinic (see primary_location()), looked up once per request."""
        return primary_location()

    @cached_property
    def appointment_destination(self):
        """The appointment page while it is live: where calls to action lead by default; None otherwise.

        Unpublishing, moving or deleting it renews the page-cache generation (a child of the home
        page shows everywhere: BasePage.pages_showing_this), so the kept copy never points at it stale.
        """
        if self.appointment_page_id is None:
            return None
        return Page.objects.live().filter(pk=self.appointment_page_id).first()

    def social_image_for(self, page):
        """The image shared for the page: its own social image, else the default one; None if neither."""
        return page.social_image or self.default_social_image

    @property
    def same_as_list(self):
        return [line.strip() for line in self.same_as.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        self.main_phone = format_phone(normalise_phone(self.main_phone)) or self.main_phone
        super().save(*args, **kwargs)

    @property
    def main_phone_e164(self):
        return normalise_phone(self.main_phone)


def page_type_choices():
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in get_page_models()
        if issubclass(model, BasePage)
    )


class TitleTemplate(Orderable):
    """How title tags and meta descriptions are written for one page type."""

    # Changing one changes every page of its type: saving it renews the page cache (home/signals.py).
    shown_on_every_page = True

    settings = ParentalKey(PracticeSettings, on_delete=models.CASCADE, related_name="title_templates")
    page_type = models.CharField(max_length=100, choices=page_type_choices)
    title_template = models.CharField(
        max_length=200,
        validators=[validate_template],
        help_text=(
            "e.g. “{title} Treatment in {city}, {state} | {practice}”. Variables: "
            + ", ".join(f"{{{name}}} ({meaning})" for name, meaning in TEMPLATE_VARIABLES.items())
            + ". Keep the result around 60 characters."
        ),
    )
    description_template = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_template],
        help_text="Optional, e.g. “{summary}”. Used when a page has no meta description of its own.",
    )

    panels = [FieldPanel("page_type"), FieldPanel("title_template"), FieldPanel("description_template")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["settings", "page_type"], name="one_template_per_page_type")]


def shorten(text, limit):
    """The text within `limit` characters: whole when it fits, else cut after its last whole word
    with an ellipsis (cut hard only when a single word is longer than the limit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]  # leaves room for the ellipsis
    if text[limit - 1] != " ":
        # The cut falls inside a word: drop what is left of it.
        cut = cut.rpartition(" ")[0] or cut
    return cut.rstrip(" ,;:.!?-–—") + "…"


class MetaDescription(NamedTuple):
    """A page's meta description and where it comes from, for the editor's counter."""

    text: str
    # "own" (the page's meta description field), "template" (its page type's description
    # template), "summary", or "" when the page has none.
    source: str
    # Whether its summary was shortened to fit META_DESCRIPTION_BUDGET.
    shortened: bool = False


# Below this, a summary shortened to fit around a description template's own words says too little:
# the description is left whole (over budget, which the editor's counter and the SEO audit report).
MIN_SUMMARY_IN_TEMPLATE = 40


class BasePage(Page):
    """What every page type shares: the SEO fields, their fallbacks and the location they target.

    Title tag falls back to the page type's default title and then the page title;
    the meta description falls back to the page's summary, shortened to fit (see meta_description).
    """

    # What the page is, in the words a patient would use (search results show it); each page type says.
    label = ""

    base_form_class = BasePageForm

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media; 1200 × 630 px works best.",
    )
    canonical_url = models.URLField(
        "canonical URL override",
        blank=True,
        help_text=(
            "Leave empty: the page is its own canonical address. Fill in only when another "
            "address (full URL, starting https://) holds the same content."
        ),
    )
    noindex = models.BooleanField(
        "hide from search engines",
        default=False,
        help_text="Asks search engines not to list this page. It is also left out of the sitemap.",
    )
    exclude_from_sitemap = models.BooleanField(
        default=False,
        help_text="Leave the page out of sitemap.xml while still letting search engines index it.",
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel(
                    "seo_title",
                    heading="Title tag",
                    help_text=(
                        f"The clickable headline in search results; about {TITLE_TAG_BUDGET} "
                        "characters. Leave empty to use the title template for this page type."
                    ),
                ),
                FieldPanel(
                    "search_description",
                    heading="Meta description",
                    help_text=(
                        f"The text under the headline in search results; about "
                        f"{META_DESCRIPTION_BUDGET} characters. Leave empty to use the summary, shortened to "
                        "fit if it is longer."
                    ),
                ),
                SearchPreviewPanel(heading="Search result preview"),
                FieldPanel("social_image"),
            ],
            heading="For search engines and social media",
        ),
        MultiFieldPanel(
            [FieldPanel("canonical_url"), FieldPanel("noindex"), FieldPanel("exclude_from_sitemap")],
            heading="Indexing",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="For site menus"),
    ]

    class Meta:
        abstract = True

    # Used when the practice settings hold no template for the page type.
    default_title_template = DEFAULT_TITLE_TEMPLATE
    # The schema.org type of the page's node in its JSON-LD graph.
    schema_type = "WebPage"
    # Whether the page lists its children, so that they can be reached without a menu.
    lists_children = False

    # --- SEO fallbacks ---------------------------------------------------------------------

    def get_summary(self):
        """A plain-text summary of the page; page types with a summary field override this."""
        return ""

    def template_variables(self, practice):
        location = self.get_location() or practice.primary_location
        return {
            "title": self.title,
            "practice": practice.practice_name,
            "city": location.city if location else "",
            "state": location.state if location else "",
            "summary": self.get_summary(),
        }

    def get_title_tag(self, practice):
        """The page's own title tag plus the practice name, else its page type's template."""
        if self.seo_title:
            if practice.practice_name in self.seo_title:
                return self.seo_title
            return f"{self.seo_title} | {practice.practice_name}"
        row = practice.templates_for(self)
        template = row.title_template if row else self.default_title_template
        return render_template(template, self.template_variables(practice))

    def get_meta_description(self, practice=None):
        return self.meta_description(practice).text

    def meta_description(self, practice=None):
        """The page's meta description (a MetaDescription): its own, else its page type's description
        template, else its summary.

        The summary shown on the page may run to about 300 characters, twice what search engines show
        under a result; they would cut it anywhere, mid-word. So a summary that does not fit is cut
        here, after its last whole word within META_DESCRIPTION_BUDGET. A meta description the editor
        wrote is left as written: their counter says when it is too long.
        """
        if self.search_description:
            return MetaDescription(self.search_description, "own")
        summary = " ".join(self.get_summary().split())
        row = practice.templates_for(self) if practice else None
        if row and row.description_template:
            return self._description_from_template(row.description_template, practice, summary)
        text = shorten(summary, META_DESCRIPTION_BUDGET)
        return MetaDescription(text, "summary" if summary else "", shortened=text != summary)

    def _description_from_template(self, template, practice, summary):
        variables = self.template_variables(practice)
        text = render_template(template, variables, fallback="{summary}")
        if len(text) <= META_DESCRIPTION_BUDGET or not summary:
            return MetaDescription(text, "template")
        # The rest of the template is the practice's chosen wording, so only the summary in it is
        # cut, to the room the rest leaves. A one-character stand-in measures that rest.
        rest = render_template(template, {**variables, "summary": "…"}, fallback="{summary}")
        room = META_DESCRIPTION_BUDGET - (len(rest) - 1)
        if rest == text or room < MIN_SUMMARY_IN_TEMPLATE:
            return MetaDescription(text, "template")
        shortened = render_template(template, {**variables, "summary": shorten(summary, room)}, fallback="{summary}")
        return MetaDescription(shortened, "template", shortened=True)

    def get_canonical_override(self, request=None):
        """An absolute URL when another address is canonical for this page; "" otherwise."""
        return self.canonical_url

    def seo_problems(self):
        """Page-type-specific findings for the SEO audit report (home.seo_audit), as sentences."""
        return []

    def get_structured_data(self, graph):
        """Extra properties for this page's JSON-LD node, and extra nodes for the graph.

        `graph` is a home.structured_data.GraphContext. Page types override this to describe
        what they show (a condition, a clinic); every @id they reference must be in the nodes.
        """
        return {}, []

    @property
    def is_indexable(self):
        return not self.noindex

    def get_sitemap_urls(self, request=None):
        if self.noindex or self.exclude_from_sitemap:
            return []
        return super().get_sitemap_urls(request)

    def pages_showing_this(self):
        """The pages whose HTML shows something of this one, itself included; None for every page.

        Publishing, unpublishing or saving the page retires these (and the pages linking to it)
        from the page cache and the CDN (home/signals.py). Here: the page, its parent's listing,
        the pages below it (their breadcrumbs) and its aliases. The home page and its children are
        in the menu and on the home page, so they show everywhere. Page types that show elsewhere
        add to this, or return None.
        """
        if self.depth <= 3:
            return None
        return [self, self.get_parent(), *(self.get_descendants() if self.numchild else []), *self.aliases.all()]

    def get_location(self):
        """The clinic this page is about, if it is about one; title templates fall back to the primary clinic."""
        return None

    @cached_property
    def breadcrumb_ancestors(self):
        """The pages above this one, from the home page down (empty on the home page)."""
        if self.depth <= 2:
            return []
        # Siblings share them: kept per page-cache generation under the parent's tree path.
        parent_path = self.path[: -self.steplen]
        return for_current_generation(
            f"breadcrumbs:{parent_path}",
            lambda: list(self.get_ancestors().filter(depth__gt=1).only("title", "url_path", "depth")),
        )


def primary_location():
    """The practice's primary clinic, or its first live clinic, or None.

    Looked up through the app registry so that home does not import the locations app.
    """
    if not apps.is_installed("locations"):
        return None
    location_model = apps.get_model("locations", "LocationPage")
    return location_model.objects.live().order_by("-is_primary", "path").first()


class HomePage(BasePage):
    """The site root: who the practice is, what it treats and how to reach it."""

    label = "Home page"

    intro = models.TextField(
        max_length=400,
        blank=True,
        help_text="One or two sentences under the page heading: who the practice is and where.",
    )
    body = RichTextField(
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
        blank=True,
        help_text="More about the practice. Use Heading 2 for sections.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    default_title_template = "{practice} | Orthopaedic Care in {city}, {state}"
    subpage_types = [
        "conditions.ConditionIndexPage",
        "locations.LocationIndexPage",
        "home.StandardPage",
        "appointments.AppointmentPage",
    ]
    max_count = 1

    def get_summary(self):
        return self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu().specific()
        return context


class StandardPage(BasePage):
    """A plain content page: contact details, about the practice, privacy policy."""

    label = "Page"

    summary = models.TextField(
        max_length=300,
        blank=True,
        help_text="One or two sentences under the heading; also the fallback meta description.",
    )
    body = RichTextField(
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
        blank=True,
        help_text="The page's text. Use Heading 2 for sections and Heading 3 inside them.",
    )

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    def get_summary(self):
        return self.summary


class MissedCacheChange(models.Model):
    """A change the page cache did not take (Redis failed at that moment), until it is made good.

    Kept in the database, where it survives the process that saw the failure: while one is
    outstanding, no stored page is served by a process that knows of it, and the next successful
    retirement of every stored page (home.cache.settle_missed_changes) removes it.
    """

    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "missed page-cache change"

    def __str__(self):
        return f"Page-cache change missed at {self.recorded_at:%Y-%m-%d %H:%M:%S}"
