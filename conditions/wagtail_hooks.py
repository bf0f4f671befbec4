from django.apps import apps
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from conditions import admin_urls  # noqa: F401 (registers the page editor's live checks URLs)
from conditions.forms import PUBLISH_ACTION, may_publish_directly, required_blocks_problem
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


# --- Condition pages go live through medical review -------------------------------------------
# The workflow's last approval publishes a condition page (conditions.workflows.publish_approved,
# which goes through none of these hooks). Nobody is offered a Publish button on one; the form
# (conditions.forms) refuses a Publish sent anyway, except from an administrator, and the bulk
# action below does the same for the page listing's Publish.


def edited_page_class(context):
    """The page type the editor's action menu is for (on the create view, the type being added)."""
    if context["view"] == "create":
        kwargs = context["request"].resolver_match.kwargs
        return apps.get_model(kwargs["content_type_app_name"], kwargs["content_type_model_name"])
    return context["page"].specific_class


@hooks.register("construct_page_action_menu")
def remove_publish_from_condition_pages(menu_items, request, context):
    page_class = edited_page_class(context)
    if page_class is not None and issubclass(page_class, ConditionPage):
        menu_items[:] = [item for item in menu_items if item.name != PUBLISH_ACTION]


def bulk_publish_refusals(user, pages):
    """Why `user` may not publish these pages at once: a condition page without the workflow, unless
    an administrator publishes it, and then not without its Symptoms and When to seek care blocks."""
    refusals = []
    for page in pages:
        if not issubclass(page.specific_class, ConditionPage):
            continue
        title = page.get_admin_display_title()
        if not may_publish_directly(user):
            refusals.append(
                f"“{title}” is a condition page: it goes live when a medical reviewer approves it. "
                "Open it and choose “Submit to Medical review”."
            )
        elif problem := required_blocks_problem(
            page.get_latest_revision_as_object().body, page_name=f"“{title}”", going="be published"
        ):
            refusals.append(problem)
    return refusals


@hooks.register("before_bulk_action")
def check_condition_page_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    # The pages asked for, those the user may not publish among them (Wagtail skips those silently),
    # and the drafts below them that "include descendants" would publish too.
    _, without_access = action_class_instance.get_actionable_objects()
    pages = [*objects, *without_access["items_with_no_access"]]
    if action_class_instance.cleaned_form.cleaned_data.get("include_descendants"):
        pages += [draft for page in objects for draft in page.get_descendants().not_live()]
    refusals = bulk_publish_refusals(request.user, pages)
    if refusals:
        # Nothing is published: the editor sees the same confirmation screen with the reasons.
        for refusal in refusals:
            messages.error(request, refusal)
        return redirect(request.get_full_path())
    return None


def awaiting_review_warning(page):
    """What an administrator who has just published `page` is told when it is not the reviewed content."""
    page = page.specific
    if not isinstance(page, ConditionPage) or page.review_is_current:
        return ""
    return (
        f"“{page.get_admin_display_title()}” is live without a medical reviewer's approval of this version: "
        "it shows “Awaiting medical review” until it is approved. Submit it to Medical review."
    )


@hooks.register("after_publish_page")
def warn_of_publishing_without_review(request, page):
    if warning := awaiting_review_warning(page):
        messages.warning(request, warning)


@hooks.register("after_bulk_action")
def warn_of_bulk_publishing_without_review(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    for page in objects:
        if warning := awaiting_review_warning(page.specific_class.objects.get(pk=page.pk)):
            messages.warning(request, warning)
    return None
