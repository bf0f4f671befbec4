"""How the site's languages are named to browsers and search engines."""

from django.conf import settings
from django.utils import translation

# Each language as a BCP 47 tag for the US (<html lang> stays the bare code) and as an Open Graph locale.
LANGUAGE_TAGS = {"en": ("en-US", "en_US"), "es": ("es-US", "es_US")}


def _code(language_code):
    return (language_code or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def language_tag(language_code=None):
    """ "en-US" or "es-US": the active language (or the one given), for JSON-LD `inLanguage`."""
    return LANGUAGE_TAGS.get(_code(language_code), LANGUAGE_TAGS["en"])[0]


def og_locale(language_code=None):
    """ "en_US" or "es_US": the active language (or the one given), for Open Graph `og:locale`."""
    return LANGUAGE_TAGS.get(_code(language_code), LANGUAGE_TAGS["en"])[1]


# Locale ids and their language codes: a handful of rows that change only when a language is added.
_LANGUAGE_OF_LOCALE = {}


def language_of(page):
    """The language code of a page (or any translatable object) without a query per object."""
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None:
        return settings.LANGUAGE_CODE
    if locale_id not in _LANGUAGE_OF_LOCALE:
        from wagtail.models import Locale

        _LANGUAGE_OF_LOCALE.clear()
        _LANGUAGE_OF_LOCALE.update(Locale.objects.values_list("pk", "language_code"))
    return _LANGUAGE_OF_LOCALE.get(locale_id, settings.LANGUAGE_CODE)
