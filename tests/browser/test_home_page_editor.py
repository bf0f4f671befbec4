"""An editor changes the home page's sections in the admin and the site shows them."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from tests.browser.test_admin_editing import PASSWORD, insert_block, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The body's top-level blocks.
BODY_BLOCKS = "#body-root > [data-streamfield-stream-container] > [data-streamfield-child]"


@pytest.fixture
def home_and_admin():
    factories.load_demo_site()
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.com", PASSWORD, first_name="Ada", last_name="Admin"
    )
    return factories.home_page(), admin


def test_an_editor_rewrites_the_hero_and_adds_reasons(home_and_admin, new_page, settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    home, admin = home_and_admin
    page = new_page()
    sign_in(page, admin)
    page.goto(f"/admin/pages/{home.pk}/edit/")

    blocks = page.locator(BODY_BLOCKS)
    hero = blocks.first
    hero.get_by_role("textbox", name="Heading*").fill("Back and joint specialists in Charleston")

    body = page.locator("#body-root")
    insert_block(page, body, "Why patients choose us")
    reasons = blocks.last
    # The section's own heading comes first; a new section holds one point to fill, and takes two.
    reasons.get_by_role("textbox", name="Heading*").first.fill("What to expect")
    items = reasons.locator("[data-streamfield-list-container] > [data-streamfield-child]")
    for position, (heading, text) in enumerate(
        [("Same-week visits", "Most patients are seen within a week."), ("One team", "Your records go with you.")]
    ):
        if position:
            reasons.get_by_role("button", name="Add", exact=True).last.click()
        expect(items).to_have_count(position + 1)
        items.nth(position).get_by_role("textbox", name="Heading*").fill(heading)
        items.nth(position).get_by_role("textbox", name="Text*").fill(text)

    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("has been published")).to_be_visible()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Back and joint specialists in Charleston")
    section = page.get_by_role("region", name="What to expect")
    expect(section.get_by_role("heading", level=3)).to_have_text(["Same-week visits", "One team"])
