"""The practice's clinicians: /physicians/ and a page for each, with what patients and search
engines ask of a doctor (credentials, training, where and when they see patients, what they treat).

A clinician is a schema.org Person on their own page, and also an IndividualPhysician when they see
patients at a clinic. Condition pages name them as "Physicians who treat this" and, when one of
them approved the page, as its medical reviewer (conditions.review).
"""

from django import forms
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_noop
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.fields import ChoiceListField
from home.i18n import localized, translation_ids
from home.index_page import IndexPage
from home.models import BasePage, page_type_for
from pagecache.store import for_current_generation
from physicians.npi import validate_npi

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
# schema.org's MedicalSpecialty values an orthopaedic practice's clinicians practise.
MEDICAL_SPECIALTIES = [
    ("Musculoskeletal", "Orthopaedics and sports medicine (musculoskeletal)"),
    ("Surgical", "Surgery"),
    ("Physiotherapy", "Physical therapy"),
    ("Rheumatologic", "Rheumatology"),
    ("Neurologic", "Neurology"),
    ("Podiatric", "Podiatry"),
    ("Radiography", "Radiology and imaging"),
    ("PrimaryCare", "Primary care"),
]
EDUCATION_KINDS = [
    ("degree", "Degree"),
    ("residency", "Residency"),
    ("fellowship", "Fellowship"),
    ("other", "Other training"),
]
BIO_FEATURES = ["bold", "italic", "link"]


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


class PhysicianIndexPage(IndexPage):
    """/physicians/: the practice's clinicians, in the order editors give them in the page tree."""

    label = "Physicians"
    site_role = "physician list"
    listing_name = "physicians"
    schema_type = "CollectionPage"

    subpage_types = ["physicians.PhysicianPage"]

    def listed_pages(self):
        return PhysicianPage.objects.child_of(self).live().public().order_by("path").select_related("photo")

    def get_structured_data(self, graph):
        people = [physician.person_node(graph, brief=True) for physician in self.listing]
        return {"mainEntity": self.item_list({"item": {"@id": person["@id"]}} for person in people)}, people


