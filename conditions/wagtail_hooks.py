from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from conditions.models import ReviewerProfile
from conditions.reports import DueForReviewPanel, DueForReviewView

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


def can_see_review_report(user):
    return policy_registry.get_by_type(Page).user_has_any_permission(user, DueForReviewView.any_permission_required)


class DueForReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_review_report(request.user)


@hooks.register("register_reports_menu_item")
def register_due_for_review_menu_item():
    return DueForReviewMenuItem(
        "Due for medical review", reverse("due_for_review"), name="due-for-review", icon_name="time", order=150
    )


@hooks.register("construct_homepage_panels")
def add_due_for_review_panel(request, panels):
    if can_see_review_report(request.user):
        panels.append(DueForReviewPanel())
