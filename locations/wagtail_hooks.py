from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from locations.towns import Town
from locations.views import BusinessProfileExportView, BusinessProfileView
from ops.permissions import may_write_pages

# Towns served without a clinic, for service-area pages: entered once, used by every condition.
register_snippet(Town)


@hooks.register("register_admin_urls")
def register_business_profile_urls():
    return [
        path("reports/business-profile/", BusinessProfileView.as_view(), name="business_profile"),
        path("reports/business-profile/export/", BusinessProfileExportView.as_view(), name="business_profile_export"),
    ]


class BusinessProfileMenuItem(MenuItem):
    def is_shown(self, request):
        return may_write_pages(request.user)


@hooks.register("register_reports_menu_item")
def register_business_profile_menu_item():
    return BusinessProfileMenuItem(
        "Google Business Profile", reverse("business_profile"), name="business-profile", icon_name="site", order=170
    )
