from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_noop
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
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import HERO_PICTURE, HomePageBlocks
from home.forms import BasePageForm
from home.phone import PhoneNumberField, normalise_phone
from home.renditions import kept_rendition
from home.roles import page_type_for, primary_location  # noqa: F401 (imported from here)
from home.title_templates import TitleTemplate, page_type_choices  # noqa: F401 (models of this app)
from pagecache.store import for_current_generation
from seo.languages import language_of
from seo.models import SeoMixin
from seo.panels import SearchPreviewPanel, TitleTemplateExamplesPanel
from seo.titles import META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET

HEADER_LOGO = "height-96|format-webp"  # shown 32–40 px high: sharp on any screen


@register_setting(icon="site")
class PracticeSettings(ClusterableModel, BaseGenericSetting):
    """The practice's identity: one source for every template, title tag and structured-data node."""

    practice_name = models.CharField(
        max_length=120,
        default="South Carolina Sports Medicine & Orthopaedic Center",
        help_text="The practice's full name, as patients and search engines should see it.",
    )
    brand_name = models.CharField(
        "short name",
        max_length=40,
        blank=True,
        default="SC Sports Medicine",
        help_text=(
            "The name title tags end with, e.g. “Sciatica Treatment | SC Sports Medicine”: {brand} in title "
            "templates. Keep it short; a title that would pass 60 characters leaves it off. Empty: the full name."
        ),
    )
    main_phone = PhoneNumberField(
        default="(843) 555-0100",
        help_text="The number shown in the header and footer of every page. Type it any way, e.g. 843-555-0100: "
        "it is saved and shown as (843) 555-0100.",
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
                    FieldPanel("brand_name"),
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
        page-cache generation, which any publish or settings change replaces (pagecache/signals.py).
        """

        def load_from_database():
            practice = super(PracticeSettings, cls)._get_or_create()
            # Evaluated now so that they travel with the cached copy.
            practice._title_templates_by_type  # noqa: B018
            practice.primary_location  # noqa: B018
            practice.appointment_destination  # noqa: B018
            practice.default_social_image  # noqa: B018
            return practice

        # Per language: the primary clinic and the appointment page are the visitor's language's.
        return for_current_generation(f"practice-settings:{get_language()}", load_from_database)

    @cached_property
    def _title_templates_by_type(self):
        # One query per request: Wagtail caches the loaded settings object on the request.
        return {(row.page_type, row.language): row for row in self.title_templates.all()}

    def templates_for(self, page, language=None):
        """The title template row for the page's type in its language (English for a page type), or None."""
        language = language or (language_of(page) if isinstance(page, Page) else settings.LANGUAGE_CODE)
        return self._title_templates_by_type.get((page._meta.label_lower, language))

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
        page = Page.objects.live().filter(pk=self.appointment_page_id).first()
        # Its live translation in the visitor's language, if it has one.
        return page.localized if page is not None else None

    def social_image_for(self, page):
        """The image shared for the page: its own social image, else the default one; None if neither."""
        return page.social_image or self.default_social_image

    @property
    def brand(self):
        """The short name title tags end with; the full name when none is set."""
        return self.brand_name or self.practice_name

    @property
    def same_as_list(self):
        return [line.strip() for line in self.same_as.splitlines() if line.strip()]

    def logo_rendition(self, spec):
        """{"url", "width", "height"} of the logo resized by `spec`, or None (home.renditions)."""
        return kept_rendition(self.logo_id, spec, lambda: self.logo) if self.logo_id else None

    @property
    def header_logo(self):
        return self.logo_rendition(HEADER_LOGO)

    @property
    def main_phone_e164(self):
        """+18435550100: for tel: links and the JSON-LD `telephone`."""
        return normalise_phone(self.main_phone)


class BasePage(SeoMixin, Page):
    """What every page type shares: the SEO fields and their fallbacks (seo.models.SeoMixin), the
    editor's form, and what the page cache and the breadcrumbs need to know of its place."""

    # What the page is, in the words a patient would use (search results show it); each page type says.
    label = ""

    base_form_class = BasePageForm

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

    # Whether the page lists its children, so that they can be reached without a menu.
    lists_children = False
    # Whether the home page's sections show pages of this type (home.blocks), whatever the editors chose.
    shown_on_home_page = False
    # What the page type is to the rest of the site, if anything (one of SITE_ROLES): shared code
    # finds a page type by its role (page_type_for) instead of importing the app that defines it.
    site_role = ""

    class Meta:
        abstract = True

    def pages_showing_this(self):
        """The pages whose HTML shows something of this one, itself included; None for every page.

        Publishing, unpublishing or saving the page retires these (and the pages linking to it)
        from the page cache and the CDN (pagecache/signals.py). Here: the page, its parent's listing,
        the pages below it (their breadcrumbs), its aliases and its translations. The home page and its children are
        in the menu and on the home page, so they show everywhere. Page types that show elsewhere
        add to this, or return None.
        """
        if self.depth <= 3:
            return None
        # The home page's sections list clinics, clinicians and the body areas of conditions.
        home = Page.objects.filter(path=self.path[: self.steplen * 2]) if self.shown_on_home_page else []
        # Its translations link to it (language switcher, hreflang).
        below = self.get_descendants() if self.numchild else []
        return [self, self.get_parent(), *below, *self.aliases.all(), *self.get_translations(), *home]

    def images_to_prepare(self):
        """[(image, picture spec)] the page's template shows: their renditions are made on publish."""
        return []

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


class HomePage(BasePage):
    """The site root: who the practice is, what it treats and how to reach it."""

    label = "Home page"

    intro = models.TextField(
        "summary",
        max_length=400,
        blank=True,
        help_text=(
            "One or two sentences: who the practice is and where. Search engines show it under the title, "
            "unless the meta description says otherwise."
        ),
    )
    body = StreamField(
        HomePageBlocks(),
        blank=True,
        help_text="The home page's sections, top to bottom: start with the hero, end with the closing call to action.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    default_title_template = gettext_noop("{brand} | Orthopaedic Care in {city}, {state}")
    subpage_types = [
        "conditions.ConditionIndexPage",
        "locations.LocationIndexPage",
        "physicians.PhysicianIndexPage",
        "treatments.TreatmentIndexPage",
        "home.StandardPage",
        "appointments.AppointmentPage",
    ]
    max_count = 1

    def get_summary(self):
        return self.intro

    def images_to_prepare(self):
        return [(block.value["image"], HERO_PICTURE) for block in self.body if block.block_type == "hero"]

    @cached_property
    def hero(self):
        """The hero block's value, which holds the page's main heading, or None."""
        return next((block.value for block in self.body if block.block_type == "hero"), None)


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
