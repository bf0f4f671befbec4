"""Editors upload photos straight from a phone: large files are accepted and scaled down."""

import io
import os

from django.contrib.auth import get_user_model
from django.test import TestCase
from PIL import Image as PillowImage
from wagtail.images.models import Image

MiB = 1024 * 1024


def phone_photo(width=4000, height=3000, orientation=None):
    """A JPEG as a phone takes it: 12 megapixels of detail, several MB, maybe an EXIF orientation."""
    noise = PillowImage.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    exif = PillowImage.Exif()
    if orientation:
        exif[0x0112] = orientation
    noise.save(buffer, "JPEG", quality=95, exif=exif)
    buffer.name = "IMG_0412.jpg"
    buffer.seek(0)
    return buffer


class PhotoUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@scsportsmed.example", "pw")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_a_twelve_megabyte_phone_photo_is_accepted_and_scaled_to_3000_pixels(self):
        photo = phone_photo()
        self.assertGreater(len(photo.getvalue()), 10 * MiB)
        response = self.client.post("/admin/images/add/", {"title": "Knee exam", "file": photo})
        self.assertEqual(response.status_code, 302, response.content[:2000])
        image = Image.objects.get(title="Knee exam")
        self.assertEqual((image.width, image.height), (3000, 2250))
        self.assertLess(image.file_size, len(photo.getvalue()))
        with image.open_file() as stored, PillowImage.open(stored) as opened:
            self.assertEqual(opened.size, (3000, 2250))

    def test_a_photo_taken_sideways_is_stored_upright(self):
        response = self.client.post(
            "/admin/images/add/", {"title": "Portrait", "file": phone_photo(4000, 3000, orientation=6)}
        )
        self.assertEqual(response.status_code, 302)
        image = Image.objects.get(title="Portrait")
        self.assertEqual((image.width, image.height), (2250, 3000))

    def test_small_images_are_stored_as_they_came(self):
        photo = phone_photo(800, 600)
        self.client.post("/admin/images/add/", {"title": "Small", "file": photo})
        image = Image.objects.get(title="Small")
        self.assertEqual((image.width, image.height), (800, 600))
        self.assertEqual(image.file_size, len(photo.getvalue()))

    def test_the_multiple_upload_scales_down_too(self):
        response = self.client.post(
            "/admin/images/multiple/add/", {"files[]": phone_photo()}, headers={"x-requested-with": "XMLHttpRequest"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["success"], response.json())
        image = Image.objects.get()
        self.assertEqual((image.width, image.height), (3000, 2250))
