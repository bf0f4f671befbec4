"""An editor uploads an image that is too big: the reason is the only message shown."""

import io
import os

import pytest
from PIL import Image as PillowImage

from tests import factories
from tests.browser.test_admin_editing import make_user, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def editor():
    factories.load_demo_site()
    return make_user("marketing", "Editors", "Eddie", "Editor")


def test_a_photo_over_the_limit_is_refused_with_its_reason_only(editor, new_page, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100 * 1024
    photo = io.BytesIO()
    PillowImage.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3)).save(photo, "JPEG", quality=95)
    page = new_page()
    sign_in(page, editor)
    page.goto("/admin/images/multiple/add/")
    page.locator("input[type=file]").set_input_files(
        {"name": "IMG_0412.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}
    )
    row = page.locator("#upload-list li").first
    expect(row.get_by_text("This file is too big")).to_be_visible()
    expect(row.get_by_text("Please provide an image description")).to_be_hidden()
