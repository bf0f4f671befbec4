"""An editor adds a condition page in the Wagtail admin and finds its outline of blocks ready to fill in."""

import re

import pytest

from conditions.models import ConditionIndexPage
from tests import factories
from tests.browser.test_admin_editing import make_user, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUTLINE = ["Symptoms", "Causes", "Complications", "Treatment", "When to seek care", "FAQ", "Call to action"]
# The body's top-level blocks, and the type label in each one's header (list items have headers of their own).
BLOCKS = "#body-root > [data-streamfield-stream-container] > [data-streamfield-child]"
BLOCK_TYPES = f"{BLOCKS} > section > .w-panel__header .c-sf-block__type"


@pytest.fixture
def editor_and_index():
    """The demo site and an editor (set up before the browser starts)."""
    factories.load_demo_site()
    return make_user("marketing", "Editors", "Eddie", "Editor"), ConditionIndexPage.objects.get().pk


def test_a_new_condition_page_opens_with_its_outline_and_saves_as_a_draft(editor_and_index, new_page, settings):
    # As in test_admin_editing: with autosave off, "Save draft" is the one request creating the page.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor, index_id = editor_and_index

    page = new_page()
    sign_in(page, editor)
    page.goto(f"/admin/pages/{index_id}/")
    expect(page.get_by_role("heading", name="Exploring: Conditions We Treat")).to_be_visible()
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", name="New: Condition page")).to_be_visible()

    block_types = page.locator(BLOCK_TYPES)
    expect(block_types).to_have_text(OUTLINE)
    # Each block starts with its heading and one empty item to write, not with text of ours.
    symptoms = page.locator(BLOCKS).first
    expect(symptoms.get_by_role("textbox", name="Heading*")).to_have_value("Symptoms")
    expect(symptoms.get_by_role("region", name=re.compile(r"^Symptom\b")).get_by_role("textbox")).to_have_value("")

    page.get_by_role("textbox", name="Title*").press_sequentially("Bursitis")
    # The slug follows the title as it is typed (it sits on the Promote tab).
    expect(page.locator("#id_slug")).to_have_value("bursitis")
    page.get_by_role("navigation", name="Actions (footer)").get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Page 'Bursitis' created.")).to_be_visible()
    expect(page.get_by_role("heading", name="Editing Condition page: Bursitis")).to_be_visible()
    expect(block_types).to_have_text(OUTLINE)
