"""Deploy checks: no live clinic may still hold the demo data it was created with."""

from django.core import checks
from django.db import DatabaseError

from locations.models import LocationPage


def no_live_placeholder_clinics(app_configs=None, **kwargs):
    """A live clinic ticked "demo data to replace" is kept out of search engines and structured
    data; going live with it would hide the practice's own clinic, so the deployment stops here."""
    try:
        placeholders = list(LocationPage.objects.live().filter(is_placeholder=True).order_by("title"))
    except DatabaseError:
        return []  # no database yet (a first deployment before migrate)
    return [
        checks.Error(
            f"The clinic “{clinic.title}” ({clinic.url}) is live "
            "with demo data to replace: its address and phone are placeholders.",
            hint="Enter the clinic's real address and phone, then untick “demo data to replace” on its page.",
            obj=clinic,
            id="locations.E001",
        )
        for clinic in placeholders
    ]


def register():
    checks.register(no_live_placeholder_clinics, "content", deploy=True)
