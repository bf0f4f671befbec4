"""An editor submits a condition page with no Symptoms block for medical review and is told to add one."""

import pytest

from conditions.models import ConditionIndexPage
from tests import factories
from tests.browser.test_admin_editing import OUTLINE_BLOCKS, make_user, sign_in, write_rich_text

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFUSAL = "This page cannot go to medical review yet: add a Symptoms block (what patients notice)."


@pytest.fixture
def editor_and_index():
    """The demo site and an editor (set up before the browser starts)."""
    factories.load_demo_site()
    return make_user("marketing", "Editors", "Eddie", "Editor"), ConditionIndexPage.objects.get().pk


def test_a_page_without_symptoms_is_refused_for_review_with_what_to_add(editor_and_index, new_page, settings):
    # With autosave off, the submission is the one request that could create the page.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor, index_id = editor_and_index

    page = new_page()
    sign_in(page, editor)
    page.goto(f"/admin/pages/add/conditions/conditionpage/{index_id}/")
    expect(page.get_by_role("heading", name="New: Condition page")).to_be_visible()
    page.get_by_role("textbox", name="Title*").fill("Bursitis")
    page.get_by_role("textbox", name="Summary*").fill(
        "Bursitis is swelling of a bursa, a small fluid-filled sac that cushions a joint."
    )

    # Of the outline, the editor keeps only the When to seek care card (the fifth block) and writes it.
    blocks = page.locator(OUTLINE_BLOCKS).filter(visible=True)
    expect(blocks).to_have_count(7)
    for position in (6, 5, 3, 2, 1, 0):
        blocks.nth(position).locator(":scope > section > .w-panel__header").get_by_role("button", name="Delete").click()
    expect(blocks).to_have_count(1)
    care = blocks.first
    expect(care.get_by_role("textbox", name="Heading*")).to_have_value("When to see a doctor")
    write_rich_text(page, care, "A hot, red, swollen joint with a fever.")

    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Submit to Medical review").click()

    # Refused: the editor stays on the new page, with its content, told what to add.
    expect(page.get_by_text("The page could not be created due to validation errors.")).to_be_visible()
    expect(page.get_by_text(REFUSAL, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="New: Condition page")).to_be_visible()
    expect(blocks).to_have_count(1)
    expect(care.locator(".Draftail-Editor [contenteditable=true]")).to_have_text(
        "A hot, red, swollen joint with a fever."
    )
