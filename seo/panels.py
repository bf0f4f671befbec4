"""Editor panels shared by every page type, and what their live checks need."""

import copy

from django.forms import Media
from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.models import get_page_models

from seo.models import SeoMixin, practice_settings
from seo.titles import MAX_RENDERED_LENGTH, META_DESCRIPTION_BUDGET, TITLE_TAG_BUDGET

NO_DESCRIPTION_TEXT = "No meta description or summary: search engines will choose text from the page."

# Stands in for the page title in the fallback title and description handed to the editor's
# script, which puts the title being typed in its place; shown as is while the title is empty.
TITLE_PLACEHOLDER = "{title}"

# The script that posts the form being edited to the live checks endpoint (conditions/views.py)
# and updates every panel that carries data-live-checks in place; loaded by each such panel.
LIVE_CHECKS_MEDIA = Media(js=["seo/admin/live-checks.js"], css={"all": ["seo/admin/live-checks.css"]})


def page_parent(page, form):
    """The parent of the page being edited or created; None for a page with no place yet."""
    parent = getattr(form, "parent_page", None)
    if parent is None and page.pk:
        parent = page.get_parent()
    return parent


def live_checks_url(page, parent):
    """Where the editor's script posts the form to have the checks of the unsaved page.

    The endpoint is registered by conditions/admin_urls.py; it serves every page type.
    """
    if page.pk:
        return reverse("live_checks_on_edit", args=[page.pk])
    if parent is None:
        return ""
    meta = page._meta
    return reverse("live_checks_on_add", args=[meta.app_label, meta.model_name, parent.pk])


def search_preview(page, parent, request):
    """What the search-result preview shows for the page, saved or as the editor has typed it.

    The panel renders it; the live checks endpoint sends it as JSON as the editor types.
    """
    practice = practice_settings(request)
    url_base = _url_base(page, parent, request)

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
    description = shown.meta_description(practice)
    return {
        "title_tag": title_tag,
        "description": description.text,
        "url": _url(page, url_base, request),
        "url_base": url_base,
        "brand": practice.brand,
        "title_budget": TITLE_TAG_BUDGET,
        # With and without the closing brand: the script chooses as the title grows or shrinks.
        "fallback_title": fallback.get_title_tag(practice, budget=MAX_RENDERED_LENGTH),
        "fallback_title_short": fallback.get_title_tag(practice, budget=0),
        "fallback_description": fallback.get_meta_description(practice),
        "counters": [
            _counter("title", "Title tag", title_tag, TITLE_TAG_BUDGET),
            _counter(
                "description",
                "Meta description",
                description.text,
                META_DESCRIPTION_BUDGET,
                note=_description_note(description),
            ),
        ],
        # A page not yet in the tree has no parent or siblings to be compared with.
        "seo_problems": page.seo_problems() if page.path else [],
    }


class SearchPreviewPanel(Panel):
    """How a search engine may list the page: title tag, address and meta description, with
    their length against the budgets. Rendered from the page as saved; seo-preview.js keeps it in
    step with the title, slug, title tag and meta description fields as the editor types, and
    live-checks.js with what only the server can tell (the summary, the description template)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/panels/search_preview.html"

        def is_shown(self):
            return self.instance is not None

        @property
        def media(self):
            return (
                Media(js=["seo/admin/seo-preview.js"], css={"all": ["seo/admin/seo-preview.css"]}) + LIVE_CHECKS_MEDIA
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            parent = page_parent(self.instance, self.form)
            context.update(search_preview(self.instance, parent, self.request))
            context["no_description_text"] = NO_DESCRIPTION_TEXT
            context["live_checks_url"] = live_checks_url(self.instance, parent)
            return context


def _url_base(page, parent, request):
    """The parent's address, to which the slug is added; "" when the slug is not part of the page's
    address (a site's root page) or the parent has none."""
    parent_url = parent.get_full_url(request) if parent else None
    if not parent_url:
        return ""
    own_url = page.get_full_url(request) if page.pk else None
    if own_url and not own_url.startswith(parent_url):
        return ""
    return parent_url if parent_url.endswith("/") else f"{parent_url}/"


def _url(page, url_base, request):
    if url_base:
        # From the slug rather than the live address, so that a draft's new slug shows.
        return f"{url_base}{page.slug}/" if page.slug else url_base
    return page.get_full_url(request) if page.pk else None


def _description_note(description):
    """Where the meta description comes from, when the editor did not write it."""
    if description.source == "summary":
        if description.shortened:
            return f"From the summary, shortened to {len(description.text)} characters."
        return "From the summary."
    if description.source == "template":
        if description.shortened:
            return "From the description template for this page type, with the summary shortened to fit."
        return "From the description template for this page type."
    return ""


def _counter(name, label, text, budget, note=""):
    length = len(text)
    over_by = max(length - budget, 0)
    return {
        "name": name,
        "label": label,
        "length": length,
        "budget": budget,
        "over_by": over_by,
        "text": f"{length} / {budget} characters",
        "warning": f" — {over_by} over budget: search engines may cut it short." if over_by else "",
        "note": note,
    }


class TitleTemplateExamplesPanel(Panel):
    """In Settings → Practice → Title templates: each page type's built-in template, the one in use,
    and the title tag it gives a real page of that type today, with its length against the budget."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/panels/title_template_examples.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            practice = self.instance
            rows = []
            for model in sorted(
                (model for model in get_page_models() if issubclass(model, SeoMixin)),
                key=lambda model: str(model._meta.verbose_name),
            ):
                saved = practice.templates_for(model) if practice.pk else None
                example_page = model.objects.live().order_by("path").first()
                example = example_page.get_title_tag(practice) if example_page else ""
                rows.append(
                    {
                        "page_type": str(model._meta.verbose_name).capitalize(),
                        "built_in": model.default_title_template,
                        "in_use": saved.title_template if saved else "",
                        "example_page": example_page,
                        "example": example,
                        "length": len(example),
                        "over": len(example) > TITLE_TAG_BUDGET,
                    }
                )
            context.update(rows=rows, budget=TITLE_TAG_BUDGET)
            return context
