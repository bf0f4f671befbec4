"""Local condition pages in the Wagtail admin: written from the empty form, and moved between conditions."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from tests.browser.test_admin_editing import PASSWORD, fill_cause, insert_block, make_user, sign_in
from tests.test_local_pages import LOCAL_STORY, add_mount_pleasant_clinic, make_local_page

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def editor_and_condition():
    """The demo site, a Mount Pleasant clinic that treats its condition, and an editor (before the browser starts)."""
    seed = factories.load_demo_site()
    add_mount_pleasant_clinic(treats=[seed])
    return make_user("marketing", "Editors", "Eddie", "Editor"), seed.pk


def test_editor_writes_a_new_local_page_and_submits_it_for_medical_review(editor_and_condition, new_page, settings):
    # As in test_admin_editing: with autosave off, the submission is the one request creating the page.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor, condition_id = editor_and_condition
    title = "Back Spasm Care in Mount Pleasant"

    page = new_page()
    sign_in(page, editor)
    page.goto(f"/admin/pages/{condition_id}/")
    page.get_by_role("link", name="Add child page").click()
    # A condition has two kinds of child: a local page (a clinic) and a service-area page (a town).
    page.get_by_role("link", name="Local condition page", exact=True).click()
    expect(page.get_by_role("heading", name="New: Local condition page")).to_be_visible()

    page.get_by_role("textbox", name="Title*").fill(title)
    page.get_by_role("button", name="Choose a page (Location page)").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name="Mount Pleasant Clinic").click()
    expect(chooser).to_be_hidden()
    content = page.get_by_role("tabpanel", name="Content")
    expect(content.get_by_text("Mount Pleasant Clinic", exact=True)).to_be_visible()
    page.get_by_role("textbox", name="Summary*").fill(
        "Back spasm care beside Shem Creek, with early appointments for commuters."
    )
    body = page.get_by_role("region", name="Body")
    insert_block(page, body, "Causes")
    causes = body.get_by_role("region", name=re.compile(r"^Causes\b"))
    causes.get_by_role("textbox", name="Heading*").fill("Why Mount Pleasant patients get back spasms")
    causes.get_by_role("textbox", name="Intro").fill(LOCAL_STORY)
    fill_cause(causes.get_by_role("region", name="Cause", exact=True), "Boat work", "Lifting and twisting on deck.")

    # The Promote tab holds the slug, filled in from the title: without it the first submission failed.
    page.get_by_role("tab", name="Promote").click()
    slug = page.get_by_role("textbox", name="Slug*")
    expect(slug).to_be_visible()
    expect(slug).to_have_value("back-spasm-care-in-mount-pleasant")
    # The title names the condition and the chosen clinic's town (the brand would pass 60 characters).
    expect(page.get_by_text("Sciatica / Back Spasms Care in Mount Pleasant, SC", exact=True)).to_be_visible()

    # Editors cannot publish: local pages go through the conditions section's medical review.
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    expect(footer.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    footer.get_by_role("button", name="Submit to Medical review").click()
    expect(page.get_by_text(f"Page '{title}' created and submitted for moderation.")).to_be_visible()

    # The page is saved: it is listed under its condition, awaiting review.
    page.goto(f"/admin/pages/{condition_id}/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(row).to_have_count(1)
    expect(row.get_by_text("In Moderation", exact=False)).to_be_visible()


@pytest.fixture
def local_page_and_other_condition():
    """A live local page whose clinic does not treat Knee Pain, and an administrator (before the browser starts)."""
    seed = factories.load_demo_site()
    clinic = add_mount_pleasant_clinic(treats=[seed])
    local = make_local_page(seed, "Back Spasm Care in Mount Pleasant", LOCAL_STORY, clinic)
    factories.make_condition(title="Knee Pain", summary="Knee pain has many causes.")
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.com", PASSWORD, first_name="Ada", last_name="Admin"
    )
    return admin, local.pk


def test_moving_a_local_page_under_a_condition_its_clinic_does_not_treat_is_refused(
    local_page_and_other_condition, new_page
):
    admin, local_id = local_page_and_other_condition

    page = new_page()
    sign_in(page, admin)
    page.goto(f"/admin/pages/{local_id}/move/")
    expect(page.get_by_role("heading", name=re.compile(r"^Move\b"))).to_be_visible()
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("button", name="Choose another page").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name="Knee Pain", exact=True).click()
    expect(chooser).to_be_hidden()
    page.get_by_role("button", name="Confirm").click()

    # Back on the move screen, with the reason; the page stays where it was.
    expect(page).to_have_url(re.compile(rf"/admin/pages/{local_id}/move/$"))
    expect(page.get_by_text("“Back Spasm Care in Mount Pleasant” cannot be moved under “Knee Pain”.")).to_be_visible()
    expect(page.get_by_text("Knee Pain is not listed as treated at Mount Pleasant Clinic.")).to_be_visible()
    assert page.goto("/conditions/sciatica-back-spasms/back-spasm-care-in-mount-pleasant/").status == 200
