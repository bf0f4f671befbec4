"""The visitor's form: the fields editors build in the admin, plus the few the practice always needs."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.models import Page

from appointments import spam
from home.i18n import localized
from home.models import page_type_for
from home.phone import INVALID_PHONE_MESSAGE, format_phone

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
SOURCE_FIELD = "came_from"
# Names the form adds itself; an editor's field may not take one of them.
RESERVED_FIELD_NAMES = {HONEYPOT_FIELD, STARTED_FIELD, SOURCE_FIELD}

# What a browser may fill in without being told, by field type.
DEFAULT_AUTOCOMPLETE = {"email": "email", "phone": "tel"}
MULTILINE_MAX_LENGTH = 2000

EXPIRED_FORM_MESSAGE = gettext_lazy(
    "Your request was not sent: the form had been open for a long time. Please check your details and send it again."
)


class PhoneInput(forms.TextInput):
    input_type = "tel"


class PhoneField(forms.CharField):
    """A ten-digit North American number, stored as (843) 555-0100 however it was typed."""

    widget = PhoneInput(attrs={"inputmode": "tel"})
    default_error_messages = {"invalid": INVALID_PHONE_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        formatted = format_phone(value)
        if not formatted:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return formatted


class UncheckedField(forms.Field):
    """A field that accepts whatever arrives: the form reads these itself, and a visitor must never
    be stopped by an error on a field they cannot see."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return value if isinstance(value, str) else ""


def clinic_choices():
    clinic_model = page_type_for("clinic")
    if clinic_model is None:
        return []
    # The clinics' pages in the form's language, where they are translated.
    clinics = localized(clinic_model.objects.live().public()).order_by("-is_primary", "title")
    return [(title, title) for title in clinics.values_list("title", flat=True)]


def physician_choices():
    """The clinicians taking new patients, by name and credentials; each one's page slug alongside."""
    physician_model = page_type_for("physician")
    if physician_model is None:
        return []
    return [
        (physician.display_name, physician.slug)
        for physician in physician_model.live_physicians()
        if physician.accepting_new_patients
    ]


CHOICE_FIELD_TYPES = {"dropdown", "radio", "multiselect", "checkboxes", "clinic", "physician"}


class AppointmentFormBuilder(FormBuilder):
    def get_field_options(self, field):
        options = super().get_field_options(field)
        # Django's "This field is required." does not say which field when read out of context,
        # as in the summary of problems at the top of the form.
        if field.field_type == "checkbox":
            required = _("Tick “%(label)s” to send your request.")
        elif field.field_type in CHOICE_FIELD_TYPES:
            required = _("Choose an answer for “%(label)s”.")
        else:
            required = _("Fill in “%(label)s”.")
        # In the language of the page being served (the form is built for each request).
        options["error_messages"] = {
            "required": required % {"label": field.label},
            "invalid_choice": _("Choose one of the answers listed for “%(label)s”.") % {"label": field.label},
        }
        return options

    def create_multiline_field(self, field, options):
        options.setdefault("max_length", MULTILINE_MAX_LENGTH)
        return super().create_multiline_field(field, options)

    def create_phone_field(self, field, options):
        return PhoneField(**options)

    def create_clinic_field(self, field, options):
        # Read from the clinic pages each time, so a new clinic appears without editing the form.
        choices = clinic_choices()
        if not choices:
            # No clinic is published: a required question nobody can answer would block every request.
            return UncheckedField(widget=forms.HiddenInput)
        if len(choices) == 1:
            options["initial"] = choices[0][0]
        else:
            options["initial"] = None
            choices = [("", _("Choose a clinic")), *choices]
        return forms.ChoiceField(choices=choices, **options)

    def create_physician_field(self, field, options):
        # Optional whatever the editor chose: a patient who has no preference is not stopped.
        options["required"] = False
        choices = [(name, name) for name, _ in physician_choices()]
        if not choices:
            return UncheckedField(widget=forms.HiddenInput)
        return forms.ChoiceField(choices=[("", _("No preference")), *choices], **options)

    @property
    def formfields(self):
        formfields = {}
        for field in self.fields:
            formfield = self.get_create_field_function(field.field_type)(field, self.get_field_options(field))
            autocomplete = field.autocomplete or DEFAULT_AUTOCOMPLETE.get(field.field_type)
            if autocomplete:
                formfield.widget.attrs["autocomplete"] = autocomplete
            # Unsaved fields (in a preview) have no clean name yet.
            formfields[field.clean_name or field.get_field_clean_name()] = formfield
        return formfields

    def get_form_class(self):
        return type("AppointmentRequestForm", (AppointmentForm,), self.formfields)


class AppointmentForm(BaseForm):
    """Base class of the built form: adds the honeypot, the start time and the page the visitor came from."""

    website = UncheckedField(
        label=gettext_lazy("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_started = UncheckedField(widget=forms.HiddenInput)
    came_from = UncheckedField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial[STARTED_FIELD] = spam.issue_form_token()

    # --- for the template ------------------------------------------------------------------

    @property
    def patient_fields(self):
        """The fields the visitor fills in, in the editor's order (hidden ones go with the hidden fields)."""
        return [self[name] for name in self.fields if name not in RESERVED_FIELD_NAMES and not self[name].is_hidden]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @property
    def error_summary(self):
        """[(anchor, message)] for the list of problems at the top of the form."""
        items = [("", error) for error in self.non_field_errors()]
        for field in self.patient_fields:
            anchor = field.id_for_label or f"{field.auto_id}_0"
            items.extend((anchor, error) for error in field.errors)
        return items

    # --- spam checks -----------------------------------------------------------------------

    @property
    def looks_automated(self):
        """True for a post made by a bot: the honeypot is filled in or the form came back too fast."""
        if self.data.get(HONEYPOT_FIELD, "").strip():
            return True
        age = spam.form_token_age(self.data.get(STARTED_FIELD, ""))
        return age is not None and age < spam.MIN_FILL_SECONDS

    def clean(self):
        cleaned_data = super().clean()
        if spam.form_token_age(self.data.get(STARTED_FIELD, "")) is None:
            # Missing, forged or expired: a person sees the form again, with their answers.
            self.data = self.data.copy()
            self.data[STARTED_FIELD] = spam.issue_form_token()
            raise forms.ValidationError(EXPIRED_FORM_MESSAGE, code="expired")
        return cleaned_data

    # --- what is stored --------------------------------------------------------------------

    def submission_data(self):
        """The visitor's answers, without the fields the form adds for itself."""
        return {name: value for name, value in self.cleaned_data.items() if name not in RESERVED_FIELD_NAMES}

    def source_page(self):
        """The live page the visitor came from, or None. Only an id is accepted, never free text."""
        value = self.cleaned_data.get(SOURCE_FIELD, "")
        if not re.fullmatch(r"[0-9]{1,18}", value):
            return None
        return Page.objects.live().filter(pk=int(value)).first()
