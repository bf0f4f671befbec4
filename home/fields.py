"""A model field for a few choices ticked from a fixed list (weekdays, body areas)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.CharField):
    """Several of `choices`, stored as their keys separated by commas and read as a list.

    Shown in the editor as tick boxes. The keys must not contain commas.
    """

    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [key for key in (value or "").split(",") if key]

    def get_prep_value(self, value):
        # A string is a lookup's value (e.g. body_areas__contains=",knee,"), kept as it is.
        return value if isinstance(value, str) else ",".join(value or [])

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        known = {key for key, _ in self.choice_list}
        unknown = [key for key in self.to_python(value) if key not in known]
        if unknown:
            raise ValidationError(f"Unknown choice: {', '.join(unknown)}.")
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        options = {
            "choices": self.choice_list,
            "required": not self.blank,
            "label": self.verbose_name.capitalize(),
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        # What a form asks of every field (a label, initial value, disabled), but not CharField's own.
        options.update({key: value for key, value in kwargs.items() if key not in ("max_length", "form_class")})
        return forms.TypedMultipleChoiceField(**options)

    def labels(self, value):
        """The labels of the keys in `value`, in the order of the choice list."""
        chosen = set(self.to_python(value))
        return [label for key, label in self.choice_list if key in chosen]
