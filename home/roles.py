"""How shared code finds a page type without importing the app that defines it: by its site role."""

from wagtail.models import get_page_models

from home.i18n import localized

SITE_ROLES = {
    "clinic": "one of the practice's clinics (has is_primary, city, state)",
    "condition": "a page about one condition, written when searches find nothing",
    "condition list": "the list of the conditions the practice treats",
    "treatment": "a page about one treatment, which condition pages link to",
    "physician": "a page about one clinician, who may review condition pages",
    "physician list": "the list of the practice's clinicians",
}


def page_type_for(role):
    """The page type that plays `role` (BasePage.site_role), or None when no installed app has one."""
    return next((model for model in get_page_models() if getattr(model, "site_role", "") == role), None)


def primary_location():
    """The practice's primary clinic, or its first live clinic, or None; never one in a private section.
    In the visitor's language when the clinic page is translated."""
    clinic_model = page_type_for("clinic")
    if clinic_model is None:
        return None
    return localized(clinic_model.objects.live().public()).order_by("-is_primary", "path").first()


def live_page_for(role):
    """The first live, public page playing `role` (e.g. the condition list) in the visitor's language, or None."""
    model = page_type_for(role)
    return localized(model.objects.live().public()).order_by("path").first() if model is not None else None
