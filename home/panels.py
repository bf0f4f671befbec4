"""Editor panels shared by every page type."""

import copy

from django.forms import Media
from wagtail.admin.panels import Panel

NO_DESCRIPTION_TEXT = "No meta description or summary: search engines will choose text from the page."

# Stands in for the page title in the fallback title and description handed to the editor's
# script, which puts the title being typed in its place; shown as is while the title is empty.
TITLE_PLACEHOLDER = "{title}"


class SearchPreviewPanel(Panel):
    """How a search engine may list the page: title tag, address and meta description, with
    their length against the budgets. Rendered from the page as saved; seo-preview.js keeps it in
    step with the title, slug, title tag and meta description fields as the editor types."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "home/panels/search_preview.html"

        def is_shown(self):
            return self.instance is not None

        @property
        def media(self):
            return Media(js=["home/js/seo-preview.js"], css={"all": ["home/css/seo-preview.css"]})

        def get_context_data(self, parent_context=None):
            # Imported here: home.models builds its panels from this module.
            from home.models import META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET, PracticeSettings

            context = super().get_context_data(parent_context)
            page = self.instance
            practice = PracticeSettings.load(request_or_site=self.request)
            url_base = self._url_base()

            # The same page with the editor's own values cleared shows what the fallbacks give.
            fallback = copy.copy(page)
            fallback.title = TITLE_PLACEHOLDER
            fallback.seo_title = ""
            fallback.search_description = ""

            # A new page has no title yet: show where it will go.
            shown = page
            if not page.title:
                shown = copy.copy(page)
                shown.title = TITLE_PLACEHOLDER
            title_tag = shown.get_title_tag(practice)
            description = shown.get_meta_description(practice)
            context.update(
                title_tag=title_tag,
                description=description,
                url=self._url(url_base),
                url_base=url_base,
                no_description_text=NO_DESCRIPTION_TEXT,
                practice_name=practice.practice_name,
                fallback_title=fallback.get_title_tag(practice),
                fallback_description=fallback.get_meta_description(practice),
                counters=[
                    _counter("title", "Title tag", title_tag, TITLE_TAG_BUDGET),
                    _counter("description", "Meta description", description, META_DESCRIPTION_BUDGET),
                ],
            )
            return context

        def _url_base(self):
            """The parent's address, to which the slug is added; "" when the slug is not part of
            the page's address (a site's root page) or the parent has none."""
            page = self.instance
            parent = getattr(self.form, "parent_page", None) or (page.get_parent() if page.pk else None)
            parent_url = parent.get_full_url(self.request) if parent else None
            if not parent_url:
                return ""
            own_url = page.get_full_url(self.request) if page.pk else None
            if own_url and not own_url.startswith(parent_url):
                return ""
            return parent_url if parent_url.endswith("/") else f"{parent_url}/"

        def _url(self, url_base):
            page = self.instance
            if url_base:
                # From the slug rather than the live address, so that a draft's new slug shows.
                return f"{url_base}{page.slug}/" if page.slug else url_base
            return page.get_full_url(self.request) if page.pk else None


def _counter(name, label, text, budget):
    length = len(text)
    return {
        "name": name,
        "label": label,
        "length": length,
        "budget": budget,
        "over_by": max(length - budget, 0),
    }
