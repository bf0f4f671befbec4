"""The admin report of what visitors searched for and did not find, so staff know which page to write next."""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.permissions import policy_registry

from home.models import page_type_for
from ops.exports import ReportExportMixin
from ops.permissions import PAGE_WRITING_PERMISSIONS, page_permission_policy
from search.models import REPORT_DAYS, most_missed_queries


class SearchTermActionsColumn(BaseColumn):
    """What to do about a search that found nothing: write a condition page, or promote a result.

    Each link shows only to those who may follow it.
    """

    cell_template_name = "search/no_results_actions_cell.html"

    def __init__(self, name, create_page_url=None, may_promote=False, **kwargs):
        super().__init__(name, **kwargs)
        self.create_page_url = create_page_url
        self.may_promote = may_promote

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["create_page_url"] = self.create_page_url
        # Editing the query's promoted results, not adding new ones: Wagtail's edit form opens with
        # the search terms filled in, its add form empty (it takes no terms from the URL).
        context["promote_url"] = (
            reverse("wagtailsearchpromotions:edit", args=[instance.pk]) if self.may_promote else None
        )
        return context


def create_condition_page_url(user):
    """Wagtail's form for a new condition page in the live conditions section; None if the user may not."""
    condition_model = page_type_for("condition")
    if condition_model is None:
        return None
    index = Page.objects.live().type(*condition_model.allowed_parent_page_models()).first()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        return None
    return reverse(
        "wagtailadmin_pages:add",
        args=[condition_model._meta.app_label, condition_model._meta.model_name, index.pk],
    )


class NoResultsReportView(ReportExportMixin, ReportView):
    page_title = "Searches with no results"
    header_icon = "search"
    index_url_name = "search_reports:no_results"
    index_results_url_name = "search_reports:no_results_results"
    template_name = "search/no_results_report.html"
    any_permission_required = PAGE_WRITING_PERMISSIONS
    default_ordering = ("-misses", "query_string")
    export_filename = "searches-with-no-results"
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

    @cached_property
    def columns(self):
        user = self.request.user
        return [
            Column("query_string", label="Search terms", sort_key="query_string"),
            NumberColumn("misses", label="Searches with no results", sort_key="misses"),
            NumberColumn("searches", label="All searches", sort_key="searches"),
            DateColumn("last_missed", label="Last without results", sort_key="last_missed"),
            SearchTermActionsColumn(
                "actions",
                label="Next step",
                create_page_url=create_condition_page_url(user),
                may_promote=policy_registry.get_by_type(SearchPromotion).user_has_permission(user, "change"),
            ),
        ]

    def get_base_queryset(self):
        return most_missed_queries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report_days"] = REPORT_DAYS
        return context

    @property
    def no_results_message(self):
        return f"Every search in the last {REPORT_DAYS} days found at least one page."
