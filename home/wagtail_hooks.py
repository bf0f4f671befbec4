from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from home.exports import ReportExportMixin
from home.page_removal import DELETE, UNPUBLISH, PageRemoval, make_held_redirect
from home.permissions import PAGE_WRITING_PERMISSIONS, may_write_pages, page_permission_policy
from home.seo_audit import audit_live_pages


class SEOAuditView(ReportExportMixin, ReportView):
    """Every live page with what is wrong with its title tag, description, images and reach."""

    page_title = "SEO audit"
    header_icon = "search"
    index_url_name = "seo_audit"
    index_results_url_name = "seo_audit_results"
    results_template_name = "home/admin/seo_audit_results.html"
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


# Deleting or unpublishing a page: the confirmation pages list what will break and offer a redirect
# from the page's address (templates/wagtailadmin/pages/); the redirect is made once the page is gone.


@hooks.register("before_delete_page")
def hold_redirect_before_delete(request, page):
    return PageRemoval(page, DELETE, request).hold_redirect()


@hooks.register("before_unpublish_page")
def hold_redirect_before_unpublish(request, page):
    return PageRemoval(page, UNPUBLISH, request).hold_redirect()


@hooks.register("after_delete_page")
@hooks.register("after_unpublish_page")
def redirect_removed_page(request, page):
    make_held_redirect(request)


@hooks.register("insert_editor_js")
def paste_notice_js():
    """Tell editors when a table they pasted into rich text was flattened (home/admin/paste-notice.js)."""
    return format_html('<script src="{}"></script>', static("home/admin/paste-notice.js"))


@hooks.register("insert_global_admin_css")
def uploads_css():
    """A failed image upload shows its reason only (home/admin/uploads.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("home/admin/uploads.css"))
