from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView

from conditions.models import pages_due_for_review
from ops.exports import ReportExportMixin
from ops.permissions import PAGE_WRITING_PERMISSIONS


class DueForReviewView(ReportExportMixin, PageReportView):
    """Condition pages whose medical review is overdue, due soon, or that were never reviewed."""

    page_title = "Due for medical review"
    header_icon = "time"
    index_url_name = "due_for_review"
    index_results_url_name = "due_for_review_results"
    results_template_name = "conditions/admin/due_for_review_results.html"
    any_permission_required = PAGE_WRITING_PERMISSIONS
    export_filename = "due-for-medical-review"
    list_export = ["title", "reviewed_by", "last_reviewed", "next_review_due", "status_string"]
    export_headings = {
        "reviewed_by": "Reviewed by",
        "last_reviewed": "Last reviewed",
        "next_review_due": "Next review due",
        "status_string": "Status",
    }

    def get_queryset(self):
        return pages_due_for_review()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class DueForReviewPanel(Component):
    """Dashboard panel: how many condition pages need a medical review soon."""

    name = "due_for_review"
    template_name = "conditions/admin/due_for_review_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        return {"count": pages_due_for_review().count()}
