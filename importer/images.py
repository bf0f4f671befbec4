"""The old pages' images: found in the export's or the saved pages' folder, imported once each
(matched by their content), with their alt text as the image's description."""

import hashlib
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from home.images import scaled_down
from importer.models import ImportedImage

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def max_image_bytes():
    return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


class ImageFinder:
    """Finds an image's file under `folder`: by its address's path ("wp-content/uploads/…"), beside
    the page, or anywhere in the folder by its file name. Never outside the folder."""

    def __init__(self):
        self._by_name = {}

    def find(self, folder, src, page_url):
        if folder is None or not src:
            return None
        folder = Path(folder).resolve()
        path = unquote(urlsplit(urljoin(page_url, src)).path)
        name = Path(path).name
        if Path(name).suffix.lower() not in IMAGE_SUFFIXES:
            return None
        for candidate in (folder / path.lstrip("/"), folder / unquote(urlsplit(src).path).lstrip("/")):
            candidate = candidate.resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate
        if folder not in self._by_name:
            self._by_name[folder] = {}
            for found in folder.rglob("*"):
                if found.suffix.lower() in IMAGE_SUFFIXES and found.is_file():
                    self._by_name[folder].setdefault(found.name, found)
        return self._by_name[folder].get(name)


def known_image(path):
    """The library's image imported from this file before, or None."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    known = ImportedImage.objects.filter(source_digest=digest).first()
    return known.image_id if known else None


def import_image(path, alt_text):
    """The library's image with this file's content, imported now if it is not there yet; None
    (with the reason) when the file is too large or not an image."""
    data = path.read_bytes()
    if len(data) > max_image_bytes():
        return None, f"Image {path.name} is larger than the image library accepts."
    digest = hashlib.sha256(data).hexdigest()
    known = ImportedImage.objects.filter(source_digest=digest).select_related("image").first()
    if known is not None:
        return known.image, ""
    upload = SimpleUploadedFile(path.name, data)
    try:
        with PillowImage.open(upload) as opened:
            opened.verify()
        upload = scaled_down(upload)
    except (UnidentifiedImageError, OSError, SyntaxError):
        return None, f"Image {path.name} could not be read as an image."
    image = get_image_model()(title=(alt_text or path.stem)[:255], description=alt_text[:255], file=upload)
    image._set_image_file_metadata()
    image.save()
    ImportedImage.objects.create(source_digest=digest, image=image)
    return image, ""
