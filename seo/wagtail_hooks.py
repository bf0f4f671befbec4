"""The SEO audit report (Reports → SEO audit): every live page and what is wrong with it."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from ops.exports import ReportExportMixin
from ops.permissions import PAGE_WRITING_PERMISSIONS, may_write_pages, page_permission_policy
from seo.audit import audit_live_pages


class AuditPageColumn(TitleColumn):
    """The page's title, linked to its editor, with its type beneath."""

    cell_template_name = "seo/admin/audit_page_cell.html"

    def get_link_url(self, instance, parent_context):
        return reverse("wagtailadmin_pages:edit", args=[instance.page.pk])


class TextLengthColumn(Column):
    """Text with its length in characters, the figure search engines hold against a budget."""

    empty_value_display = "—"

    def get_value(self, instance):
        text = super().get_value(instance)
        return f"{text} ({len(text)})" if text else ""


class ProblemsColumn(Column):
    """One line per problem found, or "None"."""

    cell_template_name = "seo/admin/audit_problems_cell.html"


class SEOAuditView(ReportExportMixin, ReportView):
    """Every live page with what is wrong with its title tag, description, images and reach."""

    page_title = "SEO audit"
    header_icon = "search"
    index_url_name = "seo_audit"
    index_results_url_name = "seo_audit_results"
    columns = [
        AuditPageColumn("title", label="Page"),
        TextLengthColumn("title_tag", label="Title tag"),
        TextLengthColumn("meta_description", label="Meta description"),
        ProblemsColumn("problems", label="Problems"),
    ]
    no_results_message = "There are no live pages yet."
    permission_policy = page_permission_policy()
    any_permission_required = PAGE_WRITING_PERMISSIONS
    export_filename = "seo-audit"
    list_export = [
        "title",
        "page_type",
        "page.full_url",
        "title_tag",
        "meta_description",
        "social_image",
        "problems_text",
    ]
    export_headings = {
        "title": "Page",
        "page_type": "Type",
        "page.full_url": "URL",
        "title_tag": "Title tag",
        "meta_description": "Meta description",
        "social_image": "Social image",
        "problems_text": "Problems",
    }

    def get_queryset(self):
        return audit_live_pages()


class SEOAuditMenuItem(MenuItem):
    def is_shown(self, request):
        return may_write_pages(request.user)


@hooks.register("register_admin_urls")
def register_seo_audit_urls():
    return [
        path("reports/seo-audit/", SEOAuditView.as_view(), name="seo_audit"),
        path("reports/seo-audit/results/", SEOAuditView.as_view(results_only=True), name="seo_audit_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_seo_audit_menu_item():
    return SEOAuditMenuItem("SEO audit", reverse("seo_audit"), name="seo-audit", icon_name="search", order=160)
