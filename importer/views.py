"""The import screen under Settings: upload an export, read the dry-run report, import as drafts.

Large exports import a batch at a time: the run's page imports its next batch each time it loads and
reloads itself (a plain meta refresh, no JavaScript) until every page is done, so no request runs
longer than one batch and the editor sees how far it has got. Only the editor's own confirmed
import advances, and a batch never imports a page twice (importer.runs.import_next_batch).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views import View

from importer.forms import UploadForm
from importer.models import ImportRun
from importer.report import COLUMNS, totals, write_csv
from importer.runs import check_upload, find_parent, import_next_batch, report_rows, start_import
from importer.sources import ImportFileError


def import_parent():
    try:
        return find_parent()
    except ImportFileError:
        return None


def may_import(user, parent=None):
    """Whoever may add condition pages under the conditions index may import drafts there."""
    parent = parent or import_parent()
    return parent is not None and parent.permissions_for_user(user).can_add_subpage()


class ImporterView(View):
    def dispatch(self, request, *args, **kwargs):
        self.parent = import_parent()
        if not may_import(request.user, self.parent):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_run(self, pk):
        return get_object_or_404(ImportRun, pk=pk, user=self.request.user)


class UploadView(ImporterView):
    template_name = "importer/upload.html"

    def get(self, request):
        return self.render(UploadForm())

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = check_upload(form.cleaned_data["export"], request.user, self.parent)
            except ImportFileError as error:
                form.add_error("export", str(error))
            else:
                return redirect("importer:run", run.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        runs = ImportRun.objects.filter(user=self.request.user).order_by("-created_at")[:10]
        context = {"form": form, "runs": runs, "parent": self.parent}
        return TemplateResponse(self.request, self.template_name, context, status=status)


class RunView(ImporterView):
    template_name = "importer/run.html"

    def get(self, request, pk):
        run = self.get_run(pk)
        if run.status == ImportRun.Status.IMPORTING:
            run = import_next_batch(run.pk)
        rows = report_rows(run)
        context = {
            "run": run,
            "rows": rows,
            "columns": COLUMNS,
            "totals": totals(rows),
            "importing": run.status == ImportRun.Status.IMPORTING,
            "percent": round(100 * run.position / run.total) if run.total else 100,
        }
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, pk):
        run = self.get_run(pk)
        start_import(run)
        return redirect("importer:run", run.pk)


class ReportCsvView(ImporterView):
    def get(self, request, pk):
        run = self.get_run(pk)
        kind = "dry-run" if run.status == ImportRun.Status.CHECKED else "import"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{kind}-report-{timezone.localtime(run.created_at):%Y-%m-%d-%H%M}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        write_csv(report_rows(run), response)
        return response
