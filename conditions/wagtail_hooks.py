from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from conditions import admin_urls  # noqa: F401 (registers the page editor's live checks URLs)
from conditions.local_pages import LocalConditionPage
from conditions.models import ConditionPage
from conditions.reports import DueForReviewPanel, DueForReviewView
from conditions.review import ReviewerProfile
from ops.permissions import may_write_pages

# Administrators record each medical reviewer's credentials here ("MD", "DPT, OCS").
register_snippet(ReviewerProfile)


@hooks.register("register_admin_urls")
def register_due_for_review_urls():
    return [
        path("reports/due-for-review/", DueForReviewView.as_view(), name="due_for_review"),
        path(
            "reports/due-for-review/results/",
            DueForReviewView.as_view(results_only=True),
            name="due_for_review_results",
        ),
    ]


class DueForReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return may_write_pages(request.user)


@hooks.register("register_reports_menu_item")
def register_due_for_review_menu_item():
    return DueForReviewMenuItem(
        "Due for medical review", reverse("due_for_review"), name="due-for-review", icon_name="time", order=150
    )


@hooks.register("construct_homepage_panels")
def add_due_for_review_panel(request, panels):
    if may_write_pages(request.user):
        panels.append(DueForReviewPanel())


# --- Moving local condition pages -------------------------------------------------------------
# The editor's form checks a local page against its parent when it is published; a move gives it
# another parent without that form, so the same checks are made here.


def local_page_move_problems(page, destination):
    """Why `page` cannot move under `destination`, and what the move means for search engines.

    Returns (refusal, warning): a refusal when its clinic does not treat the new parent condition;
    a warning when the live page would fail the doorway guard there, and so be hidden from search
    engines (LocalConditionPage.is_indexable reads its parent and siblings at each request).
    """
    page = page.specific
    destination = destination.specific
    if not isinstance(page, LocalConditionPage) or not isinstance(destination, ConditionPage):
        return "", ""
    if page.is_child_of(destination):
        return "", ""
    if problem := page.clinic_problem(destination):
        return f"“{page.title}” cannot be moved under “{destination.title}”. {problem}", ""
    result = page.guard_result(destination)
    if not page.live or result.passes:
        return "", ""
    return "", (
        f"Under “{destination.title}”, “{page.title}” fails the local-page check: search engines are asked "
        f"not to index it. " + " ".join(result.reasons)
    )


@hooks.register("before_move_page")
def check_local_page_move(request, page_to_move, destination):
    refusal, warning = local_page_move_problems(page_to_move, destination)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:move", page_to_move.pk)
    if warning:
        # Shown on the confirmation screen, and again with "Page moved" once it is done.
        messages.warning(request, warning)
    return None


@hooks.register("before_bulk_action")
def check_local_page_bulk_move(request, action_type, objects, action_class_instance):
    if action_type != "move":
        return None
    destination = action_class_instance.cleaned_form.cleaned_data["chooser"]
    problems = [local_page_move_problems(page, destination) for page in objects]
    refusals = [refusal for refusal, _ in problems if refusal]
    if refusals:
        # Nothing is moved: the editor sees the same move screen with the reasons.
        for refusal in refusals:
            messages.error(request, refusal)
        return redirect(request.get_full_path())
    for _, warning in problems:
        if warning:
            messages.warning(request, warning)
    return None
