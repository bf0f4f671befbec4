"""The demo home page's sections and the demo's pictures, all drawn here (nothing is fetched).

The hero art is an abstract pattern in the brand's colours (decorative: it says nothing the text
does not); the clinic picture is a simple drawing of a clinic front, described for screen readers.
Their renditions are made when the pages showing them are published (home.signals).
"""

import io
import math

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter
from wagtail.images.models import Image

BRAND = (11, 79, 108)
BRAND_DARK = (8, 58, 80)
TINT = (227, 238, 244)
ACCENT = (168, 70, 27)


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def draw_hero_art(width=1200, height=800):
    """Soft overlapping arcs, like the range of a moving joint, on a brand-blue field."""
    image = PillowImage.new("RGB", (width, height), BRAND_DARK)
    draw = ImageDraw.Draw(image)
    for row in range(height):
        shade = row / height
        colour = tuple(int(a + (b - a) * shade) for a, b in zip(BRAND, BRAND_DARK, strict=True))
        draw.line([(0, row), (width, row)], fill=colour)
    centre = (int(width * 0.62), int(height * 0.58))
    for step in range(9):
        radius = 70 + step * 48
        colour = TINT if step % 3 else ACCENT
        box = [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius]
        start = 190 + step * 9
        draw.arc(box, start=start, end=start + 120 + step * 6, fill=colour, width=10 if step % 3 else 14)
    for index in range(14):
        angle = index * math.tau / 14
        x = centre[0] + math.cos(angle) * 55
        y = centre[1] + math.sin(angle) * 55
        draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=TINT)
    return image.filter(ImageFilter.GaussianBlur(1.2))


def draw_clinic(width=800, height=533):
    """A flat drawing of a two-storey clinic front with its entrance, windows and a palmetto."""
    image = PillowImage.new("RGB", (width, height), (214, 232, 241))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 0.82, width, height], fill=(196, 204, 196))
    left, right, top, ground = width * 0.18, width * 0.82, height * 0.22, height * 0.82
    draw.rectangle([left, top, right, ground], fill=(245, 241, 232), outline=BRAND_DARK, width=4)
    draw.rectangle([left - 12, top - 24, right + 12, top], fill=BRAND)
    for row in range(2):
        for column in range(5):
            x = left + 30 + column * (right - left - 60) / 5
            y = top + 30 + row * 110
            draw.rectangle([x, y, x + 60, y + 70], fill=(160, 196, 214), outline=BRAND_DARK, width=3)
    door_left = width / 2 - 45
    draw.rectangle([door_left, ground - 130, door_left + 90, ground], fill=BRAND, outline=BRAND_DARK, width=3)
    draw.rectangle([door_left - 30, ground - 160, door_left + 120, ground - 140], fill=ACCENT)
    trunk = width * 0.9
    draw.line([(trunk, ground), (trunk + 8, height * 0.45)], fill=(120, 94, 60), width=12)
    for angle in range(200, 341, 28):
        end = (trunk + 8 + math.cos(math.radians(angle)) * 70, height * 0.45 + math.sin(math.radians(angle)) * 40)
        draw.line([(trunk + 8, height * 0.45), end], fill=(46, 110, 70), width=10)
    return image


def _image(title, drawing, filename, description):
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = Image(title=title, description=description)
    image.file = ImageFile(io.BytesIO(_png(drawing)), name=filename)
    image.save()
    return image


def hero_image():
    return _image("Home page hero (demo art)", draw_hero_art(), "hero-art.png", "")


CLINIC_DRAWING_ALT_TEXT = "Drawing of a two-storey clinic front with a blue door under an orange awning"


def clinic_image():
    return _image("Charleston Clinic (demo drawing)", draw_clinic(), "clinic-front.png", CLINIC_DRAWING_ALT_TEXT)


def home_body(seed_page, conditions_index):
    """The demo home page's sections, using every block the home page offers."""
    return [
        (
            "hero",
            {
                "heading": "Orthopaedic and sports medicine care in Charleston, SC",
                "text": (
                    "Specialists for bones, joints, muscles and the spine: a clear diagnosis, "
                    "treatment that starts with the simplest option, and help getting back to what you love."
                ),
                "image": {"image": hero_image(), "decorative": True, "alt_text": ""},
                "primary_action": {"label": "Request an appointment", "page": None, "url": ""},  # the appointment page
                "secondary_action": {"label": "Find your condition", "page": conditions_index, "url": ""},
            },
        ),
        (
            "body_areas",
            {"heading": "Where does it hurt?", "text": "Choose an area to see the conditions we treat there."},
        ),
        ("featured_conditions", {"heading": "Common conditions we treat", "conditions": [seed_page]}),
        (
            "reasons",
            {
                "heading": "Why patients choose us",
                "reasons": [
                    {
                        "heading": "Specialists in one place",
                        "text": "Orthopaedic physicians and physical therapists who work together on your care.",
                    },
                    {
                        "heading": "The simplest treatment first",
                        "text": "Most back and joint problems get better without surgery; we start there.",
                    },
                    {
                        "heading": "Reviewed by physicians",
                        "text": (
                            "Our condition guides are checked by our physicians; each says who reviewed it and when."
                        ),
                    },
                ],
            },
        ),
        ("physicians", {"heading": "Meet our clinicians", "text": ""}),
        ("clinics", {"heading": "Visit us"}),
        (
            "closing_call_to_action",
            {
                "heading": "Ready to feel better?",
                "text": "Tell us what is bothering you and we will call you back to arrange a visit.",
                "action": {"label": "Request an appointment", "page": None, "url": ""},
            },
        ),
    ]


def ensure_home_body(home, seed_page, conditions_index, created):
    """Give the home page its demo sections when it has none; an editor's sections are kept."""
    if len(home.body):
        return
    home.body = home_body(seed_page, conditions_index)
    home.save_revision().publish()
    created.append("home page sections")


def ensure_clinic_picture(clinic, created):
    """The demo clinic's drawing and its parking and accessibility notes, on a clinic without them."""
    if clinic.photo_id:
        return
    clinic.photo = clinic_image()
    # On the page too, so that the Spanish page has it in Spanish (the image's own description is shared).
    clinic.photo_alt_text = CLINIC_DRAWING_ALT_TEXT
    if not clinic.parking:
        clinic.parking = "Free patient parking behind the building, with four accessible spaces by the rear door."
    if not clinic.accessibility:
        clinic.accessibility = (
            "Step-free entrances front and back, a lift to the second floor, accessible restrooms on both floors "
            "and wheelchairs to borrow at the front desk."
        )
    clinic.save_revision().publish()
    created.append("clinic picture, parking and accessibility")
