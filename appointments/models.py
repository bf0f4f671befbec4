"""The appointment-request page, its editable fields, and the requests patients send through it."""

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_info
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
    validate_to_address,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, Site, TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from appointments import spam
from appointments.forms import RESERVED_FIELD_NAMES, SOURCE_FIELD, AppointmentFormBuilder, physician_choices
from home.forms import FormPageForm
from home.models import BasePage
from ops.log_filters import handling_form_data

logger = logging.getLogger(__name__)

FIELD_TYPE_CHOICES = FORM_FIELD_CHOICES + (
    ("phone", "Phone number"),
    ("clinic", "Clinic (a list of the practice's clinics)"),
    ("physician", "Physician (the clinicians taking new patients; optional)"),
)

AUTOCOMPLETE_CHOICES = [
    ("name", "Full name"),
    ("given-name", "First name"),
    ("family-name", "Last name"),
    ("tel", "Phone number"),
    ("email", "Email address"),
    ("postal-code", "ZIP code"),
]

VIEW_PERMISSION = "appointments.view_appointmentrequest"

DEFAULT_THANK_YOU_TEXT = (
    "<p>Our front desk will call you within one working day to find a time that suits you. "
    "If we miss you, we will try again or email you.</p>"
)


class AppointmentFormField(TranslatableMixin, AbstractFormField):
    """One question on the appointment form, as the editor set it up; translated with its page (its
    label, help text and choices), while the name its answers are stored under stays the English one."""

    page = ParentalKey("AppointmentPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(verbose_name="field type", max_length=16, choices=FIELD_TYPE_CHOICES)
    # Wagtail's admin builds a preview form from unsaved rows, so the type must be filled in first.
    field_type.required_on_save = True
    autocomplete = models.CharField(
        "browser autofill",
        max_length=20,
        blank=True,
        choices=AUTOCOMPLETE_CHOICES,
        help_text="What the visitor's browser may fill in for them. Phone and email fields need nothing here.",
    )

    panels = AbstractFormField.panels + [FieldPanel("autocomplete")]
    # Answers are stored under the English question's name in every language.
    override_translatable_fields = [SynchronizedField("clean_name")]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        pass

    def clean(self):
        super().clean()
        if (self.clean_name or self.get_field_clean_name()) in RESERVED_FIELD_NAMES:
            raise ValidationError({"label": "The form uses this name itself; choose another label."})


class AppointmentPage(RoutablePageMixin, BasePage, AbstractForm):
    """/contact/: patients ask for an appointment; the front desk reads the requests in the admin.

    A request is stored before anything else happens; staff are told by an email that carries no
    answers, only the clinic and a link to the admin, sent after the database commit.
    """

    label = "Appointments"

    intro = models.TextField(
        max_length=400,
        blank=True,
        help_text="One or two sentences above the form; also the fallback meta description.",
    )
    thank_you_text = RichTextField(
        "what happens next",
        features=["bold", "italic", "link", "ol", "ul"],
        default=DEFAULT_THANK_YOU_TEXT,
        help_text="Shown after a request is sent. The practice's phone number and the 911 advice follow it.",
    )
    to_address = models.CharField(
        "notify",
        max_length=255,
        blank=True,
        validators=[validate_to_address],
        help_text=(
            "Front-desk email addresses, separated by commas. They are told that a request arrived and "
            "for which clinic, never what the patient wrote. Empty: the addresses in the site's settings."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Question", heading="Questions on the form"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel([FieldPanel("to_address")], heading="Notifications"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    form_builder = AppointmentFormBuilder
    base_form_class = FormPageForm

    # Front-desk addresses are the same for every language's form.
    override_translatable_fields = [SynchronizedField("to_address")]

    class Meta:
        verbose_name = "appointment request page"

    def get_summary(self):
        return self.intro

    # --- form builder hooks ---------------------------------------------------------------

    def get_submission_class(self):
        return AppointmentRequest

    def get_submissions_list_view_class(self):
        # Imported here: Wagtail's admin views cannot be imported while models are loading.
        from appointments.submissions import AppointmentRequestsListView

        return AppointmentRequestsListView

    def get_data_fields(self):
        return [
            ("reference", "Reference"),
            *super().get_data_fields(),
            ("came_from", "Came from"),
            ("language", "Language"),
        ]

    def notification_recipients(self):
        addresses = [address.strip() for address in self.to_address.split(",") if address.strip()]
        return addresses or list(settings.APPOINTMENT_NOTIFICATION_TO)

    @sensitive_variables()
    def process_form_submission(self, form):
        """Store the request. The email that tells the front desk is sent by the notification worker
        (`send_pending_notifications`), never while the patient waits."""
        clinic_fields = [field.clean_name for field in self.get_form_fields() if field.field_type == "clinic"]
        data = form.submission_data()
        source = form.source_page()
        with transaction.atomic():
            wait_for_a_busy_database()
            return AppointmentRequest.objects.create(
                page=self,
                form_data=data,
                clinic=next((data[name] for name in clinic_fields if data.get(name)), ""),
                source_page=source,
                source_title=source.title[:255] if source else "",
                language=get_language_info(self.locale.language_code)["name"],
            )

    # --- where the visitor came from -------------------------------------------------------

    def source_page_id(self, request):
        """The id of the page that sent the visitor here: ?from=<id or path>, else the same-site referrer."""
        reference = request.GET.get("from", "").strip()
        if not reference:
            referrer = request.META.get("HTTP_REFERER", "")
            if referrer and url_has_allowed_host_and_scheme(referrer, allowed_hosts={request.get_host()}):
                reference = urlsplit(referrer).path
        if not reference or len(reference) > 300:
            return ""
        pages = Page.objects.live().exclude(pk=self.pk)
        if re.fullmatch(r"[0-9]{1,18}", reference):
            page = pages.filter(pk=int(reference)).first()
        elif reference.startswith("/"):
            site = Site.find_for_request(request)
            if site is None:
                return ""
            url_path = site.root_page.url_path + "/".join(part for part in reference.split("/") if part)
            page = pages.filter(url_path=url_path.rstrip("/") + "/").first()
        else:
            page = None
        return str(page.pk) if page else ""

    def chosen_physician(self, request):
        """The physician question answered in advance when a physician's page sent the visitor here
        (?physician=<their page's slug>); nothing for an unknown or absent slug."""
        slug = request.GET.get("physician", "")[:100]
        name = next((name for name, page_slug in physician_choices() if slug and page_slug == slug), None)
        fields = [field.clean_name for field in self.get_form_fields() if field.field_type == "physician"]
        return dict.fromkeys(fields, name) if name else {}

    # --- the visitor's side ----------------------------------------------------------------

    @path("")
    @method_decorator(sensitive_post_parameters())
    def form_view(self, request):
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        if request.method == "POST":
            return self.receive(request)
        initial = {SOURCE_FIELD: self.source_page_id(request), **self.chosen_physician(request)}
        form = self.get_form(page=self, user=request.user, initial=initial)
        return self.render_form(request, form)

    @sensitive_variables()
    def receive(self, request):
        refusal = spam.refuse_post(request)
        if refusal is not None:
            return refusal
        with handling_form_data():
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.looks_automated:
                # Bots are thanked like anyone else so they learn nothing; nothing is stored or sent.
                logger.info("Appointment form: discarded a post that looked automated (page %s).", self.pk)
                return self.redirect_to_thanks(request)
            if form.is_valid():
                try:
                    self.process_form_submission(form)
                except DatabaseError:
                    # Logged with the traceback; the log filter withholds the exception's message,
                    # which can quote the values being written.
                    logger.exception(
                        "Appointment form: a request could not be stored; the visitor was asked to send it "
                        "again or call (page %s).",
                        self.pk,
                        extra={"request": request},
                    )
                    return self.render_form(request, form, not_stored=True)
                return self.redirect_to_thanks(request)
        return self.render_form(request, form)

    def redirect_to_thanks(self, request):
        # 303: the browser fetches the thank-you page with GET, so a refresh cannot post again.
        return HttpResponseRedirect(self.get_url(request) + self.reverse_subpage("thanks"), status=303)

    def render_form(self, request, form, not_stored=False):
        context = self.get_context(request)
        context["form"] = form
        context["not_stored"] = not_stored
        # 503 when the request could not be stored: the answers are in the form, nothing was lost.
        status = 503 if not_stored else 200
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        # The page holds a CSRF token and the visitor's own start time: it must never be cached.
        add_never_cache_headers(response)
        return response

    @path("thanks/", name="thanks")
    def thanks_view(self, request):
        response = self.render_landing_page(request)
        response["X-Robots-Tag"] = "noindex"
        return response

    def serve_preview(self, request, mode_name):
        if mode_name == "landing":
            return self.render_landing_page(request)
        context = self.get_context(request)
        context["form"] = self.get_form(page=self, user=request.user)
        return TemplateResponse(request, self.get_template(request), context)


def wait_for_a_busy_database():
    """Let the insert of a request wait out a busy database for APPOINTMENT_STORE_TIMEOUT seconds.

    Pages give up on a statement after DATABASE_STATEMENT_TIMEOUT (PostgreSQL); a patient's request
    is worth waiting longer for. SQLite waits its busy timeout, which settings make as long.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        milliseconds = int(settings.APPOINTMENT_STORE_TIMEOUT * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")


class AppointmentRequest(AbstractFormSubmission):
    """One patient's request, and whether the front desk has been told about it."""

    clinic = models.CharField(max_length=255, blank=True, help_text="The clinic the patient chose, as it was named.")
    source_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_title = models.CharField("came from", max_length=255, blank=True)
    language = models.CharField(
        max_length=10, blank=True, help_text="The language of the form the patient filled in, e.g. “Spanish”."
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    notification_claimed_at = models.DateTimeField(null=True, blank=True)
    notification_claim = models.UUIDField(null=True, blank=True)
    notification_attempts = models.PositiveIntegerField(default=0)
    last_notification_error = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "appointment request"
        indexes = [models.Index(fields=["submit_time"], name="appointment_submit_time")]

    def __str__(self):
        # Wagtail's default is the form data itself, which would put answers wherever the object is named.
        return f"Appointment request {self.pk}"

    def get_data(self):
        return {**super().get_data(), "reference": self.pk, "came_from": self.source_title, "language": self.language}
