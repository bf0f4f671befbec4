"""A page's versions in other languages: `hreflang` links in the <head> and in the sitemap.

Search engines are told of a translation only while both versions are live and public, and then in
both directions, with English as the `x-default` for visitors in any other language.
"""

from django.conf import settings
from wagtail.models import Page, PageViewRestriction


def live_translations(page):
    """The page and its live, public translations, in the order of settings.LANGUAGES."""
    pages = list(page.get_translations(inclusive=True).live().select_related("locale"))
    restricted = PageViewRestriction.objects.filter(page__in=[p.pk for p in pages]).exists()
    if restricted:
        # Rare (a private section): checked per page, with Wagtail's own rule.
        pages = [p for p in pages if not p.get_view_restrictions()]
    order = [code for code, _ in settings.LANGUAGES]
    return sorted(pages, key=lambda p: order.index(p.locale.language_code) if p.locale.language_code in order else 99)


def alternates(page, request=None):
    """[(hreflang, absolute URL)] for the page's languages plus x-default; empty without a translation."""
    if not page.live or page.get_view_restrictions():
        return []
    versions = live_translations(page)
    if len(versions) < 2:
        return []
    links = []
    for version in versions:
        url = version.get_full_url(request)
        if url:
            links.append((version.locale.language_code, url))
    default = next((url for code, url in links if code == settings.LANGUAGE_CODE), None)
    if default:
        links.append(("x-default", default))
    return links if len(links) > 2 else []


def translation_for(page, language_code):
    """The page's live translation into `language_code`, or None."""
    if page is None or not isinstance(page, Page):
        return None
    return page.get_translations().live().filter(locale__language_code=language_code).first()
