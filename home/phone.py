"""North American phone numbers: stored and shown as (843) 555-0100, dialled as +18435550100.

What is stored is what editors and patients see; the E.164 form, for tel: links and the JSON-LD
`telephone`, is derived from it (`PracticeSettings.main_phone_e164`, `LocationPage.phone_e164`).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

INVALID_PHONE_MESSAGE = gettext_lazy("Enter a US phone number with its area code, like (843) 555-0100.")


def normalise_phone(raw):
    """Return the number in E.164 form, or "" when it is not a ten-digit North American number."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return ""
    return f"+1{digits}"


def format_phone(raw):
    """(843) 555-0100 for a number typed any way (843.555.0100, +18435550100 …); "" for anything else."""
    e164 = normalise_phone(raw)
    if not e164:
        return ""
    digits = e164[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def validate_phone(value):
    if not normalise_phone(value):
        raise ValidationError(INVALID_PHONE_MESSAGE, code="invalid_phone")


class PhoneNumberField(models.CharField):
    """A North American number, typed any way and kept as (843) 555-0100.

    Formatted when the model is cleaned (in the admin, before a revision is saved, so drafts hold
    it formatted too) and again on save, for code that skips cleaning. Not in `to_python`, which
    Django also applies to query values: a lookup or update() by number takes the value as given.
    """

    default_validators = [validate_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 25)
        super().__init__(*args, **kwargs)

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        return format_phone(value) or value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        value = format_phone(value) or value
        setattr(model_instance, self.attname, value)
        return value
