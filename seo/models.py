"""What every page says to search engines: its SEO fields, their fallbacks and its structured data.

Page types get it from home.models.BasePage. The practice's settings (its name, the title templates,
the default social image) are handed in as `practice`, read through `practice_settings()`, so that
this app needs no import of the app that keeps them.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from seo.alternates import alternates
from seo.languages import language_of
from seo.origin import public_origin
from seo.titles import (
    DEFAULT_TITLE_TEMPLATE,
    META_DESCRIPTION_BUDGET,
    MIN_SUMMARY_IN_TEMPLATE,
    TITLE_TAG_BUDGET,
    MetaDescription,
    render_template,
    render_title,
    shorten,
    title_with_name,
)


def practice_settings(request=None):
    """The practice's settings (settings.PRACTICE_SETTINGS_MODEL), for the request's site."""
    return apps.get_model(settings.PRACTICE_SETTINGS_MODEL).load(request_or_site=request)


class SeoMixin(models.Model):
    """The SEO fields of a page and their fallbacks.

    Title tag falls back to the page type's title template and then the page title;
    the meta description falls back to the page's summary, shortened to fit (see meta_description).
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

    class Meta:
        abstract = True

    # Used when the practice settings hold no template for the page type.
    default_title_template = DEFAULT_TITLE_TEMPLATE
    # The schema.org type of the page's node in its JSON-LD graph.
    schema_type = "WebPage"
    # The Open Graph type of the page: "website", or "article" for pages of advice that carry their
    # published and modified times.
    og_type = "website"
    # --- SEO fallbacks ---------------------------------------------------------------------

    def get_summary(self):
        """A plain-text summary of the page; page types with a summary field override this."""
        return ""

    def template_variables(self, practice):
        location = self.get_location() or practice.primary_location
        return {
            "title": self.title,
            "condition": self.title,
            "brand": practice.brand,
            "practice": practice.practice_name,
            "city": location.city if location else "",
            "state": location.state if location else "",
            "summary": self.get_summary(),
        }

    def get_title_tag(self, practice, budget=TITLE_TAG_BUDGET):
        """The page's own title tag plus the brand when it fits, else its page type's template
        (whose closing brand is left off past the budget)."""
        if self.seo_title:
            return title_with_name(self.seo_title, practice.brand, budget)
        row = practice.templates_for(self)
        template = row.title_template if row else self.built_in_title_template()
        return render_title(template, self.template_variables(practice), budget=budget)

    def built_in_title_template(self):
        """The page type's built-in title template, in the page's language (locale/)."""
        with translation.override(language_of(self)):
            return translation.gettext(self.default_title_template)

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
        """Page-type-specific findings for the SEO audit report (seo.audit), as sentences."""
        return []

    def get_structured_data(self, graph):
        """Extra properties for this page's JSON-LD node, and extra nodes for the graph.

        `graph` is a seo.structured_data.GraphContext. Page types override this to describe
        what they show (a condition, a clinic); every @id they reference must be in the nodes.
        """
        return {}, []

    @property
    def is_indexable(self):
        return not self.noindex

    def get_url_parts(self, request=None):
        """Wagtail's (site id, root URL, path), with the root URL the configured origin (seo.origin):
        every absolute address of the page (canonical, og:url, JSON-LD, sitemap) is written with it."""
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, path = parts
        # Wagtail keeps the sites' root paths on the request: no cache round trip per link.
        one_site = len(self._get_site_root_paths(request)) <= 1
        return site_id, public_origin(root_url or "", one_site=one_site), path

    def get_sitemap_urls(self, request=None):
        # Only pages that are their own canonical address, and may be listed, are in the sitemap.
        if not self.is_indexable or self.exclude_from_sitemap or self.get_canonical_override(request):
            return []
        urls = super().get_sitemap_urls(request)
        # Its live translations, as <xhtml:link rel="alternate" hreflang="…"> (seo/alternates.py).
        links = [{"lang_code": code, "location": url} for code, url in alternates(self, request)]
        if links:
            for url in urls:
                url["alternates"] = links
        return urls

    def get_location(self):
        """The clinic this page is about, if it is about one; title templates fall back to the primary clinic."""
        return None
