"""A page's versions in other languages: `hreflang` links in the <head> and in the sitemap, and the
language switcher's destination.

Search engines are told of a translation only while both versions are live and public, and then in
both directions, with English as the `x-default` for visitors in any other language.
"""

from django.conf import settings
from wagtail.models import Page, PageViewRestriction

from seo.languages import language_of


def language_versions(page):
    """{language code: page} for the page and its live, public translations; {} when the page itself is
    not live and public. One query (two when the page has translations), kept on the page object."""
    versions = getattr(page, "_language_versions", None)
    if versions is None:
        versions = {}
        if getattr(page, "pk", None) and page.live:
            candidates = list(page.get_translations(inclusive=True).live().only("path", "url_path", "locale_id"))
            if len(candidates) > 1:
                # Only then is privacy worth a query: a private version is nobody's alternate.
                private = PageViewRestriction.objects.values_list("page__path", flat=True)
                restricted = tuple(private)
                candidates = [version for version in candidates if not version.path.startswith(restricted or ("~",))]
            versions = {language_of(version): version for version in candidates}
            if not any(version.pk == page.pk for version in versions.values()):
                versions = {}
        page._language_versions = versions
    return versions


def alternates(page, request=None):
    """[(hreflang, absolute URL)] for the page's languages plus x-default; empty without a translation."""
    versions = language_versions(page)
    if len(versions) < 2:
        return []
    links = []
    for code, _name in settings.LANGUAGES:
        url = versions[code].get_full_url(request) if code in versions else None
        if url:
            links.append((code, url))
    default = next((url for code, url in links if code == settings.LANGUAGE_CODE), None)
    if default and len(links) > 1:
        links.append(("x-default", default))
    return links if len(links) > 2 else []


def translation_for(page, language_code):
    """The page's live, public translation into `language_code`, or None."""
    if not isinstance(page, Page):
        return None
    version = language_versions(page).get(language_code)
    return version if version is not None and version.pk != page.pk else None
