from django.apps import apps
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.phone import format_phone, normalise_phone

TITLE_TAG_BUDGET = 60
META_DESCRIPTION_BUDGET = 160

phone_validator = RegexValidator(
    r"^\+?[\d\s().\-]{7,25}$",
    "Enter a phone number such as (843) 555-0100.",
)


@register_setting(icon="site")
class PracticeSettings(BaseGenericSetting):
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

    panels = [FieldPanel("practice_name"), FieldPanel("main_phone"), FieldPanel("logo")]

    class Meta:
        verbose_name = "Practice"

    def save(self, *args, **kwargs):
        self.main_phone = format_phone(normalise_phone(self.main_phone)) or self.main_phone
        super().save(*args, **kwargs)

    @property
    def main_phone_e164(self):
        return normalise_phone(self.main_phone)


class BasePage(Page):
    """What every page type shares: the SEO fields, their fallbacks and the location they target.

    Title tag falls back to the page type's default title and then the page title;
    the meta description falls back to the page's summary.
    """

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
                        f"{META_DESCRIPTION_BUDGET} characters. Leave empty to use the summary."
                    ),
                ),
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

    # --- SEO fallbacks ---------------------------------------------------------------------

    def get_summary(self):
        """A plain-text summary of the page; page types with a summary field override this."""
        return ""

    def get_default_title(self):
        """The title tag before the practice name is appended, when no title tag was typed."""
        return self.title

    def get_title_tag(self, practice_name):
        base = self.seo_title or self.get_default_title()
        if practice_name and practice_name not in base:
            return f"{base} | {practice_name}"
        return base

    def get_meta_description(self):
        return self.search_description or self.get_summary()

    @property
    def is_indexable(self):
        return not self.noindex

    def get_sitemap_urls(self, request=None):
        if self.noindex or self.exclude_from_sitemap:
            return []
        return super().get_sitemap_urls(request)

    def get_location(self):
        """The clinic this page targets: the practice's primary location unless a page type knows better."""
        return primary_location()


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
    subpage_types = [
        "conditions.ConditionIndexPage",
        "locations.LocationIndexPage",
        "home.StandardPage",
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
