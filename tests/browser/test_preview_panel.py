"""The page editor's live preview panel shows the page being edited, not a blocked frame or an error face."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from tests.browser.test_admin_editing import PASSWORD, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def seed_page_and_admin():
    """The demo site's condition page and a superuser (set up before the browser starts)."""
    seed = factories.load_demo_site()
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.com", PASSWORD, first_name="Ada", last_name="Admin"
    )
    return seed, admin


def test_the_preview_panel_shows_the_condition_page_being_edited(seed_page_and_admin, new_page):
    seed, admin = seed_page_and_admin
    page = new_page()
    # Chromium reports a frame refused by X-Frame-Options or CSP frame-ancestors on the editor's console.
    refused_frames = []

    def note_refused_frame(message):
        if "frame-ancestors" in message.text or "X-Frame-Options" in message.text:
            refused_frames.append(message.text)

    page.on("console", note_refused_frame)
    sign_in(page, admin)

    page.goto(f"/admin/pages/{seed.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()

    panel = page.locator("[data-controller='w-preview']")
    expect(panel.locator("#w-preview-iframe")).to_be_attached()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_role("heading", name="Sciatica / Back Spasms", level=1)).to_be_visible()
    expect(frame.get_by_text("Preview not available")).to_have_count(0)
    expect(panel.get_by_role("heading", name="Preview is out of date")).to_be_hidden()
    assert refused_frames == []