class PhysicianPage(BasePage):
    """One clinician: who they are, what they treat, and where and when they see patients."""

    label = "Physician"
    shown_on_home_page = True
    site_role = "physician"

    credentials = models.CharField(
        max_length=60, blank=True, help_text="Letters after the name, e.g. “MD”, “DO, FAAOS”, “PA-C” or “DPT”."
    )
    job_title = models.CharField(max_length=120, help_text="e.g. “Orthopaedic spine surgeon”.")
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A head-and-shoulders portrait. Set its focal point on the face so that every crop keeps it.",
    )
    bio = RichTextField(features=BIO_FEATURES, help_text="A short biography in a few paragraphs, in plain words.")
    specialties = models.TextField(
        blank=True, help_text="Specialties and sub-specialties, one per line, e.g. “Spine surgery”."
    )
    medical_specialties = ChoiceListField(
        "medical specialties",
        choice_list=MEDICAL_SPECIALTIES,
        help_text="What search engines are told the clinician practises.",
    )
    board_certifications = models.TextField(
        blank=True, help_text="One per line, e.g. “American Board of Orthopaedic Surgery”."
    )
    languages = models.CharField(
        max_length=200, default="English", help_text="Languages spoken with patients, separated by commas."
    )
    accepting_new_patients = models.BooleanField(default=True)
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        validators=[validate_npi],
        help_text="The 10-digit National Provider Identifier, as in the NPPES registry.",
    )
    is_placeholder = models.BooleanField(
        "demo data to replace",
        default=False,
        help_text=(
            "Ticked on demo content: a made-up clinician. The page is hidden from search engines, and a "
            "deployment check fails, until it is replaced by a real one."
        ),
    )
    conditions_treated = ParentalManyToManyField(
        "conditions.ConditionPage",
        blank=True,
        related_name="treated_by_physicians",
        help_text="Each condition page lists the physicians who treat it.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("is_placeholder"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("credentials"), FieldPanel("job_title")]), FieldPanel("photo")],
            heading="Name and photo",
            help_text="The page title is the clinician's name as patients know it, without “Dr.” or letters.",
        ),
        FieldPanel("bio"),
        MultiFieldPanel(
            [
                FieldPanel("specialties"),
                FieldPanel("medical_specialties"),
                FieldPanel("board_certifications"),
                FieldPanel("languages"),
                FieldPanel("npi"),
            ],
            heading="Specialties and credentials",
        ),
        InlinePanel("education", heading="Education and training", label="Education"),
        InlinePanel("clinic_days", heading="Clinics", label="Clinic"),
        FieldPanel("accepting_new_patients"),
        FieldPanel("conditions_treated", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("job_title", boost=2),
        index.SearchField("specialties", boost=2),
        index.SearchField("bio"),
    ]

    parent_page_types = ["physicians.PhysicianIndexPage"]
    subpage_types = []
    default_title_template = gettext_noop("{title}: {city}, {state} | {brand}")
    schema_type = "ProfilePage"
    og_type = "profile"

    @property
    def display_name(self):
        """“Avery Quinlan, MD”: the name with the credentials after it."""
        return f"{self.title}, {self.credentials}" if self.credentials else self.title

    @property
    def is_indexable(self):
        return super().is_indexable and not self.is_placeholder

    @property
    def initials(self):
        """“ME” for Morgan Example: shown in place of a photo until one is added."""
        words = [word for word in self.title.split() if word[:1].isalpha()]
        return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper()

    def get_summary(self):
        summary = f"{self.display_name}, {self.job_title.lower() if self.job_title else 'clinician'}"
        specialties = self.specialty_list[:3]
        if specialties:
            summary += f", specializing in {', '.join(specialties).lower()}"
        return f"{summary}. {'Accepting' if self.accepting_new_patients else 'Not accepting'} new patients."

    def template_variables(self, practice):
        return {**super().template_variables(practice), "title": self.display_name}

    def get_location(self):
        # Their first clinic gives the town of their title tag.
        entry = next(iter(self.clinic_schedule), None)
        return entry.clinic if entry else None

    @property
    def specialty_list(self):
        return lines(self.specialties)

    @property
    def medical_specialty_labels(self):
        """The medical specialties as the page shows them (search engines get their schema.org names)."""
        return self._meta.get_field("medical_specialties").labels(self.medical_specialties)

    @property
    def certification_list(self):
        return lines(self.board_certifications)

    @property
    def language_list(self):
        return [language.strip() for language in self.languages.split(",") if language.strip()]

    @cached_property
    def clinic_schedule(self):
        """The live clinics where they see patients, with the days, in the editor's order."""
        entries = self.clinic_days.select_related("clinic") if self.pk else self.clinic_days.all()
        return [entry for entry in entries if entry.clinic and entry.clinic.live]

    @cached_property
    def conditions(self):
        """The live, public conditions they treat; read from the page's own list, which a preview
        holds in memory rather than in the database."""
        chosen = [condition.pk for condition in self.conditions_treated.all()]
        condition_type = page_type_for("condition")
        if not chosen or condition_type is None:
            return []
        pages = condition_type.objects.filter(pk__in=chosen).live().public()
        return list(pages.order_by("title").only("title", "summary", "url_path"))

    def pages_showing_this(self):
        # Condition pages, clinic pages and the appointment form name their clinicians; clinicians
        # change rarely.
        return None

    # --- structured data -------------------------------------------------------------------

    def person_id(self, graph):
        return f"{graph.absolute(self.get_url(graph.request))}#person"

    def person_node(self, graph, brief=False):
        """The clinician as a schema.org Person, and an IndividualPhysician where they see patients.

        `brief` leaves out what points to other nodes (clinics), for other pages' graphs: a condition
        page names its reviewer, the index lists everyone.
        """
        url = graph.absolute(self.get_url(graph.request))
        node = {
            "@type": "Person",
            "@id": self.person_id(graph),
            "name": self.title,
            "url": url,
            "worksFor": {"@id": graph.organization_id},
        }
        if self.credentials:
            node["honorificSuffix"] = self.credentials
        if self.job_title:
            node["jobTitle"] = self.job_title
        if self.photo_id:
            node["image"] = graph.absolute(self.photo.get_rendition("fill-400x400").url)
        if brief:
            return node
        if self.language_list:
            node["knowsLanguage"] = self.language_list
        credentials = [
            {"@type": "EducationalOccupationalCredential", "credentialCategory": "Board certification", "name": name}
            for name in self.certification_list
        ]
        credentials += [entry.credential_node() for entry in self.education.all() if entry.kind == "degree"]
        if credentials:
            node["hasCredential"] = credentials
        schools = [entry.organization_node() for entry in self.education.all()]
        if schools:
            node["alumniOf"] = schools
        if self.clinic_schedule:
            node["@type"] = ["Person", "IndividualPhysician"]
            node["memberOf"] = {"@id": graph.organization_id}
            node["isAcceptingNewPatients"] = self.accepting_new_patients
            node["practicesAt"] = [entry.clinic_reference(graph) for entry in self.clinic_schedule]
            if self.npi:
                node["usNPI"] = self.npi
            if self.medical_specialties:
                node["medicalSpecialty"] = [f"https://schema.org/{key}" for key in self.medical_specialties]
        return node

    def get_structured_data(self, graph):
        person = self.person_node(graph)
        clinics = [entry.clinic.clinic_node(graph) for entry in self.clinic_schedule if entry.clinic.shows_details]
        return {"mainEntity": {"@id": person["@id"]}, "about": {"@id": person["@id"]}}, [person, *clinics]

    # --- the practice's clinicians, for other pages ----------------------------------------

    @classmethod
    def live_physicians(cls):
        """Every live, public clinician with what other pages show of them, kept per page-cache
        generation (publishing a physician page starts a new one): condition and clinic pages pick
        theirs from here without a query."""

        def load():
            physicians = list(localized(cls.objects.live().public()).order_by("path").select_related("photo"))
            condition_pairs = cls.conditions_treated.through.objects.filter(physicianpage__in=physicians)
            clinic_pairs = PhysicianClinic.objects.filter(page__in=physicians)
            for physician in physicians:
                physician.treated_condition_ids = set()
                physician.clinic_ids = set()
                physician.card_photo = (
                    physician.photo.get_rendition("fill-160x160|format-webp") if physician.photo_id else None
                )
            by_id = {physician.pk: physician for physician in physicians}
            condition_pairs = list(condition_pairs.values_list("physicianpage_id", "conditionpage_id"))
            clinic_pairs = list(clinic_pairs.values_list("page_id", "clinic_id"))
            # Conditions and clinics in every language: a clinician treats a condition's translations too.
            translations = translation_ids({pk for _, pk in condition_pairs} | {pk for _, pk in clinic_pairs})
            for physician_id, condition_id in condition_pairs:
                by_id[physician_id].treated_condition_ids |= translations.get(condition_id, {condition_id})
            for physician_id, clinic_id in clinic_pairs:
                by_id[physician_id].clinic_ids |= translations.get(clinic_id, {clinic_id})
            return physicians

        return for_current_generation(f"live-physicians:{get_language()}", load)

    @classmethod
    def treating(cls, condition_id):
        """The live clinicians who treat the condition, in the physicians page's order."""
        return [physician for physician in cls.live_physicians() if condition_id in physician.treated_condition_ids]

    @classmethod
    def seeing_patients_at(cls, clinic_id):
        """The live clinicians who see patients at the clinic."""
        return [physician for physician in cls.live_physicians() if clinic_id in physician.clinic_ids]


