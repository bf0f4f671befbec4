"""Plain builder functions for the pages and data the tests need."""

import datetime

from django.core.management import call_command
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from conditions.models import ConditionIndexPage, ConditionPage
from home.models import HomePage
from locations.models import LocationIndexPage, LocationPage


def load_demo_site():
    """The demo site exactly as `make run` builds it; returns the seed condition page."""
    call_command("load_demo_content", stdout=_Discard())
    return ConditionPage.objects.get(slug="sciatica-back-spasms")


def load_demo_site_with_spanish():
    """The demo site with its Spanish pages (`load_demo_content --spanish`); returns the English seed page."""
    call_command("load_demo_content", "--spanish", stdout=_Discard())
    return ConditionPage.objects.get(slug="sciatica-back-spasms")


def home_page():
    return HomePage.objects.get()


def condition_index():
    return ConditionIndexPage.objects.get()


def location_index():
    return LocationIndexPage.objects.get()


def make_image(title="Spine model"):
    return Image.objects.create(title=title, file=get_test_image_file(filename="spine.png"))


def every_block_body(contact_page, image):
    """A StreamField value using every condition block type once."""
    return [
        ("symptoms", {"heading": "Symptoms", "intro": "", "symptoms": ["Pain down one leg", "Numb toes"]}),
        (
            "causes",
            {
                "heading": "Causes",
                "intro": "Usually one of these:",
                "causes": [
                    {"name": "Herniated disc", "explanation": "A disc presses on the sciatic nerve."},
                    {"name": "Spinal stenosis", "explanation": "The spinal canal narrows with age."},
                ],
            },
        ),
        (
            "complications",
            {
                "heading": "Complications",
                "text": RichText("<p>Untreated compression can weaken the leg.</p>"),
                "complications": ["Leg weakness"],
            },
        ),
        (
            "treatment",
            {
                "heading": "Treatment",
                "intro": "Most people improve without surgery.",
                "options": [
                    {"name": "Epidural steroid injection", "kind": "injection", "explanation": "Eases inflammation."},
                    {"name": "Microdiscectomy", "kind": "surgery", "explanation": "Removes the part of the disc."},
                ],
            },
        ),
        (
            "when_to_seek_care",
            {
                "heading": "When to call 911",
                "urgency": "emergency",
                "text": RichText("<p>Loss of bladder control with back pain.</p>"),
            },
        ),
        (
            "faq",
            {
                "heading": "Questions",
                "questions": [{"question": "Will it go away?", "answer": RichText("<p>Often within weeks.</p>")}],
            },
        ),
        ("text_section", {"heading": "Living with sciatica", "text": RichText("<p>Keep <b>moving</b>.</p>")}),
        ("image", {"image": image, "alt_text": "A model of the lumbar spine", "decorative": False, "caption": ""}),
        ("call_to_action", {"text": "Talk to us.", "link_label": "Request an appointment", "page": contact_page}),
    ]


def make_condition(parent=None, title="Sciatica", body=None, publish=True, **fields):
    parent = parent or condition_index()
    fields.setdefault("summary", f"{title} is a condition we treat.")
    page = parent.add_child(instance=ConditionPage(title=title, body=body or [], live=publish, **fields))
    if fields.get("reviewed_by"):
        # As approval through the Medical review workflow would: the content shown is what was reviewed
        # (read back as stored, as approval reads the revision).
        page.reviewed_content_digest = ConditionPage.objects.get(pk=page.pk).medical_content_digest()
        page.save(update_fields=["reviewed_content_digest"])
    if publish:
        page.save_revision().publish()
    return page


def make_clinic(title="Summerville Clinic", treats=(), **fields):
    """A live clinic under Our Locations, published as an editor would, that treats these conditions."""
    fields = {
        "street_address": "1 Main St",
        "city": "Summerville",
        "postal_code": "29483",
        "phone": "843-555-0143",
        **fields,
    }
    clinic = location_index().add_child(instance=LocationPage(title=title, **fields))
    clinic.conditions_treated = list(treats)
    clinic.save_revision().publish()
    return clinic


def publish_change(page, **fields):
    """Publish a new revision of the page with these fields changed, as an editor would."""
    page = page.specific.__class__.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def reviewed(**fields):
    """Review fields as an approval sets them; make_condition fingerprints the content they vouch for."""
    return {"reviewed_by": "Jane Doe, MD", "last_reviewed": datetime.date(2026, 11, 2), **fields}


class _Discard:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def form_question_rows(page):
    """The appointment page's questions as its editor form posts them (for inline_formset)."""
    return [
        {
            "id": field.pk,
            "label": field.label,
            "help_text": field.help_text,
            "required": "on" if field.required else "",
            "field_type": field.field_type,
            "choices": field.choices,
            "default_value": field.default_value,
            "autocomplete": field.autocomplete,
            "ORDER": str(order),
        }
        for order, field in enumerate(page.form_fields.all())
    ]


def launch_demo_clinic():
    """The demo clinic with its demo data replaced (as a practice does before going live)."""
    clinic = LocationPage.objects.get(slug="charleston")
    clinic.street_address = "96 Jonathan Lucas Street"
    clinic.is_placeholder = False
    clinic.save_revision().publish()
    return LocationPage.objects.get(pk=clinic.pk)


def strip_blocks(page, *block_types):
    """Publish the page with its blocks of these types taken out (a page that lacks them)."""
    page = page.specific.__class__.objects.get(pk=page.pk)
    page.body = [(block.block_type, block.value) for block in page.body if block.block_type not in block_types]
    page.save_revision().publish()
    return page.__class__.objects.get(pk=page.pk)
