from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from home.models import BasePage, phone_validator
from home.phone import format_phone, normalise_phone


class LocationIndexPage(BasePage):
    """/locations/: the practice's clinics."""

    intro = models.TextField(max_length=400, blank=True, help_text="A sentence or two above the list of clinics.")

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["locations.LocationPage"]
    max_count = 1

    def get_summary(self):
        return self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["locations"] = LocationPage.objects.child_of(self).live().public().order_by("-is_primary", "title")
        return context


class LocationPage(BasePage):
    """One clinic: where it is, how to reach it and when it is open."""

    street_address = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, default="SC", help_text="Two-letter state code, e.g. SC.")
    postal_code = models.CharField("ZIP code", max_length=10)
    phone = models.CharField(
        max_length=25,
        validators=[phone_validator],
        help_text="Type it any way, e.g. 843-555-0100; it is stored normalised and shown as (843) 555-0100.",
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_primary = models.BooleanField(
        "primary location",
        default=False,
        help_text="The practice's main clinic: the town used in title tags of pages without their own location.",
    )
    accepting_new_patients = models.BooleanField(default=True)
    directions = models.TextField(blank=True, help_text="Directions and parking, in a few sentences.")
    is_placeholder = models.BooleanField(
        "demo data to replace",
        default=False,
        help_text="Ticked on demo content: the address and phone are placeholders. Replace them, then untick.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("is_placeholder"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("state"), FieldPanel("postal_code")]),
                FieldPanel("phone"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Address and phone",
        ),
        FieldPanel("directions"),
        MultiFieldPanel([FieldPanel("is_primary"), FieldPanel("accepting_new_patients")], heading="Status"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("city", boost=2),
        index.SearchField("street_address"),
        index.SearchField("directions"),
        index.FilterField("is_primary"),
    ]

    parent_page_types = ["locations.LocationIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if self.phone and not normalise_phone(self.phone):
            raise ValidationError({"phone": "Enter a ten-digit US phone number, e.g. (843) 555-0100."})

    def save(self, *args, **kwargs):
        self.phone = normalise_phone(self.phone) or self.phone
        self.state = self.state.upper()
        super().save(*args, **kwargs)

    @property
    def phone_display(self):
        return format_phone(self.phone) or self.phone

    def get_summary(self):
        address = f"{self.street_address}, {self.city}, {self.state} {self.postal_code}"
        return f"{self.title}: {address}. Call {self.phone_display}."

    def get_default_title(self):
        return f"Orthopaedic Clinic in {self.city}, {self.state}"

    def get_location(self):
        return self
