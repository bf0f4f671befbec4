"""A condition page goes through Medical review in the admin, and its byline then leads a visitor to
the reviewer's physician page, whose structured data is complete and in the schema.org vocabulary."""

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
    factories.launch_demo_clinic()
    reviewer = get_user_model().objects.get(username="morgan.example")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    return seed, make_user("marketing", "Editors", "Eddie", "Editor"), reviewer


def graph_on(page):
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    return data["@graph"]


def test_an_approved_page_names_its_reviewer_and_links_to_her_page(seed_editor_and_reviewer, new_page):
    seed, editor, reviewer = seed_editor_and_reviewer
    page = new_page()

    # Before any review the page says it awaits one.
    page.goto(seed.url)
    expect(page.locator(".medical-review")).to_have_text("Awaiting medical review")

    # The editor submits the page; no Publish button is offered on a condition page.
    sign_in(page, editor)
    page.goto(f"/admin/pages/{seed.pk}/edit/")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    expect(footer.get_by_role("button", name="Publish")).to_have_count(0)
    footer.get_by_role("button", name="Submit to Medical review").click()
    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()
    sign_out(page, editor)

    # The reviewer approves it from the editor.
    sign_in(page, reviewer)
    page.goto(f"/admin/pages/{seed.pk}/edit/")
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Approve and Publish", exact=True).click()
    # Approval publishes the page and returns the reviewer to the conditions listing.
    expect(page.get_by_role("row", name="Sciatica / Back Spasms")).to_contain_text("live")
    sign_out(page, reviewer)

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
