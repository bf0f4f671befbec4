from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from appointments import views
from appointments.models import VIEW_PERMISSION, AppointmentPage, AppointmentRequest

# What Wagtail's "Forms" listing asks of a user before it opens.
FORMS_LISTING_PERMISSIONS = {"add", "change", "publish", "bulk_delete", "lock", "unlock"}


@hooks.register("filter_form_submissions_for_user")
def appointment_requests_for_front_desk_only(user, editable_forms):
    """Wagtail lets anyone who can edit a form page read its submissions; patients' requests are
    for holders of the "view appointment request" permission (the Front desk group, superusers)."""
    other_forms = editable_forms.not_type(AppointmentPage)
    if not user.has_perm(VIEW_PERMISSION):
        return other_forms
    return Page.objects.filter(Q(pk__in=other_forms.values("pk")) | Q(pk__in=Page.objects.type(AppointmentPage)))


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path("", views.AppointmentFormsListView.as_view(), name="index"),
        path("results/", views.AppointmentFormsListView.as_view(results_only=True), name="index_results"),
    ]
    return [path("appointment-requests/", include((urls, "appointments")))]


class AppointmentRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_appointment_requests_menu_item():
    return AppointmentRequestsMenuItem(
        views.INDEX_TITLE, reverse("appointments:index"), name="appointment-requests", icon_name="form", order=690
    )


@hooks.register("construct_main_menu")
def hide_forms_menu_from_staff_without_page_permissions(request, menu_items):
    # The front desk reads requests without page permissions; Wagtail's "Forms" listing would refuse them.
    if not PagePermissionPolicy().user_has_any_permission(request.user, FORMS_LISTING_PERMISSIONS):
        menu_items[:] = [item for item in menu_items if item.name != "forms"]


def _refuse_while_requests_remain(request, pages):
    under_pages = Q()
    for page in pages:
        under_pages |= Q(page__path__startswith=page.path)
    count = AppointmentRequest.objects.filter(under_pages).count()
    if not count:
        return None
    messages.error(
        request,
        f"Not deleted: {count} appointment request{'s are' if count != 1 else ' is'} still stored under this page. "
        "The front desk must delete them first under Appointment requests, or wait until they are purged.",
    )
    return redirect("wagtailadmin_explore", pages[0].get_parent().pk)


@hooks.register("before_delete_page")
def keep_pages_holding_appointment_requests(request, page):
    # Deleting a form page deletes its submissions with it.
    return _refuse_while_requests_remain(request, [page])


@hooks.register("before_bulk_action")
def keep_pages_holding_appointment_requests_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    return _refuse_while_requests_remain(request, objects)
