"""What a page shows when it is shared: its social image, the default one, or a card drawn for it.

A page without a social image of its own, on a site without a default one, still gets a 1200 × 630
card (the brand's colours, the page title and the practice's name) so that no share shows an empty
box. A card is drawn once and kept in the media storage under a name made from what it shows: a
retitled page gets a new card, and a card is never drawn twice.
"""

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

# The size Open Graph recommends: large previews on Facebook, LinkedIn and X.
SOCIAL_IMAGE_FILTER = "fill-1200x630"
CARD_SIZE = (1200, 630)
BACKGROUND = "#0b4f6c"  # the site's theme colour
ACCENT = "#7cc6de"
TEXT = "#ffffff"
MARGIN = 80
# Part of every card's name: changing the design draws new cards instead of serving old ones.
DESIGN = "2026-11"

_known_cards = set()


def card_path(title, name):
    digest = hashlib.sha256(f"{DESIGN}\n{title}\n{name}".encode()).hexdigest()[:24]
    return f"social-cards/{digest}.png"


def _wrapped(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _title_lines(draw, title, width, max_lines=3):
    """The title in the largest size that fits on three lines; cut with an ellipsis if none does."""
    for size in (76, 68, 60, 52):
        font = ImageFont.load_default(size=size)
        lines = _wrapped(draw, title, font, width)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    lines[-1] = lines[-1].rstrip(" ,;:.") + "…"
    return font, lines


def draw_card(title, name):
    """The card as PNG bytes."""
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = CARD_SIZE[0] - 2 * MARGIN
    draw.rectangle([0, 0, 24, CARD_SIZE[1]], fill=ACCENT)
    font, lines = _title_lines(draw, title, width)
    line_height = int(font.size * 1.2)
    top = MARGIN + 20
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=TEXT)
    name_font = ImageFont.load_default(size=36)
    name_lines = _wrapped(draw, name, name_font, width)[:2]
    bottom = CARD_SIZE[1] - MARGIN
    draw.line(
        [MARGIN, bottom - 44 * len(name_lines) - 28, MARGIN + 160, bottom - 44 * len(name_lines) - 28],
        fill=ACCENT,
        width=6,
    )
    for number, line in enumerate(name_lines):
        draw.text((MARGIN, bottom - 44 * (len(name_lines) - number)), line, font=name_font, fill=ACCENT)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def card_url(title, name):
    """The card's address in the media storage, drawn and stored the first time it is asked for."""
    storage = storages["default"]
    path = card_path(title, name)
    # Remembered per storage: one replaced by new settings (in tests) has none of the cards yet.
    known = (id(storage), path)
    if known not in _known_cards:
        if not storage.exists(path):
            # Two processes drawing the same card at once store two copies; either serves.
            storage.save(path, ContentFile(draw_card(title, name)))
        _known_cards.add(known)
    return storage.url(path)


def share_image(page, practice, origin):
    """{"url", "width", "height", "alt"} of what a share of the page shows; None if even the card
    cannot be made (the storage failing must not take the page down)."""
    image = practice.social_image_for(page)
    if image is not None:
        rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
        url, width, height, alt = rendition.url, rendition.width, rendition.height, rendition.alt
    else:
        try:
            url = card_url(page.title, practice.practice_name)
        except Exception:
            logger.exception("The social card for %s could not be made", page.url_path)
            return None
        (width, height), alt = CARD_SIZE, page.title
    return {"url": f"{origin}{url}" if url.startswith("/") else url, "width": width, "height": height, "alt": alt}
