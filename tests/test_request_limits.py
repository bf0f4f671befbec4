"""Bodies the site does not need are refused from their Content-Length, before anything reads them."""

import io
import os

from django.contrib.auth import get_user_model
from django.test import TestCase
from PIL import Image as PillowImage
from wagtail.images.models import Image

from appointments.models import AppointmentRequest
from tests import factories

MiB = 1024 * 1024


class UnreadablePayload(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def __init__(self):
        self.reads = 0

    def readable(self):
        return True

    def read(self, size=-1):
        self.reads += 1
        raise AssertionError("the body was read")

    readinto = read


class RequestLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.load_demo_site()

    def post_without_body(self, path, length, content_type):
        payload = UnreadablePayload()
        response = self.client.generic(
            "POST",
            path,
            CONTENT_TYPE=content_type,
            CONTENT_LENGTH=str(length),
            **{"wsgi.input": payload},
        )
        self.assertEqual(payload.reads, 0)
        return response

    def test_a_huge_upload_is_refused_before_a_byte_is_read(self):
        for path in ("/contact/", "/", "/search/", "/admin/login/", "/admin/images/add/"):
            with self.subTest(path=path):
                response = self.post_without_body(path, 500 * MiB, "multipart/form-data; boundary=xyz")
                self.assertContains(response, "Request too large", status_code=413)
                self.assertEqual(response["Cache-Control"], "no-store")
        self.assertFalse(AppointmentRequest.objects.exists())

    def test_a_post_with_thousands_of_fields_is_refused(self):
        body = "&".join(f"f{number}=" for number in range(9_999))
        response = self.client.post("/contact/", body, content_type="application/x-www-form-urlencoded")
        self.assertContains(response, "Request too large", status_code=413)

        parts = "".join(f'--xyz\r\nContent-Disposition: form-data; name="f{n}"\r\n\r\n\r\n' for n in range(500))
        response = self.client.post(
            "/contact/", parts + "--xyz--\r\n", content_type="multipart/form-data; boundary=xyz"
        )
        self.assertEqual(response.status_code, 413)

    def test_a_malformed_length_is_a_400(self):
        response = self.client.generic("POST", "/contact/", b"a=1", CONTENT_LENGTH="lots")
        self.assertEqual(response.status_code, 400)

    def test_a_form_post_in_another_charset_is_a_400_not_a_500(self):
        self.client.raise_request_exception = False
        for path in ("/", "/search/", "/contact/", "/admin/login/"):
            with self.subTest(path=path):
                response = self.client.post(
                    path, "query=%2BAGE-", content_type="application/x-www-form-urlencoded; charset=utf-7"
                )
                self.assertContains(response, "UTF-8", status_code=400)

    def test_utf8_declared_either_way_is_read(self):
        for charset in ("utf-8", "UTF-8"):
            with self.subTest(charset=charset):
                response = self.client.post(
                    "/admin/login/",
                    "username=nobody&password=wrong",
                    content_type=f"application/x-www-form-urlencoded; charset={charset}",
                )
                self.assertEqual(response.status_code, 200)

    def test_signed_in_editors_upload_images_larger_than_a_visitor_may_post(self):
        editor = get_user_model().objects.create_superuser("editor", "editor@scsportsmed.example", "pw")
        self.client.force_login(editor)
        picture = io.BytesIO()
        PillowImage.frombytes("RGB", (640, 640), os.urandom(640 * 640 * 3)).save(picture, "PNG")
        picture.name = "noise.png"
        picture.seek(0)
        self.assertGreater(len(picture.getvalue()), MiB)

        response = self.client.post("/admin/images/add/", {"title": "Noise", "file": picture})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Image.objects.filter(title="Noise").exists())

        # Without signing in, the same post is refused unread.
        self.client.logout()
        response = self.post_without_body("/admin/images/add/", 2 * MiB, "multipart/form-data; boundary=xyz")
        self.assertEqual(response.status_code, 413)
