"""The demo's logo: a mark drawn here (no image is fetched), set as Settings → Practice → Logo.

A white rounded square with the practice's initials and a joint-like arc in the brand's colours,
drawn at 192 px, from which the header takes a 96 px copy that stays crisp on sharp screens.
"""

import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from home.models import HEADER_LOGO, PracticeSettings

SIZE = 192
BRAND = "#0b4f6c"
ACCENT = "#a8461b"


def draw_logo():
    """The mark as PNG bytes."""
    image = PillowImage.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([4, 4, SIZE - 4, SIZE - 4], radius=36, fill="white")
    draw.arc([30, 30, SIZE - 30, SIZE - 30], start=200, end=340, fill=ACCENT, width=12)
    font = ImageFont.load_default(size=78)
    left, top, right, bottom = draw.textbbox((0, 0), "SC", font=font)
    draw.text(((SIZE - (right - left)) / 2 - left, SIZE * 0.56 - (bottom - top) / 2 - top), "SC", font=font, fill=BRAND)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def ensure_logo(created):
    """Set the demo logo when the practice has none; an editor's own logo is kept."""
    practice = PracticeSettings.load()
    if practice.logo_id:
        return
    logo = Image(title="Practice logo (demo)")
    logo.file = ImageFile(io.BytesIO(draw_logo()), name="practice-logo.png")
    logo.save()
    # Made now, so that no visitor's request has to write them.
    for spec in (HEADER_LOGO, "width-400"):
        logo.get_rendition(spec)
    practice.logo = logo
    # A save, not an update(): saving a setting renews the page cache (pagecache/signals.py).
    practice.save(update_fields=["logo"])
    created.append("demo logo in Settings → Practice")
