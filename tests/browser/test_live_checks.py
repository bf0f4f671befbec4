"""The page editor's checks follow what the editor types, before anything is saved."""

import pytest

from tests import factories
from tests.browser.test_admin_editing import insert_block, make_user, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MISSING_SYMPTOMS_BLOCK = "No “Symptoms” block: list what patients notice. It is needed before medical review."
MISSING_CARE_BLOCK = "No “When to seek care” block: tell patients when to see a doctor or call 911."
SHORT_SUMMARY = "Back spasms are sudden, involuntary tightening of the back muscles."
# Over the summary's 300-character budget, which a content check reports.
LONG_SUMMARY = (
    "A back spasm is a sudden, involuntary tightening of the muscles along the spine. It can be a "
    "faint twitch or a cramp strong enough to stop you standing up straight, and it often follows "
    "lifting, twisting or a long day at a desk. Most spasms ease within days with heat, gentle movement "
    "and rest; ones that keep coming back need a doctor."
)
BRAND = "SC Sports Medicine"


@pytest.fixture
def seed_and_editor():
    """The demo site's condition page and an editor (set up before the browser starts)."""
    # The seed page as it was before it had symptoms and a when-to-seek-care card.
    seed = factories.strip_blocks(factories.load_demo_site(), "symptoms", "when_to_seek_care")
    editor = make_user("marketing", "Editors", "Eddie", "Editor")
    return seed, editor


def test_the_counters_and_content_checks_follow_typing_without_saving(seed_and_editor, new_page, settings):
    # Autosave would save a draft in the background: off, so that any change seen is the live checks'.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    seed, editor = seed_and_editor
    assert len(LONG_SUMMARY) > 300
    page = new_page()
    # Reloading with unsaved changes asks whether to leave the page: yes, discarding them.
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, editor)
    page.goto(f"/admin/pages/{seed.pk}/edit/")

    checks = page.locator("[data-live-checks='content-checks']")
    problems = checks.locator("[data-content-checks-problems] li")
    expect(problems).to_have_text([MISSING_SYMPTOMS_BLOCK, MISSING_CARE_BLOCK])
    preview = page.locator("[data-seo-preview]")
    description = preview.locator("[data-seo-counter='description']")
    saved_description = seed.get_meta_description()
    expect(description).to_contain_text(f"From the summary, shortened to {len(saved_description)} characters.")

    # A shorter summary: the description is the whole summary, counted as typed.
    page.get_by_role("textbox", name="Summary*").fill(SHORT_SUMMARY)
    expect(description.locator("[data-seo-counter-length]")).to_have_text(f"{len(SHORT_SUMMARY)} / 160 characters")
    expect(description.locator("[data-seo-counter-note]")).to_have_text("From the summary.")
    expect(preview.locator("[data-seo-preview-description]")).to_have_text(SHORT_SUMMARY)

    # A summary over its budget: a content check says so, and the description is shortened.
    page.get_by_role("textbox", name="Summary*").fill(LONG_SUMMARY)
    too_long = (
        f"The summary is {len(LONG_SUMMARY)} characters; keep it within 300 so it reads as a quick answer "
        "and fits under a search result."
    )
    expect(problems).to_have_text([MISSING_SYMPTOMS_BLOCK, MISSING_CARE_BLOCK, too_long])
    expect(description.locator("[data-seo-counter-note]")).to_contain_text("From the summary, shortened to")
    expect(checks.get_by_role("status")).to_have_text("Content checks: 3 to look at.")

    # A block added to the body (no key pressed) counts too.
    insert_block(page, page.get_by_role("region", name="Body"), "When to seek care")
    expect(problems).to_have_text([MISSING_SYMPTOMS_BLOCK, too_long])
    expect(checks.locator("[data-content-checks-intro]")).to_have_text("Content checks for what you have typed:")

    # The title tag's counter on the Promote tab: the built-in template leaves the brand off rather
    # than run over budget; a long title tag of the editor's own is flagged, a short one gets the brand.
    page.get_by_role("tab", name="Promote").click()
    title = preview.locator("[data-seo-counter='title']")
    expect(title.locator("[data-seo-counter-warning]")).to_have_text("")
    page.get_by_role("textbox", name="Title tag").fill("Sciatica and back spasms: causes, symptoms and every treatment")
    expect(title.locator("[data-seo-counter-warning]")).to_contain_text("over budget")
    page.get_by_role("textbox", name="Title tag").fill("Back")
    expect(preview.locator("[data-seo-preview-title]")).to_have_text(f"Back | {BRAND}")
    expect(title.locator("[data-seo-counter-length]")).to_have_text(f"{len(f'Back | {BRAND}')} / 60 characters")
    expect(title.locator("[data-seo-counter-warning]")).to_have_text("")

    # Nothing was saved: the editor opened again shows the page as it was.
    page.reload()
    expect(problems).to_have_text([MISSING_SYMPTOMS_BLOCK, MISSING_CARE_BLOCK])
    expect(checks.locator("[data-content-checks-intro]")).to_have_text(
        "Content checks for the saved version of this page:"
    )
    expect(description).to_contain_text(f"From the summary, shortened to {len(saved_description)} characters.")
