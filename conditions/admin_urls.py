"""The admin URLs of the live checks (conditions/views.py), which the page editor's panels post to."""

from django.urls import path
from wagtail import hooks

from conditions.views import LiveChecksOnCreate, LiveChecksOnEdit


@hooks.register("register_admin_urls")
def register_live_checks_urls():
    return [
        path("live-checks/pages/<int:page_id>/", LiveChecksOnEdit.as_view(), name="live_checks_on_edit"),
        path(
            "live-checks/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
            LiveChecksOnCreate.as_view(),
            name="live_checks_on_add",
        ),
    ]
