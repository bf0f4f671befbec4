"""Makes the audit's throw-away database look like a launched site.

The demo clinic is ticked "demo data to replace", which keeps it out of search engines; the audit
judges clinic pages as they will be once launched, so its details are replaced here. And the demo
content has no local condition page: one needs real local substance (the doorway guard sees to
that), which only the practice can write, so a sample is added for that page type to be audited too.
Both exist only in the audit's database. Run through `manage.py shell`, after load_demo_content.
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

clinic = LocationPage.objects.get(slug="charleston")
if clinic.is_placeholder:
    clinic.street_address = "96 Jonathan Lucas Street"
    clinic.is_placeholder = False
    clinic.save_revision().publish()

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
