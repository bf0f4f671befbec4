"""Makes the audit's throw-away database look like a launched site.

The demo clinic and clinicians are ticked "demo data to replace", which keeps them out of search
engines; the audit judges their pages as they will be once launched, so that is undone here. And the
demo content has no local condition page: one needs real local substance (the doorway guard sees to
that), which only the practice can write, so a sample is added for that page type to be audited too.
A service-area page for a town without a clinic is added the same way. All of it exists only in
the audit's database. Run through `manage.py shell`, after load_demo_content.
"""

from wagtail.rich_text import RichText

from conditions.models import ConditionPage, LocalConditionPage
from conditions.service_areas import ServiceAreaPage
from locations.models import LocationPage
from locations.towns import Town
from physicians.models import PhysicianPage

SAMPLE = (
    "Our Charleston clinic sits a short walk from the Medical University campus, with covered parking "
    "beside the entrance and an elevator to the second floor. Appointments start at seven on weekdays, "
    "so nurses finishing night shifts, dockworkers and restaurant staff can come before sleeping or "
    "working. Our physical therapists share the building, which lets the doctor watch you bend, lift "
    "or climb stairs during the same visit. Many neighbours ask whether long drives over the Ravenel "
    "Bridge, hours on a shrimp boat or weekend tennis on Daniel Island make flare-ups worse; we answer "
    "those questions one by one, write home exercises around irregular shifts, and arrange imaging "
    "nearby so nobody waits weeks for results. Ask the front desk about Saturday follow-up calls, "
    "evening physiotherapy slots and interpreters for Spanish-speaking families."
)

# The clinic and its Spanish translation (same slug), whose address is kept in step with it.
for clinic in LocationPage.objects.filter(slug="charleston", is_placeholder=True):
    clinic.street_address = "96 Jonathan Lucas Street"
    clinic.is_placeholder = False
    clinic.save_revision().publish()

# The demo's made-up clinicians are hidden from search engines until replaced; audit them as launched.
for physician in PhysicianPage.objects.filter(is_placeholder=True):
    physician.is_placeholder = False
    physician.save_revision().publish()

seed = ConditionPage.objects.get(slug="sciatica-back-spasms")
if not LocalConditionPage.objects.child_of(seed).exists():
    page = seed.add_child(
        instance=LocalConditionPage(
            title="Back Spasm Care at Our Charleston Clinic",
            slug="charleston",
            location=LocationPage.objects.get(slug="charleston", locale__language_code="en"),
            summary="What to expect when you see us for back spasms at our Charleston clinic.",
            body=[("text_section", {"heading": "Visiting us in Charleston", "text": RichText(f"<p>{SAMPLE}</p>")})],
        )
    )
    page.save_revision().publish()
    if not page.passes_guard:
        raise SystemExit(f"The sample local page fails the doorway guard: {page.guard_result().reasons}")

TOWN_SAMPLE = (
    "Patients from Summerville reach our Charleston clinic in about half an hour down Interstate 26, and "
    "most come before the morning traffic builds near the Ashley Phosphate exit. Parents coaching Little "
    "League at Gahagan Park, nurses from Trident Medical Center and warehouse crews from the Ridgeville "
    "distribution centres tell us their backs seize after long shifts or a weekend on the bleachers. We "
    "book imaging and therapy on the same morning so one trip does, give home exercises that fit around "
    "school runs on Central Avenue, and answer questions about driving with sciatica on the commute back "
    "up Dorchester Road. Families from Nexton, Knightsville and Cane Bay often ask whether a standing "
    "desk, a firmer mattress or swimming at the local YMCA would help; our therapists show which suit them."
)

if not ServiceAreaPage.objects.child_of(seed).exists():
    town, _ = Town.objects.get_or_create(
        name="Summerville", state="SC", defaults={"latitude": "33.018500", "longitude": "-80.175600"}
    )
    page = seed.add_child(
        instance=ServiceAreaPage(
            title="Back Spasm Care for Summerville Patients",
            slug="summerville",
            town=town,
            summary="What patients from Summerville should know about seeing us for back spasms.",
            body=[("text_section", {"heading": "Coming from Summerville", "text": RichText(f"<p>{TOWN_SAMPLE}</p>")})],
        )
    )
    page.save_revision().publish()
    if not page.passes_guard:
        raise SystemExit(f"The sample service-area page fails the doorway guard: {page.guard_result().reasons}")
