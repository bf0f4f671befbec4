"""Admin screens for the front desk: the appointment forms they can read, and each form's requests.

Wagtail's own form screens assume that whoever reads submissions also edits pages. The front desk
does not edit pages, so these views let the "view appointment request" permission stand on its own.
"""

from django.core.exceptions import PermissionDenied
from wagtail.contrib.forms.views import FormPagesListView

from appointments.models import VIEW_PERMISSION, AppointmentPage
from appointments.submissions import INDEX_TITLE


class AppointmentFormsListView(FormPagesListView):
    """The appointment request pages whose requests the user may read."""

    any_permission_required = None
    index_url_name = "appointments:index"
    index_results_url_name = "appointments:index_results"
    page_title = INDEX_TITLE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return super().get_base_queryset().type(AppointmentPage)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": INDEX_TITLE}]
