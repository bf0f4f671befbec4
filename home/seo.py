"""Title and description templates: "{title} Treatment in {city}, {state} | {practice}".

Editors write the templates in the practice settings, one per page type. Only the variables below
may appear; anything else (attribute access, indexing, unknown names) is refused when the template
is saved, so a typo never reaches a live page.
"""

import string

from django.core.exceptions import ValidationError

TEMPLATE_VARIABLES = {
    "title": "the page title",
    "practice": "the practice's name",
    "city": "the town of the page's clinic (or the primary clinic)",
    "state": "its two-letter state",
    "summary": "the page's summary",
}

DEFAULT_TITLE_TEMPLATE = "{title} | {practice}"


class _Formatter(string.Formatter):
    def get_field(self, field_name, args, kwargs):
        if field_name not in TEMPLATE_VARIABLES:
            raise KeyError(field_name)
        return kwargs[field_name], field_name


_formatter = _Formatter()


def validate_template(template):
    try:
        fields = [name for _, name, spec, conversion in _formatter.parse(template) if name is not None]
    except ValueError as error:
        raise ValidationError(f"The template is not well formed ({error}). Use {{title}}-style variables.") from None
    unknown = sorted({name for name in fields if name not in TEMPLATE_VARIABLES})
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in TEMPLATE_VARIABLES)
        raise ValidationError(f"Unknown variable {', '.join(unknown)}. Use only: {allowed}.")


def render_template(template, variables, fallback=DEFAULT_TITLE_TEMPLATE):
    """Fill in a validated template.

    When a variable it uses is empty (no clinic gives a city, say), the fallback template is used
    instead, so a title never reads "Treatment in , | …".
    """
    used = [name for _, name, _, _ in _formatter.parse(template) if name]
    if fallback is not None and any(not variables.get(name) for name in used):
        return render_template(fallback, variables, fallback=None)
    text = _formatter.vformat(template, (), {name: variables.get(name, "") for name in TEMPLATE_VARIABLES})
    return " ".join(text.split())
