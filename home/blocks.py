"""The home page's blocks: hero, body areas, featured conditions, clinics, physicians, reasons, closing call.

Each block that lists pages (clinics, physicians, areas) finds them itself, through the page types'
site roles, so editors place and title the section and the site keeps its contents current.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

from home.i18n import in_visitor_language
from home.roles import live_page_for, page_type_for

PREVIEW_TEMPLATE = "blocks/preview.html"
# The hero's image, as blocks/hero_block.html asks for it (its renditions are made on publish).
HERO_PICTURE = "fill-{480x320,800x533,1200x800}-c100 format-{avif,webp}"


class ActionValue(blocks.StructValue):
    @property
    def href(self):
        """Where the button leads: the chosen page while it is live, else the address given, else ""."""
        page = self.get("page")
        if page is not None and page.live:
            return in_visitor_language(page).url
        return self.get("url") or ""


class ActionBlock(blocks.StructBlock):
    """A button: words and where it leads (a page of the site, or another address)."""

    label = blocks.CharBlock(
        max_length=60, required=False, help_text="Words on the button; they must make sense on their own."
    )
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="Or an address", help_text="Only when the button leaves the site.")

    class Meta:
        icon = "link"
        label = "Button"
        value_class = ActionValue

    # The hero's and the closing band's main button: with no destination, the appointment page.
    def __init__(self, *args, falls_back_to_appointment_page=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.falls_back_to_appointment_page = falls_back_to_appointment_page

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        if self.falls_back_to_appointment_page:
            kwargs["falls_back_to_appointment_page"] = True
        return path, args, kwargs

    def clean(self, value):
        value = super().clean(value)
        leads_somewhere = bool(value.get("page") or value.get("url"))
        if leads_somewhere and not value.get("label"):
            raise StructBlockValidationError({"label": ValidationError("Give the words on the button.")})
        if value.get("label") and not leads_somewhere and not self.falls_back_to_appointment_page:
            raise StructBlockValidationError({"page": ValidationError("Choose a page or give an address.")})
        return value


class HeroBlock(blocks.StructBlock):
    """The first thing a visitor sees: the page's main heading, a sentence or two, an image and actions."""

    heading = blocks.CharBlock(max_length=90, help_text="The page's main heading: what the practice does, and where.")
    text = blocks.TextBlock(max_length=300, help_text="One or two sentences under the heading.")
    image = ImageBlock(
        required=False,
        help_text="A wide photo; set its focal point so phones crop it well. Without one: a pattern in brand colours.",
    )
    primary_action = ActionBlock(
        required=False,
        falls_back_to_appointment_page=True,
        help_text="Leave the page and address empty to lead to the appointment page.",
    )
    secondary_action = ActionBlock(required=False)

    class Meta:
        icon = "image"
        label = "Hero"
        template = "blocks/hero_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "The page's heading with an image and up to two buttons; use it once, first."
        preview_value = {
            "heading": "Orthopaedic care in Charleston, SC",
            "text": "Diagnosis, treatment and recovery for bones, joints, muscles and the spine.",
            "secondary_action": {"label": "Browse conditions", "url": "https://example.com/conditions/"},
        }


class BodyAreasBlock(blocks.StructBlock):
    """The body areas that have condition pages, each a link to the conditions of that area."""

    heading = blocks.CharBlock(max_length=90, default="Where does it hurt?")
    text = blocks.TextBlock(required=False, max_length=300)

    class Meta:
        icon = "list-ul"
        label = "Conditions by body area"
        template = "blocks/body_areas_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Links to the conditions of each body area; areas without a live condition page are left out."
        preview_value = {"heading": "Where does it hurt?", "text": "Pick an area to see the conditions we treat."}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        index = live_page_for("condition list")
        context["condition_list"] = index
        context["areas"] = [area for area in index.specific.area_links() if area["count"]] if index else []
        return context


