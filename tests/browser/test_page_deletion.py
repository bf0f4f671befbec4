"""Deleting the contact page in the admin: the warning names what will break, and a redirect keeps /contact/ working."""

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
def administrator():
    """The demo site and an administrator (set up before the browser starts)."""
    factories.load_demo_site()
    return get_user_model().objects.create_superuser(
        "admin", "admin@example.com", PASSWORD, first_name="Ada", last_name="Admin"
    )


@pytest.fixture
def home_page_id(administrator):
    return factories.home_page().pk


def test_deleting_the_contact_page_warns_and_redirects_its_address(administrator, home_page_id, new_page):
    page = new_page()
    sign_in(page, administrator)

    # The contact page's row in the home page's listing offers "Delete" among its actions.
    page.goto(f"/admin/pages/{home_page_id}/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Request an Appointment", exact=True))
    row.get_by_role("button", name="More options for 'Request an Appointment'").click()
    row.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete Request an Appointment")).to_be_visible()

    # Wagtail counts the references; the warning says what each one will do once the page is gone.
    expect(page.get_by_role("link", name="This appointment request page is referenced 2 times.")).to_be_visible()
    warning = page.get_by_role("region", name="What deleting this page will break")
    expect(warning).to_contain_text("This is the appointment page in Settings → Practice.")
    expect(warning).to_contain_text("Calls to action will have nowhere to go")
    expect(warning.get_by_role("listitem").filter(has_text="Sciatica / Back Spasms")).to_contain_text(
        "Body → Call to action: its button will disappear"
    )
    expect(warning.get_by_role("listitem").filter(has_text="Charleston Clinic")).to_contain_text(
        "Booking page: will be left empty."
    )

    # The editor chooses where /contact/ should lead from now on.
    form = page.locator("form").filter(has=page.get_by_role("button", name="Yes, delete it"))
    form.get_by_role("button", name="Choose a page").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("row").filter(has_text="South Carolina Sports Medicine").get_by_role(
        "link", name="Explore"
    ).click()
    chooser.get_by_role("link", name="Our Locations", exact=True).click()
    expect(chooser).to_have_count(0)
    expect(form.get_by_text("Our Locations", exact=True)).to_be_visible()
    form.get_by_role("button", name="Yes, delete it").click()

    expect(page.get_by_text("Page 'Request an Appointment' deleted.")).to_be_visible()
    expect(page.get_by_text("Visitors to /contact/ are now sent to “Our Locations”.")).to_be_visible()

    # A visitor with an old link to /contact/ is sent on, permanently.
    visitor = new_page()
    answer = visitor.request.get("/contact/", max_redirects=0)
    assert answer.status == 301
    assert answer.headers["location"] == "/locations/"
    visitor.goto("/contact/")
    expect(visitor.get_by_role("heading", name="Our Locations", level=1)).to_be_visible()
