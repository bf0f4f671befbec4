"""Pasting a table into rich text: the editor is told it was flattened."""

import pytest

from conditions.models import ConditionPage
from tests import factories
from tests.browser.test_admin_editing import make_user, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips these tests, or fails them when they were asked for by marker
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TABLE = "<table><tr><th>Treatment</th><th>Weeks</th></tr><tr><td>Physical therapy</td><td>6</td></tr></table>"


@pytest.fixture
def editor_and_page():
    factories.load_demo_site()
    return make_user("marketing", "Editors", "Eddie", "Editor"), ConditionPage.objects.get().pk


def test_a_table_pasted_into_rich_text_is_reported_as_flattened(editor_and_page, new_page):
    editor, page_id = editor_and_page
    page = new_page()
    sign_in(page, editor)
    page.goto(f"/admin/pages/{page_id}/edit/")
    rich_text = page.locator(".Draftail-Editor [contenteditable=true]").first
    rich_text.click()
    notice = page.get_by_role("status").filter(has_text="The table you pasted was flattened")
    expect(notice).to_have_count(0)
    # What a browser does when Word's clipboard is pasted: a paste event carrying HTML with a table.
    rich_text.evaluate(
        """(element, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Treatment Weeks Physical therapy 6");
            element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        TABLE,
    )
    expect(notice).to_be_visible()
