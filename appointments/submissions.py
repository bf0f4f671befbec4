"""The admin screen listing one appointment form's requests, with CSV and XLSX exports."""

from django.urls import reverse
from wagtail.contrib.forms.views import SubmissionsListView

from ops.exports import FormulaSafeExportMixin

INDEX_TITLE = "Appointment requests"


class AppointmentRequestsListView(FormulaSafeExportMixin, SubmissionsListView):
    """One form's requests and their CSV and XLSX exports, whether reached from Appointment requests or
    from Wagtail's Forms listing (both link to wagtailforms:list_submissions, which asks the page for
    this class). Who may see it is decided by the filter_form_submissions_for_user hook."""

    forms_index_url_name = "appointments:index"
    page_title = INDEX_TITLE

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.forms_index_url_name), "label": INDEX_TITLE},
            {"url": "", "label": self.get_page_subtitle()},
        ]
