"""Reports → Google Business Profile: the clinics as a bulk-upload spreadsheet, and a comparison of
an exported spreadsheet with the clinic pages (locations/business_profile.py)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from locations import business_profile
from ops.permissions import may_write_pages


class ExportUploadForm(forms.Form):
    export = forms.FileField(
        label="Business Profile export (CSV)",
        help_text="In Business Profile: Manage locations → Download → CSV. At most 1 MB.",
    )


class PageWritersOnly:
    def dispatch(self, request, *args, **kwargs):
        if not may_write_pages(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class BusinessProfileView(PageWritersOnly, WagtailAdminTemplateMixin, FormView):
    page_title = "Google Business Profile"
    header_icon = "site"
    template_name = "locations/admin/business_profile.html"
    form_class = ExportUploadForm

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(clinics=business_profile.clinics(), **kwargs)

    def form_valid(self, form):
        try:
            uploaded = business_profile.read_export(form.cleaned_data["export"])
        except business_profile.UploadError as error:
            form.add_error("export", str(error))
            return self.form_invalid(form)
        context = self.get_context_data(form=form, differences=business_profile.differences(uploaded), compared=True)
        return self.render_to_response(context)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class BusinessProfileExportView(PageWritersOnly, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            business_profile.as_csv(business_profile.rows()), content_type="text/csv; charset=utf-8"
        )
        filename = f"business-profile-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
