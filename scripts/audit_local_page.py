"""Adds a local condition page to the audit's throw-away database, so that page type is audited too.

The demo content has none: a local page needs real local substance (the doorway guard sees to
that), which only the practice can write. This sample exists only in the audit's database.
Run through `manage.py shell`, after load_demo_content.
"""

from wagtail.rich_text import RichText

from conditions.models import ConditionPage, LocalConditionPage
from locations.models import LocationPage

SAMPLE = (
    "Our Charleston clinic sits a short walk from the Medical University campus, with covered parking "
    "beside the entrance and an elevator to the second floor. Appointments start at seven on weekdays, "
    "so nurses finishing night shifts, dockworkers and restaurant staff can come before sleeping or "
    "working. Our physical therapists share the building, which lets the doctor watch you bend, lift "
    "or climb stairs during the same visit. Many neighbours ask whether long drives over the Ravenel "
    "Bridge, hours on a shrimp boat or weekend tennis on Daniel Island make flare-ups worse; we answer "
    "those questions one by one, write home exercises around irregular shifts, and arrange imaging "
    "nearby so nobody waits weeks for results."
)

seed = ConditionPage.objects.get(slug="sciatica-back-spasms")
if not LocalConditionPage.objects.child_of(seed).exists():
    page = seed.add_child(
        instance=LocalConditionPage(
            title="Back Spasm Care at Our Charleston Clinic",
            slug="charleston",
            location=LocationPage.objects.get(slug="charleston"),
            summary="What to expect when you see us for back spasms at our Charleston clinic.",
            body=[("text_section", {"heading": "Visiting us in Charleston", "text": RichText(f"<p>{SAMPLE}</p>")})],
        )
    )
    page.save_revision().publish()
    if not page.passes_guard:
        raise SystemExit(f"The sample local page fails the doorway guard: {page.guard_result().reasons}")
