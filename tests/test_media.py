"""Uploaded images served from the local disk under production-like settings; nothing else is."""

import io
import shutil
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import TestCase, override_settings
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from ops.media import MEDIA_CACHE_CONTROL

LOCAL_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BUCKET_STORAGES = {
    **LOCAL_STORAGES,
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "scsm-media"}},
}

IN_MEMORY_STORAGES = {**LOCAL_STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def png_bytes(size=(120, 80), colour=(30, 90, 160)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


class LocalMediaTests(TestCase):
    """Production settings without a bucket: FileSystemStorage under MEDIA_ROOT, DEBUG off."""

    @classmethod
    def setUpClass(cls):
        # MEDIA_ROOT sits one level down, so that traversal has a real file to reach beside it.
        cls.outside = Path(tempfile.mkdtemp(prefix="scsm-media-test-"))
        cls.addClassCleanup(shutil.rmtree, cls.outside)
        cls.media_root = cls.outside / "media"
        cls.media_root.mkdir()
        cls.enterClassContext(override_settings(DEBUG=False, STORAGES=LOCAL_STORAGES, MEDIA_ROOT=str(cls.media_root)))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.image = get_image_model().objects.create(
            title="Dr Rivera", file=ImageFile(io.BytesIO(png_bytes()), name="clinician.png")
        )
        cls.rendition = cls.image.get_rendition("fill-60x40")
        cls.document = get_document_model().objects.create(
            title="Knee exercises", file=ContentFile(png_bytes(), name="knee-exercises.png")
        )

    def place(self, relative_path, content=b"x"):
        path = self.media_root / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.addCleanup(path.unlink)
        return path

    def assertServedAsImage(self, url, content_type):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Type"], content_type)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Cache-Control"], "public, max-age=604800")
        self.assertNotIn("Set-Cookie", response)
        return response

    def assertNotServed(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 404, url)
        self.assertNotIn("public", response.get("Cache-Control", ""))

    def test_original_and_rendition_are_served_with_long_cache_headers(self):
        self.assertTrue(self.image.file.url.startswith("/media/original_images/"))
        self.assertTrue(self.rendition.url.startswith("/media/images/"))

        original = self.assertServedAsImage(self.image.file.url, "image/png")
        self.assertEqual(b"".join(original.streaming_content), png_bytes())

        rendition = self.assertServedAsImage(self.rendition.url, "image/png")
        with PillowImage.open(io.BytesIO(b"".join(rendition.streaming_content))) as served:
            self.assertEqual(served.size, (60, 40))
        self.assertEqual(MEDIA_CACHE_CONTROL, "public, max-age=604800")

    def test_every_image_type_gets_its_own_content_type(self):
        for name, content_type in [
            ("cards/home.jpg", "image/jpeg"),
            ("cards/home.JPEG", "image/jpeg"),
            ("cards/home.gif", "image/gif"),
            ("cards/home.webp", "image/webp"),
            ("cards/home.avif", "image/avif"),
        ]:
            with self.subTest(name=name):
                self.place(name)
                self.assertServedAsImage(f"/media/{name}", content_type)

    def test_an_unchanged_image_is_answered_with_304(self):
        first = self.assertServedAsImage(self.image.file.url, "image/png")
        again = self.client.get(self.image.file.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again["Cache-Control"], MEDIA_CACHE_CONTROL)

    def test_files_that_are_not_images_are_not_served(self):
        for name in ("images/page.html", "images/logo.svg", "images/logo.svgz", "settings.py", "images/noextension"):
            with self.subTest(name=name):
                self.place(name, b"<script>alert(1)</script>")
                self.assertNotServed(f"/media/{name}")

    def test_documents_are_not_served_directly_whatever_their_type(self):
        self.assertTrue(self.document.file.name.startswith("documents/"))
        self.assertTrue((self.media_root / self.document.file.name).is_file())
        self.assertNotServed(f"/media/{self.document.file.name}")
        # Wagtail's own view, which applies collection privacy, still serves it.
        served = self.client.get(self.document.url)
        self.assertEqual(served.status_code, 200)

    def test_traversal_out_of_media_root_is_refused(self):
        (self.outside / "outside.png").write_bytes(png_bytes())
        for url in (
            "/media/../outside.png",
            "/media/%2e%2e/outside.png",
            "/media/images/..%2f..%2foutside.png",
            "/media/images/%2e%2e/%2e%2e/outside.png",
            "/media/%252e%252e/outside.png",
            "/media/..%5coutside.png",
            "/media/./original_images/clinician.png",
            "/media//original_images/clinician.png",
            "/media/../settings/base.py",
            "/media/%2e%2e/%2e%2e/settings/base.py",
        ):
            with self.subTest(url=url):
                self.assertNotServed(url)

    def test_directories_and_missing_files_are_not_found(self):
        for url in ("/media/original_images/", "/media/original_images", "/media/images/missing.png"):
            with self.subTest(url=url):
                self.assertNotServed(url)
        self.place("folder.png/inside.png")
        self.assertNotServed("/media/folder.png")

    def test_only_reading_is_allowed(self):
        response = self.client.post(self.image.file.url)
        self.assertEqual(response.status_code, 405)

    def test_the_page_cache_and_the_content_security_policy_leave_images_alone(self):
        response = self.assertServedAsImage(self.rendition.url, "image/png")
        self.assertNotIn("X-Page-Cache", response)
        # Pages load images from their own origin, which the policy allows.
        self.assertIn("img-src 'self'", self.client.get("/robots.txt")["Content-Security-Policy"])

    def test_with_a_bucket_configured_nothing_is_served_from_disk(self):
        with override_settings(STORAGES=BUCKET_STORAGES):
            self.assertNotServed(f"/media/{self.image.file.name}")
        with override_settings(STORAGES=IN_MEMORY_STORAGES):
            self.assertNotServed(f"/media/{self.image.file.name}")
        # And back on the local disk, the same address answers again.
        self.assertServedAsImage(f"/media/{self.image.file.name}", "image/png")
