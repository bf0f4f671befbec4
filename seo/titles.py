"""Title and description templates: "{title} Treatment in {city}, {state} | {practice}".

Editors write the templates in the practice settings, one per page type. Only the plain variables
below may appear; anything else (unknown names, attribute access, indexing, format specs such as
{title:>10}, conversions such as {title!r}) is refused when the template is saved, so a typo never
reaches a live page. Rendering does not rely on that check: a template that reached the database
some other way is rendered safely or replaced by the fallback.
"""

import string
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

TEMPLATE_VARIABLES = {
    "title": "the page title",
    "condition": "the condition the page is about (a local page's main condition), else the title",
    "brand": "the practice's short name, e.g. SC Sports Medicine",
    "practice": "the practice's full name",
    "city": "the town of the page's clinic (or the primary clinic)",
    "state": "its two-letter state",
    "summary": "the page's summary",
}

DEFAULT_TITLE_TEMPLATE = gettext_noop("{title} | {brand}")

# What search engines show of a title tag and a meta description, in characters.
TITLE_TAG_BUDGET = 60
META_DESCRIPTION_BUDGET = 160

# Longer results are cut. Search engines show about 60 characters of a title and 160 of a
# description (the budgets below), so past 300 no reader loses anything, while the
# SEO audit still sees and reports the over-long result. What the cap stops is one template
# inflating every page's <head>, which repeats the title and description in several tags and the
# JSON-LD: a summary repeated by "{summary}{summary}…" or a template that slipped past validation.
MAX_RENDERED_LENGTH = 300

# Used only to split a template into literal text and fields. Its format() machinery is never run
# on a template: a format spec such as {title:x>999999999} would build a gigabyte-long string.
_parser = string.Formatter()


def _braced(names):
    return ", ".join("{" + name + "}" for name in names)


_ALLOWED = _braced(TEMPLATE_VARIABLES)


def validate_template(template):
    """The model validator of both template fields, so the editor sees the message when saving."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in _parser.parse(template) if name is not None]
    except ValueError:
        raise ValidationError(
            f"The braces do not match. Write each variable as its name in one pair of braces, such as "
            f"{{title}}; to show a brace itself, type it twice ({{{{ or }}}}). Variables: {_ALLOWED}.",
            code="malformed",
        ) from None
    unknown = sorted({name for name, _, _ in fields if name not in TEMPLATE_VARIABLES})
    if unknown:
        noun = "variable" if len(unknown) == 1 else "variables"
        raise ValidationError(f"Unknown {noun} {_braced(unknown)}. Use only: {_ALLOWED}.", code="unknown_variable")
    formatted = sorted({name for name, spec, conversion in fields if spec or conversion})
    if formatted:
        raise ValidationError(
            f"Write {_braced(formatted)} with nothing after the name inside the braces: formatting such "
            f"as “:>10” or “!r” is not allowed. Only plain variables like {{title}} are allowed.",
            code="formatted_variable",
        )


def _pieces(template):
    """The template as (literal text, variable name or None) pairs; None when it cannot be used.

    Format specs and conversions are dropped here, so every variable stands for its plain value.
    """
    try:
        pieces = [(literal, name) for literal, name, _spec, _conversion in _parser.parse(template)]
    except (TypeError, ValueError):
        return None
    if any(name is not None and name not in TEMPLATE_VARIABLES for _, name in pieces):
        return None
    return pieces


def _usable_pieces(template, variables, fallback):
    """The pieces of the template, or of the fallback when the template cannot be filled in; the
    page title alone when neither can."""
    pieces = _pieces(template)
    usable = pieces is not None and all(variables.get(name) for _, name in pieces if name is not None)
    if usable:
        return pieces
    if fallback is not None:
        return _usable_pieces(fallback, variables, fallback=None)
    return [("", "title")]


def _fill(pieces, variables):
    text = "".join(literal + (str(variables.get(name) or "") if name else "") for literal, name in pieces)
    text = " ".join(text.split())
    if len(text) > MAX_RENDERED_LENGTH:
        text = text[: MAX_RENDERED_LENGTH - 1].rstrip() + "…"
    return text


def render_template(template, variables, fallback=DEFAULT_TITLE_TEMPLATE):
    """Fill in a template. Never raises, whatever the database holds.

    When a variable it uses is empty (no clinic gives a city, say), the fallback template is used
    instead, so a title never reads "Treatment in , | …". So it is when the template is malformed
    or names an unknown variable, which validation refuses but an older or hand-edited row may
    hold; should there be no usable fallback either, the page title is used alone.
    """
    return _fill(_usable_pieces(template, variables, fallback), variables)


# What may stand before a closing {brand} or {practice}: " | {brand}", " – {practice}".
NAME_SEPARATORS = ("|", "–", "—", "-", "·", ":")
NAME_VARIABLES = {"brand", "practice"}


def _without_closing_name(pieces):
    """The pieces without a closing separator and name ("… | {brand}"); None when there is none."""
    if len(pieces) < 2 or pieces[-1][1] not in NAME_VARIABLES or pieces[-1][0].strip() not in NAME_SEPARATORS:
        return None
    return pieces[:-1]


def render_title(template, variables, fallback=DEFAULT_TITLE_TEMPLATE, budget=TITLE_TAG_BUDGET):
    """A title tag from a template: render_template(), except that a closing "| {brand}" (or
    {practice}) is left off when the whole would run past the budget. Words are never cut: a title
    that is still too long is left whole, for the editor's counter and the SEO audit to report."""
    pieces = _usable_pieces(template, variables, fallback)
    text = _fill(pieces, variables)
    shorter = _without_closing_name(pieces) if len(text) > budget else None
    return _fill(shorter, variables) if shorter else text


def title_with_name(own_title, name, budget=TITLE_TAG_BUDGET):
    """An editor's own title tag, followed by "| name" when that fits within the budget."""
    if not name or name in own_title:
        return own_title
    branded = f"{own_title} | {name}"
    return branded if len(branded) <= budget else own_title


def shorten(text, limit):
    """The text within `limit` characters: whole when it fits, else cut after its last whole word
    with an ellipsis (cut hard only when a single word is longer than the limit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]  # leaves room for the ellipsis
    if text[limit - 1] != " ":
        # The cut falls inside a word: drop what is left of it.
        cut = cut.rpartition(" ")[0] or cut
    return cut.rstrip(" ,;:.!?-–—") + "…"


class MetaDescription(NamedTuple):
    """A page's meta description and where it comes from, for the editor's counter."""

    text: str
    # "own" (the page's meta description field), "template" (its page type's description
    # template), "summary", or "" when the page has none.
    source: str
    # Whether its summary was shortened to fit META_DESCRIPTION_BUDGET.
    shortened: bool = False


# Below this, a summary shortened to fit around a description template's own words says too little:
# the description is left whole (over budget, which the editor's counter and the SEO audit report).
MIN_SUMMARY_IN_TEMPLATE = 40
