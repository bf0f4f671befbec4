"""On a phone the header is compact and stays on screen, so the call button is always a tap away."""

import pytest

from tests import factories

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
MAX_HEADER_HEIGHT = 120


@pytest.fixture
def seed_url():
    return factories.load_demo_site().url


def test_the_phone_header_is_compact_and_the_call_link_stays_in_view(seed_url, new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(seed_url)
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= MAX_HEADER_HEIGHT
    # The short name and every menu item are there, the menu scrolling sideways within the header.
    expect(header.get_by_role("link", name="SC Sports Medicine")).to_be_visible()
    expect(header.get_by_role("navigation", name="Main").get_by_role("link", name="Search")).to_be_attached()

    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")
    call = header.locator("a[href^='tel:']")
    expect(call).to_be_in_viewport()
    box = call.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]


def test_on_a_laptop_the_header_shows_the_full_name_and_the_search_form(seed_url, new_page):
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(seed_url)
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="South Carolina Sports Medicine & Orthopaedic Center")).to_be_visible()
    expect(header.get_by_role("search", name="Site search")).to_be_visible()
    expect(header.get_by_role("navigation", name="Main").get_by_role("link", name="Search")).to_be_hidden()


@pytest.fixture
def spanish_seed_url():
    factories.load_demo_site_with_spanish()
    return "/es/condiciones/ciatica-espasmos-de-espalda/"


def test_the_spanish_phone_header_is_as_compact(spanish_seed_url, new_page):
    page = new_page()
    page.set_viewport_size(PHONE)
    page.goto(spanish_seed_url)
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= MAX_HEADER_HEIGHT
    # The button shows the number; "Llamar" is still its accessible name.
    expect(header.get_by_role("link", name="Llamar (843) 555-0100")).to_be_visible()
    expect(header.get_by_role("link", name="English EN")).to_be_visible()
