"""A condition page goes through Medical review in the admin, and its byline then leads a visitor to
the reviewer's physician page, whose structured data is complete and in the schema.org vocabulary.
An edit an administrator publishes without review makes the page await review again, until the
workflow approves it."""

import json

import pytest
from django.contrib.auth import get_user_model

from tests import factories
from tests.browser.test_admin_editing import PASSWORD, make_user, sign_in, sign_out
from tests.jsonld import referenced_ids, schema_problems

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def seed_editor_and_reviewer():
    """The demo site, an editor, and the demo's reviewer (Morgan Example) given a password."""
    seed = factories.load_demo_site()
    seed.index_id = seed.get_parent().pk  # read now: the browser's thread may not query the database
    factories.launch_demo_clinic()
    reviewer = get_user_model().objects.get(username="morgan.example")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    return seed, make_user("marketing", "Editors", "Eddie", "Editor"), reviewer


@pytest.fixture
def administrator():
    return get_user_model().objects.create_superuser(
        "ada", "ada@example.com", PASSWORD, first_name="Ada", last_name="Admin"
    )


def submit_for_review(page, editor, seed):
    """The editor submits the page; no Publish button is offered on a condition page."""
    sign_in(page, editor)
    page.goto(f"/admin/pages/{seed.pk}/edit/")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    expect(footer.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    footer.get_by_role("button", name="Submit to Medical review").click()
    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()
    sign_out(page, editor)


def approve(page, reviewer, seed):
    """The reviewer approves it from the editor, which publishes it."""
    sign_in(page, reviewer)
    page.goto(f"/admin/pages/{seed.pk}/edit/")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Approve and Publish", exact=True).click()
    # Approval returns the reviewer to the conditions listing.
    expect(page.get_by_role("row", name="Sciatica / Back Spasms")).to_be_visible()
    sign_out(page, reviewer)


def review_claims(page):
    webpage = next(node for node in graph_on(page) if node["@type"] == "MedicalWebPage")
    return {key: webpage[key] for key in ("reviewedBy", "lastReviewed") if key in webpage}


def graph_on(page):
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    return data["@graph"]


def test_an_approved_page_names_its_reviewer_and_links_to_her_page(seed_editor_and_reviewer, new_page):
    seed, editor, reviewer = seed_editor_and_reviewer
    page = new_page()

    # Before any review the page says it awaits one.
    page.goto(seed.url)
    expect(page.locator(".medical-review")).to_have_text("Awaiting medical review")

    submit_for_review(page, editor, seed)
    approve(page, reviewer, seed)

    # A visitor reads the byline and follows it to the reviewer's page.
    page.goto(seed.url)
    line = page.locator(".medical-review")
    expect(line).to_contain_text("Medically reviewed by Morgan Example, MD · Last reviewed")
    expect(line).to_contain_text("Next review due")
    webpage = next(node for node in graph_on(page) if node["@type"] == "MedicalWebPage")
    assert webpage["reviewedBy"]["@id"].endswith("/physicians/morgan-example/#person")
    line.get_by_role("link", name="Morgan Example, MD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Morgan Example, MD")

    graph = graph_on(page)
    assert schema_problems(graph, "graph") == []
    defined = {node["@id"] for node in graph if "@id" in node}
    assert referenced_ids(graph) <= defined
    person = next(node for node in graph if node.get("@id") == webpage["reviewedBy"]["@id"])
    assert person["@type"] == ["Person", "IndividualPhysician"]
    assert person["usNPI"] and person["practicesAt"]


def test_an_edit_published_without_review_awaits_review_until_approved(
    seed_editor_and_reviewer, administrator, new_page
):
    seed, editor, reviewer = seed_editor_and_reviewer
    page = new_page()
    submit_for_review(page, editor, seed)
    approve(page, reviewer, seed)
    page.goto(seed.url)
    expect(page.locator(".medical-review")).to_contain_text("Medically reviewed by Morgan Example, MD")

    # An administrator changes the summary, saves it and publishes it from the listing, past the review.
    sign_in(page, administrator)
    page.goto(f"/admin/pages/{seed.pk}/edit/")
    page.get_by_role("textbox", name="Summary*").fill("Back spasms are sudden, painful tightening of back muscles.")
    page.get_by_role("navigation", name="Actions (footer)").get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("has been updated")).to_be_visible()
    page.goto(f"/admin/pages/{seed.index_id}/")
    page.get_by_role("row", name="Sciatica / Back Spasms").get_by_role("checkbox").check()
    page.get_by_role("link", name="Publish selected pages", exact=True).click()
    page.get_by_role("button", name="Yes, publish").click()
    sign_out(page, administrator)

    page.goto(seed.url)
    expect(page.locator(".lead")).to_have_text("Back spasms are sudden, painful tightening of back muscles.")
    expect(page.locator(".medical-review")).to_have_text("Awaiting medical review")
    assert review_claims(page) == {}

    # The workflow approves the edited page: the review line and the structured data come back.
    submit_for_review(page, editor, seed)
    approve(page, reviewer, seed)
    page.goto(seed.url)
    expect(page.locator(".medical-review")).to_contain_text("Medically reviewed by Morgan Example, MD")
    assert set(review_claims(page)) == {"reviewedBy", "lastReviewed"}
