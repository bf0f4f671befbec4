from urllib.parse import urlencode

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from home.i18n import localized, translation_ids
from home.index_page import IndexPage
from home.models import BasePage, page_type_for
from home.phone import PhoneNumberField, normalise_phone
from locations.hours import TIME_ZONES, WEEKDAYS, OpeningHours, SpecialHours, hours_now  # noqa: F401
from locations.states import state_name
from locations.towns import Town  # noqa: F401 (registered with the app's models)
from pagecache.store import expire_by, for_current_generation
from seo.structured_data import MEDICAL_SPECIALTIES


class LocationIndexPage(IndexPage):
    """/locations/: the practice's clinics."""

    label = "Locations"
    listing_name = "locations"

    subpage_types = ["locations.LocationPage"]

    def listed_pages(self):
        return (
            LocationPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-is_primary", "title")
            .prefetch_related(*LocationPage.HOURS_RELATIONS)
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["clinics"] = [(location, location.hours_now(request)) for location in self.listing]
        return context

    def get_structured_data(self, graph):
        # Each clinic is a node of its own (address, hours); the list points to them.
        clinics = [location.clinic_node(graph) for location in self.listing if location.shows_details]
        return {"mainEntity": self.item_list({"item": {"@id": clinic["@id"]}} for clinic in clinics)}, clinics


# The clinic's photo, as locations/location_page.html asks for it (its renditions are made on publish).
CLINIC_PICTURE = "fill-{480x320,800x533}-c100 format-{avif,webp}"


class LocationPage(BasePage):
    """One clinic: where it is, how to reach it and when it is open."""

    label = "Location"
    shown_on_home_page = True
    site_role = "clinic"

    street_address = models.CharField(max_length=200, help_text="Street and number, suite or floor, as on a letter.")
    city = models.CharField(max_length=100, help_text="The town patients search for, e.g. “Charleston”.")
    state = models.CharField(max_length=2, default="SC", help_text="Two-letter state code, e.g. SC.")
    postal_code = models.CharField("ZIP code", max_length=10, help_text="Five digits, e.g. 29401.")
    phone = PhoneNumberField(
        help_text="Type it any way, e.g. 843-555-0100: it is saved and shown as (843) 555-0100.",
    )
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, help_text="e.g. 32.776500 (from a map's “share” link)."
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, help_text="e.g. -79.931100; negative west of Greenwich."
    )
    is_primary = models.BooleanField(
        "primary location",
        default=False,
        help_text="The practice's main clinic: the town used in title tags of pages without their own location.",
    )
    accepting_new_patients = models.BooleanField(
        default=True, help_text="Shown on the clinic page and told to search engines; untick when the clinic is full."
    )
    time_zone = models.CharField(
        max_length=40,
        choices=TIME_ZONES,
        default="America/New_York",
        help_text="The clinic's hours are in this time zone; “open now” on the site is worked out in it.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The building or entrance, so patients recognise it. Set the focal point on the entrance; the "
            "image's description is its alt text (leave it empty if the photo adds nothing to the text)."
        ),
    )
    photo_alt_text = models.CharField(
        "photo description",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for people who cannot see it (translated with the page). "
        "Leave empty to use the image's own description.",
    )
    directions = models.TextField(blank=True, help_text="How to find the entrance, in a few sentences.")
    parking = models.TextField(blank=True, help_text="Where patients park, and what it costs.")
    accessibility = models.TextField(
        blank=True,
        help_text="Step-free entrance, lifts, accessible parking and restrooms: what patients need to know.",
    )
    areas_served = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "Nearby towns without a clinic of their own, separated by commas, e.g. “Mount Pleasant, James Island”."
        ),
    )
    booking_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where patients ask for an appointment, usually the contact page.",
    )
    booking_url = models.URLField(
        blank=True,
        help_text="An external booking address; used instead of the booking page when set.",
    )
    conditions_treated = ParentalManyToManyField(
        "conditions.ConditionPage",
        blank=True,
        related_name="treated_at_locations",
        help_text="The conditions treated at this clinic; each condition page lists its clinics.",
    )
    is_placeholder = models.BooleanField(
        "demo data to replace",
        default=False,
        help_text="Ticked on demo content: the address and phone are placeholders. Replace them, then untick.",
    )

    # The address and phone are the same in every language: kept in step with the English page.
    override_translatable_fields = [
        SynchronizedField(name) for name in ("street_address", "city", "state", "postal_code", "phone")
    ]

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
        FieldPanel("photo"),
        FieldPanel("photo_alt_text"),
        InlinePanel("opening_hours", heading="Opening hours", label="Opening interval"),
        InlinePanel("special_hours", heading="Special hours and closures", label="Special hours"),
        FieldPanel("time_zone"),
        MultiFieldPanel(
            [FieldPanel("directions"), FieldPanel("parking"), FieldPanel("accessibility")],
            heading="Getting here",
        ),
        FieldPanel("areas_served"),
        FieldPanel("conditions_treated", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("is_primary"),
                FieldPanel("accepting_new_patients"),
                PageChooserPanel("booking_page"),
                FieldPanel("booking_url"),
            ],
            heading="Status and booking",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("city", boost=2),
        index.SearchField("areas_served", boost=2),
        index.SearchField("street_address"),
        index.SearchField("postal_code"),
        index.SearchField("directions"),
        index.SearchField("parking"),
        index.SearchField("accessibility"),
        index.FilterField("is_primary"),
    ]

    parent_page_types = ["locations.LocationIndexPage"]
    subpage_types = []

    def save(self, *args, **kwargs):
        self.state = self.state.upper()
        super().save(*args, **kwargs)

    @property
    def phone_e164(self):
        """+18435550100: for tel: links and the JSON-LD `telephone`."""
        return normalise_phone(self.phone)

    def get_summary(self):
        address = f"{self.street_address}, {self.city}, {self.state} {self.postal_code}"
        return f"{self.title}: {address}. Call {self.phone}."

    default_title_template = gettext_noop("{title}: Orthopaedic Care in {city}, {state} | {brand}")

    def get_location(self):
        return self

    # --- structured data -------------------------------------------------------------------

    def postal_address(self):
        return {
            "@type": "PostalAddress",
            "streetAddress": self.street_address,
            "addressLocality": self.city,
            "addressRegion": self.state,
            "postalCode": self.postal_code,
            "addressCountry": "US",
        }

    # What clinic_node() reads beyond the page's own fields: prefetch these when listing clinics.
    HOURS_RELATIONS = ("opening_hours", "special_hours")

    def pages_showing_this(self):
        # The primary clinic is in every page's footer and title template, and any clinic can
        # become primary; clinics change rarely.
        return None

    @classmethod
    def live_clinics(cls):
        """Every live, public clinic with its hours, primary first, kept per page-cache generation.

        Each carries `treated_condition_ids`, the conditions it lists: condition pages pick their
        "Where we treat this" from here without a query. A clinic's fields, hours and conditions
        change only when it is published, which starts a new generation (pagecache/signals.py).
        """

        def load():
            clinics = list(
                localized(cls.objects.live().public())
                .order_by("-is_primary", "title")
                .prefetch_related(*cls.HOURS_RELATIONS)
            )
            treated = {clinic.pk: set() for clinic in clinics}
            pairs = list(
                cls.conditions_treated.through.objects.filter(locationpage__in=clinics).values_list(
                    "locationpage_id", "conditionpage_id"
                )
            )
            # A condition's translations are treated where it is.
            translations = translation_ids({condition_id for _, condition_id in pairs})
            for clinic_id, condition_id in pairs:
                treated[clinic_id] |= translations.get(condition_id, {condition_id})
            for clinic in clinics:
                clinic.treated_condition_ids = treated[clinic.pk]
            return clinics

        # In the visitor's language: each clinic's translation where it has one.
        return for_current_generation(f"live-clinics:{get_language()}", load)

    def clinic_id(self, graph):
        return f"{graph.absolute(self.get_url(graph.request))}#clinic"

    def clinic_node(self, graph):
        """The clinic as a schema.org MedicalClinic, from the fields the location page shows."""
        node = {
            "@type": "MedicalClinic",
            "@id": self.clinic_id(graph),
            # The brand and the clinic, as patients and the clinic's Business Profile name it.
            "name": f"{graph.practice.brand} – {self.title}",
            "url": graph.absolute(self.get_url(graph.request)),
            "telephone": self.phone_e164 or self.phone,
            "address": self.postal_address(),
            "parentOrganization": {"@id": graph.organization_id},
            "isAcceptingNewPatients": self.accepting_new_patients,
            "medicalSpecialty": MEDICAL_SPECIALTIES,
            "hasMap": self.map_url(),
        }
        if self.latitude is not None and self.longitude is not None:
            node["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        hours = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{interval.day_name}",
                "opens": interval.opens.strftime("%H:%M"),
                "closes": interval.closes.strftime("%H:%M"),
            }
            for interval in self.opening_hours.all()
        ]
        for special in self.upcoming_special_hours():
            hours.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "name": special.name,
                    # schema.org's convention for a closed day: opens and closes at midnight.
                    "opens": "00:00" if special.closed else special.opens.strftime("%H:%M"),
                    "closes": "00:00" if special.closed else special.closes.strftime("%H:%M"),
                    "validFrom": special.start_date.isoformat(),
                    "validThrough": special.end_date.isoformat(),
                }
            )
        if hours:
            node["openingHoursSpecification"] = hours
        if self.areas_served_list:
            state = {"@type": "State", "name": state_name(self.state)}
            node["areaServed"] = [
                {"@type": "City", "name": town, "containedInPlace": state} for town in self.areas_served_list
            ]
        return node

    def get_structured_data(self, graph):
        if not self.shows_details:
            return {}, []
        clinic = self.clinic_node(graph)
        return {"about": {"@id": clinic["@id"]}}, [clinic]

    @property
    def shows_details(self):
        """False while the clinic holds demo data to replace (is_placeholder): its page is kept out of
        search engines and its address and phone out of every page's structured data."""
        return not self.is_placeholder

    @property
    def is_indexable(self):
        return super().is_indexable and self.shows_details

    def map_url(self):
        """A maps search for the clinic's address: directions without loading a map on the page."""
        address = ", ".join(
            part for part in (self.street_address, self.city, f"{self.state} {self.postal_code}".strip()) if part
        )
        return "https://www.google.com/maps/search/?" + urlencode({"api": "1", "query": address})

    @property
    def areas_served_list(self):
        return [town.strip() for town in self.areas_served.split(",") if town.strip()]

    @property
    def booking_link(self):
        if self.booking_url:
            return self.booking_url
        if not (self.booking_page_id and self.booking_page.live):
            return ""
        # The booking page in the visitor's language when it is translated.
        return self.booking_page.localized.url

    def weekly_hours(self):
        """Opening intervals grouped by day, Monday first: [(day name, [interval, …]), …]."""
        by_day = {day: [] for day, _ in WEEKDAYS}
        for interval in self.opening_hours.all():
            by_day[interval.weekday].append(interval)
        return [(name, sorted(by_day[day], key=lambda i: i.opens)) for day, name in WEEKDAYS]

    def images_to_prepare(self):
        return [(self.photo, CLINIC_PICTURE)]

    def hours_now(self, request=None):
        """Open now, today's hours and the next opening (locations.hours.HoursNow), in the clinic's
        time zone; a page showing them is kept by caches only until they change."""
        state = hours_now(self)
        expire_by(request, state.changes_at)
        return state

    def upcoming_special_hours(self, today=None):
        today = today or timezone.localdate()
        return [special for special in self.special_hours.all() if special.end_date >= today]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # From the page's own list, which a preview holds in memory rather than in the database.
        chosen = [condition.pk for condition in self.conditions_treated.all()]
        condition_type = page_type_for("condition")
        # In the page's language where the conditions are translated.
        keys = Page.objects.filter(pk__in=chosen).values("translation_key")
        context["conditions"] = (
            localized(condition_type.objects.filter(translation_key__in=keys).live().public()).order_by("title")
            if condition_type
            else []
        )
        physician_type = page_type_for("physician")
        context["physicians"] = physician_type.seeing_patients_at(self.pk) if physician_type else []
        context["hours"] = self.hours_now(request)
        return context
