import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.ui.tables.pages import PageStatusColumn
from wagtail.admin.views.reports import ReportView

from conditions.models import ConditionPage
from ops.exports import ReportExportMixin
from ops.permissions import PAGE_WRITING_PERMISSIONS

REVIEW_DATE_FORMAT = "M j, Y"


def pages_due_for_review(within_days=None, today=None):
    """Condition pages never reviewed, overdue, or due within the notice period (30 days by default)."""
    today = today or timezone.localdate()
    within_days = settings.MEDICAL_REVIEW_NOTICE_DAYS if within_days is None else within_days
    horizon = today + datetime.timedelta(days=within_days)
    return (
        ConditionPage.objects.filter(models.Q(next_review_due__isnull=True) | models.Q(next_review_due__lte=horizon))
        .select_related("reviewed_by_user")
        .order_by(models.F("next_review_due").asc(nulls_first=True), "title")
    )


def last_reviewed_text(page):
    return date_format(page.last_reviewed, REVIEW_DATE_FORMAT) if page.last_reviewed else "—"


def next_review_text(page, today):
    """When the next review is due, saying so when that day has passed; "Now" for a page never reviewed."""
    if not page.next_review_due:
        return "Now"
    due = date_format(page.next_review_due, REVIEW_DATE_FORMAT)
    return f"{due} (overdue)" if page.next_review_due < today else due


class DueForReviewView(ReportExportMixin, ReportView):
    """Condition pages whose medical review is overdue, due soon, or that were never reviewed."""

    page_title = "Due for medical review"
    header_icon = "time"
    index_url_name = "due_for_review"
    index_results_url_name = "due_for_review_results"
    no_results_message = (
        f"No condition page is due for medical review in the next {settings.MEDICAL_REVIEW_NOTICE_DAYS} days."
    )
    any_permission_required = PAGE_WRITING_PERMISSIONS
    export_filename = "due-for-medical-review"
    list_export = ["title", "reviewed_by", "last_reviewed", "next_review_due", "status_string"]
    export_headings = {
        "reviewed_by": "Reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Next review due",
        "status_string": "Status",
    }

    @cached_property
    def columns(self):
        today = timezone.localdate()
        return [
            TitleColumn("title", label="Page", accessor="get_admin_display_title", url_name="wagtailadmin_pages:edit"),
            Column("reviewed_by", label="Reviewed by", accessor=lambda page: page.reviewed_by or "Never reviewed"),
            Column("last_reviewed", label="Last reviewed", accessor=last_reviewed_text),
            Column("next_review_due", label="Next review due", accessor=lambda page: next_review_text(page, today)),
            PageStatusColumn("status", label="Status"),
        ]

    def get_queryset(self):
        return pages_due_for_review()


class DueForReviewPanel(Component):
    """Dashboard panel: how many condition pages need a medical review soon."""

    name = "due_for_review"
    template_name = "conditions/admin/due_for_review_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        return {"count": pages_due_for_review().count()}
