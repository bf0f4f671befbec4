"""A condition page goes from an editor's draft to a medically reviewed live page, all in the Wagtail admin."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.dateformat import format as format_date

from conditions.models import ReviewerProfile
from tests import factories

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-staple"


def make_user(username, group, first_name, last_name):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", PASSWORD, first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def account_menu(page, user):
    """The sidebar's account button, labelled with the signed-in user's first name."""
    return page.get_by_role("complementary", name="Sidebar").get_by_role("button", name=user.first_name)


def sign_in(page, user):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(account_menu(page, user)).to_be_visible()


def sign_out(page, user):
    account_menu(page, user).click()
    page.get_by_role("complementary", name="Sidebar").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def fill_cause(cause, name, explanation):
    cause.get_by_role("textbox", name="Name*").fill(name)
    cause.get_by_role("textbox", name="Explanation*").fill(explanation)


def write_rich_text(page, block, text):
    """Types into the block's rich text editor, and waits until its field holds the text: the editor
    stores what is typed a moment later, and a form sent before then would send it empty."""
    block.locator(".Draftail-Editor [contenteditable=true]").click()
    page.keyboard.type(text)
    expect(block.locator("input[name$='-text']")).to_have_value(re.compile(re.escape(text)))


def insert_block(page, body, label):
    """Opens the block picker below the last block and picks a block type by its label."""
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=label, exact=True).click()


@pytest.fixture
def editor_and_reviewer():
    """The demo site, an editor and a medical reviewer, Jane Doe, MD (set up before the browser starts)."""
    factories.load_demo_site()
    editor = make_user("marketing", "Editors", "Eddie", "Editor")
    reviewer = make_user("drdoe", "Medical reviewers", "Jane", "Doe")
    ReviewerProfile.objects.create(user=reviewer, credentials="MD")
    return editor, reviewer


# The body's top-level blocks (list items have blocks of their own inside them).
OUTLINE_BLOCKS = "#body-root > [data-streamfield-stream-container] > [data-streamfield-child]"


def test_editor_writes_a_condition_page_and_a_medical_reviewer_approves_it(editor_and_reviewer, new_page, settings):
    # Autosave creates the draft in the background about a second after typing stops, and a submission
    # sent while that first autosave is under way fails on the slug it has just taken. A script always
    # submits within that second; with autosave off, the submission is the one request creating the page.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor, reviewer = editor_and_reviewer

    # The editor finds the conditions section in the page explorer and adds a page to it.
    page = new_page()
    sign_in(page, editor)
    page.get_by_role("complementary", name="Sidebar").get_by_role("button", name="Pages").click()
    explorer = page.get_by_role("dialog", name="Page explorer")
    explorer.get_by_role("link", name=re.compile(r"^View child pages of 'South Carolina Sports Medicine")).click()
    explorer.get_by_role("link", name="Conditions We Treat", exact=True).click()
    expect(page.get_by_role("heading", name="Exploring: Conditions We Treat")).to_be_visible()
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", name="New: Condition page")).to_be_visible()

    page.get_by_role("textbox", name="Title*").fill("Bursitis")
    page.get_by_role("textbox", name="Summary*").fill(
        "Bursitis is swelling of a bursa, a small fluid-filled sac that cushions a joint."
    )
    # The page opens with its outline of blocks; this first version needs symptoms, causes, treatment
    # and when to seek care (review needs the first and the last), so the editor removes the rest (from
    # the last, so that the others keep their places). A deleted block is hidden and sent back marked as deleted.
    blocks = page.locator(OUTLINE_BLOCKS).filter(visible=True)
    expect(blocks).to_have_count(7)
    for position in (6, 5, 2):
        blocks.nth(position).locator(":scope > section > .w-panel__header").get_by_role("button", name="Delete").click()
    expect(blocks).to_have_count(4)

    blocks.nth(0).get_by_role("region", name=re.compile(r"^Symptom\b")).get_by_role("textbox").fill("A swollen joint")
    causes = blocks.nth(1)
    causes.get_by_role("textbox", name="Heading*").fill("What causes bursitis")
    cause = causes.get_by_role("region", name="Cause", exact=True)
    expect(cause).to_have_count(1)  # the list starts with the one cause it requires
    fill_cause(cause, "Overuse", "Repeating the same movement irritates the bursa.")
    causes.get_by_role("button", name="Add", exact=True).last.click()
    expect(cause).to_have_count(2)
    fill_cause(cause.last, "Injury", "A fall or a blow to the joint inflames the bursa.")

    treatment = blocks.nth(2)
    treatment.get_by_role("textbox", name="Heading*").fill("How bursitis is treated")
    option = treatment.get_by_role("region", name=re.compile(r"^Treatment option\b"))
    option.get_by_role("textbox", name="Name*").fill("Rest and ice")
    option.get_by_role("combobox", name="Kind*").select_option(label="Home care")
    option.get_by_role("textbox", name="Explanation", exact=True).fill(
        "Rest the joint and ice it for 15 minutes at a time."
    )
    write_rich_text(page, blocks.nth(3), "A hot, red joint with a fever.")

    # Editors cannot publish: the footer's action menu offers the section's workflow instead.
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    submit = footer.get_by_role("button", name="Submit to Medical review")
    expect(submit).to_be_visible()
    expect(footer.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    submit.click()
    expect(page.get_by_text("Page 'Bursitis' created and submitted for moderation.")).to_be_visible()
    sign_out(page, editor)

    # The medical reviewer approves it from their dashboard.
    sign_in(page, reviewer)
    awaiting = page.get_by_role("region", name="Awaiting your review")
    row = awaiting.get_by_role("row").filter(has=page.get_by_role("link", name="Bursitis", exact=True))
    row.get_by_role("button", name="Actions").click()
    day_approved = timezone.localdate()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(row).to_have_count(0)

    # A visitor sees the page live, with both causes and the review.
    visitor = new_page()
    response = visitor.goto("/conditions/bursitis/")
    assert response.status == 200
    review_days = {day_approved, timezone.localdate()}  # both sides of midnight, should the test straddle it
    expect(visitor.get_by_role("heading", name="Bursitis", level=1)).to_be_visible()
    causes_section = visitor.locator("section").filter(has=visitor.get_by_role("heading", name="What causes bursitis"))
    expect(causes_section.get_by_role("listitem")).to_have_text(
        [
            "Overuse – Repeating the same movement irritates the bursa.",
            "Injury – A fall or a blow to the joint inflames the bursa.",
        ]
    )
    expect(visitor.get_by_role("heading", name="Rest and ice Home care")).to_be_visible()
    review = visitor.get_by_text("Medically reviewed by")
    reviewed_on = datetime.date.fromisoformat(review.locator("time").first.get_attribute("datetime"))
    assert reviewed_on in review_days
    expect(review).to_contain_text(
        f"Medically reviewed by Jane Doe, MD · Last reviewed {format_date(reviewed_on, 'F j, Y')}"
    )
