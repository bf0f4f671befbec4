from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page, Site
from wagtail.search.utils import normalise_query_string

from home.i18n import active_locale
from search.models import record_search
from search.query import MAX_QUERY_LENGTH, clean_query

PAGE_SIZE = 10
# The search backend (settings.WAGTAILSEARCH_BACKENDS) that reads each language's word forms.
BACKEND_FOR_LANGUAGE = {"en": "default", "es": "spanish"}


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str
    kind: str


@never_cache
@require_safe
def search(request):
    """The site search: live, public pages in the visitor's language matching their words, pinned
    promotions first. /search/ searches the English pages, /es/buscar/ the Spanish ones."""
    cleaned = clean_query(request.GET.get("query", ""))
    pages = live_pages(request)
    promotions = promotions_for(cleaned, pages)
    # A pinned page is shown once, above the results, so it is left out of them.
    results, matched_all = find_pages(pages.exclude(pk__in=[p.page_id for p in promotions if p.page_id]), cleaned)
    paginated = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))

    if cleaned and "page" not in request.GET and request.method == "GET":
        # Counted once per search typed, not again for each page of its results.
        record_search(cleaned.text, found=matched_all or bool(promotions))

    context = {
        "page_title": _("Search results for “%(query)s”") % {"query": cleaned.shown} if cleaned.shown else _("Search"),
        "search_query": cleaned.shown,
        "max_query_length": MAX_QUERY_LENGTH,
        "searched": bool(cleaned.shown),
        "promotions": promotions if paginated.number == 1 else [],
        "hits": [as_hit(page, request) for page in paginated.object_list],
        "matched_all": matched_all,
        "results_page": paginated,
        "pagination": pagination(paginated, cleaned.shown),
    }
    response = TemplateResponse(request, "search/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def live_pages(request):
    pages = Page.objects.live().public().filter(locale=active_locale())
    site = Site.find_for_request(request)
    if site is None:
        return pages.filter(depth__gt=1)
    # The site's pages in every language: the Spanish home is a translation beside the English one.
    return pages.filter(path__startswith=site.root_page.localized.path)


def find_pages(pages, cleaned, language=None):
    """Pages for the query, best first, and whether they match every word.

    Every word must match, in any of its forms ("spasm" finds "spasms"). Failing that, the last
    word may be the start of a word in a title or other name ("sciatic" finds "Sciatica"). Failing that too,
    pages matching any of the words are offered, but the search counts as having found nothing.
    """
    language = (language or get_language() or "en").split("-")[0]
    backend = BACKEND_FOR_LANGUAGE.get(language, "default")
    terms = cleaned.terms_in(language)
    if not terms:
        return pages.none(), False
    pages = pages.specific()
    for results in (
        pages.search(terms, operator="and", backend=backend),
        pages.autocomplete(terms, operator="and", backend=backend),
    ):
        if results.count():
            return results, True
    if len(terms.split()) > 1:
        return pages.search(terms, operator="or", backend=backend), False
    return pages.none(), False


def promotions_for(cleaned, pages):
    """The pages and links marketing staff have pinned to this query, in their chosen order."""
    if not cleaned:
        return []
    promotions = SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(cleaned.text)
    ).select_related("page")
    visible = set(pages.filter(pk__in=[p.page_id for p in promotions if p.page_id]).values_list("pk", flat=True))
    return [p for p in promotions if p.page_id in visible or (not p.page_id and p.external_link_url)]


def as_hit(page, request):
    summary = page.search_description or (page.get_summary() if hasattr(page, "get_summary") else "")
    kind = getattr(page, "label", "") or str(page._meta.verbose_name).capitalize()
    return SearchHit(title=page.title, url=page.get_url(request), summary=summary, kind=kind)


def pagination(paginated, shown):
    """Previous and next links and numbered links around the current page (None marks a gap)."""
    if paginated.paginator.num_pages < 2:
        return None
    numbers = paginated.paginator.get_elided_page_range(paginated.number, on_each_side=2, on_ends=1)
    return {
        "previous": page_url(shown, paginated.previous_page_number()) if paginated.has_previous() else "",
        "next": page_url(shown, paginated.next_page_number()) if paginated.has_next() else "",
        "pages": [
            None
            if number == Paginator.ELLIPSIS
            else {"number": number, "url": page_url(shown, number), "current": number == paginated.number}
            for number in numbers
        ],
    }


def page_url(shown, number):
    return "?" + urlencode({"query": shown, "page": number})
