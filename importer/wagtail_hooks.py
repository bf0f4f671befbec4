from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from importer import admin_urls
from importer.views import may_import


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import-old-site/", include(admin_urls, namespace="importer"))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        "Import old site", reverse("importer:upload"), name="import-old-site", icon_name="download", order=900
    )