class FeaturedConditionsBlock(blocks.StructBlock):
    """A few condition pages chosen by the editors, with their summaries."""

    heading = blocks.CharBlock(max_length=90, default="Common conditions we treat")
    conditions = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="conditions.ConditionPage"), min_num=1, max_num=6, label="Condition pages"
    )

    class Meta:
        icon = "doc-full"
        label = "Featured conditions"
        template = "blocks/featured_conditions_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Up to six condition pages shown as cards; unpublished ones are left out."
        preview_value = {"heading": "Common conditions we treat", "conditions": []}


class ClinicsBlock(blocks.StructBlock):
    """The practice's clinics with their address, phone, today's hours and whether they are open now."""

    heading = blocks.CharBlock(max_length=90, default="Our clinics")

    class Meta:
        icon = "site"
        label = "Clinics"
        template = "blocks/clinics_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Every live clinic, primary first, with today's hours worked out when the page is shown."
        preview_value = {"heading": "Our clinics"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        clinic_type = page_type_for("clinic")
        request = context.get("request")
        clinics = clinic_type.live_clinics() if clinic_type else []
        context["clinics"] = [(clinic, clinic.hours_now(request)) for clinic in clinics]
        return context


class PhysiciansBlock(blocks.StructBlock):
    """The practice's clinicians, as cards linking to their pages."""

    heading = blocks.CharBlock(max_length=90, default="Meet our physicians")
    text = blocks.TextBlock(required=False, max_length=300)

    class Meta:
        icon = "user"
        label = "Physicians"
        template = "blocks/physicians_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Every live clinician, in the physicians page's order."
        preview_value = {"heading": "Meet our physicians"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        physician_type = page_type_for("physician")
        context["physicians"] = physician_type.live_physicians() if physician_type else []
        context["physician_list"] = live_page_for("physician list")
        return context


class ReasonBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock(max_length=300)

    class Meta:
        icon = "tick"
        label = "Reason"
        label_format = "{heading}"


class ReasonsBlock(blocks.StructBlock):
    """Why patients choose the practice: a few short, specific points."""

    heading = blocks.CharBlock(max_length=90, default="Why patients choose us")
    reasons = blocks.ListBlock(ReasonBlock(), min_num=2, max_num=6)

    class Meta:
        icon = "tick-inverse"
        label = "Why patients choose us"
        template = "blocks/reasons_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Two to six short points, each with a heading; say what is true and checkable."
        preview_value = {
            "heading": "Why patients choose us",
            "reasons": [
                {"heading": "Specialists", "text": "Board-certified orthopaedic surgeons and therapists."},
                {"heading": "Close to home", "text": "Clinics across the Charleston area."},
            ],
        }


class ClosingCallToActionBlock(blocks.StructBlock):
    """A closing invitation to get in touch: a heading, a sentence, the appointment button and the phone."""

    heading = blocks.CharBlock(max_length=90, default="Ready to feel better?")
    text = blocks.TextBlock(max_length=300, required=False)
    action = ActionBlock(
        required=False,
        falls_back_to_appointment_page=True,
        help_text="Leave the page and address empty to lead to the appointment page.",
    )

    class Meta:
        icon = "calendar-check"
        label = "Closing call to action"
        template = "blocks/closing_cta_block.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A band with the appointment button and the practice's phone number."
        preview_value = {"heading": "Ready to feel better?", "text": "Ask for an appointment online or call us."}


class HomePageBlocks(blocks.StreamBlock):
    hero = HeroBlock()
    body_areas = BodyAreasBlock()
    featured_conditions = FeaturedConditionsBlock()
    clinics = ClinicsBlock()
    physicians = PhysiciansBlock()
    reasons = ReasonsBlock()
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
        icon="pilcrow",
        template="blocks/home_text_block.html",
        preview_template=PREVIEW_TEMPLATE,
        preview_value="<h2>About the practice</h2><p>Orthopaedic care in Charleston since the practice opened.</p>",
        description="A few paragraphs about the practice; use Heading 2 for a section's heading.",
    )
    closing_call_to_action = ClosingCallToActionBlock()

    class Meta:
        block_counts = {"hero": {"max_num": 1}, "closing_call_to_action": {"max_num": 1}}
