"""Photos straight from a phone: accepted up to WAGTAILIMAGES_MAX_UPLOAD_SIZE, scaled down on upload.

A phone photo is 12 MB and 4000 pixels wide or more; no page shows an image wider than a few
hundred pixels at twice the density. Keeping the original at full size costs disk, backups and the
time every new rendition takes, so uploads are scaled down to IMAGE_MAX_SIDE pixels on their longest
side (turned upright first, by their EXIF orientation) before Wagtail stores them.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps
from wagtail.images.forms import BaseImageForm

# Formats Pillow writes back as they came; anything else is stored untouched.
SAVE_OPTIONS = {
    "JPEG": {"quality": 88, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 88},
}


def max_side():
    return getattr(settings, "IMAGE_MAX_SIDE", 3000)


def scaled_down(upload):
    """The uploaded file, scaled to max_side() on its longest side, or unchanged when small enough."""
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        if image_format not in SAVE_OPTIONS or max(image.size) <= max_side():
            upload.seek(0)
            return upload
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((max_side(), max_side()), Image.Resampling.LANCZOS)
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        buffer = io.BytesIO()
        upright.save(buffer, image_format, **SAVE_OPTIONS[image_format])
    name = Path(upload.name).name
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=getattr(upload, "content_type", None))


class ImageForm(BaseImageForm):
    """Wagtail's image form (single and multiple upload), scaling large photos down."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data and hasattr(upload, "read"):
            return scaled_down(upload)
        return upload