class PhysicianEducation(Orderable):
    """A degree, residency or fellowship, as the bio lists them."""

    page = ParentalKey(PhysicianPage, on_delete=models.CASCADE, related_name="education")
    kind = models.CharField(max_length=20, choices=EDUCATION_KINDS, default="degree")
    name = models.CharField(max_length=150, help_text="e.g. “Doctor of Medicine” or “Spine surgery fellowship”.")
    institution = models.CharField(max_length=150, help_text="The university or hospital.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year it was completed.")

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("year")]), FieldPanel("name"), FieldPanel("institution")]

    def credential_node(self):
        return {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "degree",
            "name": self.name,
            "recognizedBy": {"@type": "EducationalOrganization", "name": self.institution},
        }

    def organization_node(self):
        return {"@type": "EducationalOrganization", "name": self.institution}


class PhysicianClinic(Orderable):
    """A clinic where the clinician sees patients, and on which days."""

    page = ParentalKey(PhysicianPage, on_delete=models.CASCADE, related_name="clinic_days")
    clinic = models.ForeignKey("locations.LocationPage", on_delete=models.CASCADE, related_name="physician_days")
    days = ChoiceListField("days", choice_list=WEEKDAYS[:6], help_text="The days they see patients there.")

    panels = [FieldPanel("clinic"), FieldPanel("days")]

    @property
    def day_names(self):
        return self._meta.get_field("days").labels(self.days)

    def clinic_reference(self, graph):
        """The clinic for practicesAt: its node's @id, or (a clinic still holding demo data, which the
        graph leaves out) its name and address on the site."""
        if self.clinic.shows_details:
            return {"@id": self.clinic.clinic_id(graph)}
        return {
            "@type": "MedicalClinic",
            "name": self.clinic.title,
            "url": graph.absolute(self.clinic.get_url(graph.request)),
        }
