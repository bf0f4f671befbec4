"""The admin report of what visitors searched for and did not find, so staff know which page to write next."""

import swapper
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

from home.exports import FormulaSafeExportMixin
from search.models import REPORT_DAYS, most_missed_queries

# Anyone who can write pages may see the report: it tells them which page to write.
PAGE_WRITING_PERMISSIONS = ["add", "change", "publish"]


def page_permission_policy():
    return policy_registry.get_by_type(swapper.load_model("wagtailcore", "Page"))


def can_view_report(user):
    return page_permission_policy().user_has_any_permission(user, PAGE_WRITING_PERMISSIONS)


class NoResultsReportView(FormulaSafeExportMixin, ReportView):
    page_title = "Searches with no results"
    header_icon = "search"
    index_url_name = "search_reports:no_results"
    index_results_url_name = "search_reports:no_results_results"
    results_template_name = "search/no_results_report_results.html"
    any_permission_required = PAGE_WRITING_PERMISSIONS
    default_ordering = ("-misses", "query_string")
    columns = [
        Column("query_string", label="Search terms", sort_key="query_string"),
        NumberColumn("misses", label="Searches with no results", sort_key="misses"),
        NumberColumn("searches", label="All searches", sort_key="searches"),
        DateColumn("last_missed", label="Last without results", sort_key="last_missed"),
    ]
    list_export = ["query_string", "misses", "searches", "last_missed"]
    export_headings = {
        "query_string": "Search terms",
        "misses": "Searches with no results",
        "searches": "All searches",
        "last_missed": "Last without results",
    }

    @cached_property
    def permission_policy(self):
        return page_permission_policy()

    def get_base_queryset(self):
        return most_missed_queries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report_days"] = REPORT_DAYS
        return context

    @property
    def no_results_message(self):
        return f"Every search in the last {REPORT_DAYS} days found at least one page."
