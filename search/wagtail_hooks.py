from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ops.permissions import may_write_pages
from search.reports import NoResultsReportView

report_urls = (
    [
        path("no-results/", NoResultsReportView.as_view(), name="no_results"),
        path("no-results/results/", NoResultsReportView.as_view(results_only=True), name="no_results_results"),
    ],
    "search_reports",
)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/search/", include(report_urls))]


class NoResultsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_write_pages(request.user)


@hooks.register("register_reports_menu_item")
def register_no_results_report_menu_item():
    return NoResultsReportMenuItem(
        "Searches with no results",
        reverse("search_reports:no_results"),
        name="searches-with-no-results",
        icon_name="search",
        order=1310,
    )
