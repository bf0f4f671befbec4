"""Live checks: the page editor's checks computed on what the editor has typed, before saving.

The editor's script (seo/static/seo/admin/live-checks.js) posts the whole form here as the editor
types. The unsaved page is built from it exactly as Wagtail's preview builds it (the views below are
its preview views, answering with JSON instead of keeping the form for a preview), including for a
page not created yet; nothing is saved. The answer carries what the search-result preview shows
(seo.panels.search_preview) and, for condition and local pages, their content checks and doorway
numbers (conditions.panels.content_checks).
"""

from django.http import Http404, JsonResponse
from wagtail.admin.views.pages.preview import PreviewOnCreateView, PreviewOnEditView

from conditions.panels import content_checks
from home.models import BasePage
from seo.panels import search_preview


def live_checks(page, parent, request):
    """The checks of the unsaved page, as JSON-ready data."""
    return {
        "valid": True,
        "search_preview": search_preview(page, parent, request),
        "content_checks": content_checks(page, parent, "typed"),
    }


def fields_to_correct(form):
    """Why the checks could not be made: the form has errors (a summary over its length limit, say)."""
    labels = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    what = ", ".join(f"“{label}”" for label in labels) or "the fields marked"
    return f"The checks are not up to date: correct {what} first."


class LiveChecks:
    """Answers a POSTed editor form with the checks of the page it describes, as JSON.

    Permissions are the preview's: editing the page, or adding a page under the parent. Signed-out
    users and users without admin access are turned away by the admin's own URL guard. The script
    sends X-Requested-With, so a refusal is a 403 for it; other requests are redirected.
    """

    http_method_names = ("post",)

    def validate_form(self, form):
        # Checks are wanted from the first key pressed, before the form is complete: a local page's
        # doorway numbers do not wait for its clinic to be chosen. (Django then leaves the empty
        # fields out of the model's validation too.)
        for field in form.fields.values():
            field.required = False
        return super().validate_form(form)

    def post(self, request, *args, **kwargs):
        if not isinstance(self.object, BasePage):
            raise Http404("Only the site's own page types have live checks.")
        form = self.get_form(request.POST)
        if not self.validate_form(form):
            return JsonResponse({"valid": False, "message": fields_to_correct(form)})
        form.save(commit=False)  # as the preview does: the page's inline children, unsaved
        page = form.instance
        # The preview stands in a title and slug when they are empty; the checks show the gap instead.
        if not request.POST.get("title", "").strip():
            page.title = ""
        if not request.POST.get("slug", "").strip():
            page.slug = ""
        return JsonResponse(live_checks(page, form.parent_page, request))


class LiveChecksOnEdit(LiveChecks, PreviewOnEditView):
    pass


class LiveChecksOnCreate(LiveChecks, PreviewOnCreateView):
    pass
