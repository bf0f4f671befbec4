"""Deploy checks: no live clinician page may still be one of the demo's made-up clinicians."""

from django.core import checks
from django.db import DatabaseError

from physicians.models import PhysicianPage


def no_live_placeholder_physicians(app_configs=None, **kwargs):
    """A made-up clinician on a launched site would mislead patients about who treats them."""
    try:
        placeholders = list(PhysicianPage.objects.live().filter(is_placeholder=True).order_by("title"))
    except DatabaseError:
        return []  # no database yet (a first deployment before migrate)
    return [
        checks.Error(
            f"The physician page “{physician.title}” ({physician.url}) is live with demo data to replace.",
            hint="Replace it with one of the practice's clinicians and untick “demo data to replace”, or unpublish it.",
            obj=physician,
            id="physicians.E001",
        )
        for physician in placeholders
    ]


def register():
    checks.register(no_live_placeholder_physicians, "content", deploy=True)
