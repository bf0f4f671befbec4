"""The language of a request, and pages in the visitor's language.

English is served at the site's addresses as they always were; Spanish under /es/ (settings/urls.py
puts Wagtail's pages and the search in i18n_patterns without a prefix for English). The language is
therefore the one the address names and nothing else: never the browser's Accept-Language or a
cookie, so a visitor asking for / always gets English and a cached page is the same for everyone.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale, Page

from seo.languages import language_of


class PathLanguageMiddleware:
    """Activate the language named by the address's prefix (/es/…), else the default (English).

    Django's LocaleMiddleware would also read Accept-Language on the addresses outside
    i18n_patterns and add `Vary: Accept-Language` to every English page, splitting the CDN's and
    browsers' caches for nothing: the language here never depends on the request's headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def active_locale():
    """The Wagtail locale of the language being served (English outside /es/)."""
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return Locale.get_default()


def localized(queryset):
    """The pages of `queryset` in the visitor's language: each page's translation where it has one in
    the queryset, the English page where it has none. English visitors see English pages only."""
    locale = active_locale()
    default = Locale.get_default()
    if locale.pk == default.pk:
        return queryset.filter(locale=default)
    translated = queryset.filter(locale=locale).values("translation_key")
    return queryset.filter(Q(locale=locale) | Q(locale=default) & ~Q(translation_key__in=translated))


def translation_ids(page_ids):
    """{page id: the ids of that page and of all its translations}: a clinic that treats the English
    page of a condition treats its Spanish page too."""
    keys = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "translation_key"))
    family = {}
    for pk, key in Page.objects.filter(translation_key__in=set(keys.values())).values_list("pk", "translation_key"):
        family.setdefault(key, set()).add(pk)
    return {pk: family.get(key, {pk}) for pk, key in keys.items()}


def in_visitor_language(page):
    """The page's live translation in the language being served, else the page itself: where a page
    chosen in English content (a button, a featured condition) leads from its translation."""
    if page is None or (translation.get_language() or "").split("-")[0] == language_of(page):
        return page
    return page.localized
