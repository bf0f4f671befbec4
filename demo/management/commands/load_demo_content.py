"""Builds the demo site: home, conditions (with the seed page), the Charleston clinic and contact page;
with --spanish, their Spanish versions too (demo/spanish.py).

Idempotent: anything that already exists is left exactly as it is, so editors' changes survive a rerun.
"""

from datetime import time
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import GroupPagePermission, Page, Site, Workflow, WorkflowPage
from wagtail.rich_text import RichText

from appointments.models import AppointmentFormField, AppointmentPage
from conditions.models import ConditionIndexPage, ConditionPage
from demo.home import ensure_clinic_picture, ensure_home_body
from demo.logo import ensure_logo
from demo.physicians import ensure_physicians
from demo.seed import read_seed, split_sentences
from demo.spanish import ensure_spanish_pages
from demo.treatments import ensure_treatments
from home.models import HomePage, PracticeSettings
from locations.models import LocationIndexPage, LocationPage, OpeningHours

LEGACY_SEED_PATH = "/sciatica-treatment-charleston-sc/"

# Written for the demo from widely published warning signs (such as NHS.UK's sciatica page); the
# page stays "Awaiting medical review" until a clinician approves it.
SEED_SYMPTOMS = {
    "heading": "Symptoms",
    "intro": "A back spasm or sciatica can show itself in one or more of these ways:",
    "symptoms": [
        "Sudden tightness or cramping in the muscles of the lower back",
        "Pain that makes it hard to stand straight, walk or sit comfortably",
        "Pain that runs from the buttock down the back of one leg",
        "Tingling, pins and needles or numbness in the leg or foot",
        "Pain that is worse when you cough, sneeze or sit for a long time",
    ],
}
SEED_WHEN_TO_SEEK_CARE = {
    "heading": "When to call 911",
    "urgency": "emergency",
    "text": RichText(
        "<p>Call 911 or go to the emergency room if back pain or sciatica comes with any of these: "
        "you lose control of your bladder or bowels, or cannot pass urine; the skin around your genitals, "
        "bottom or inner thighs feels numb; or both legs suddenly feel weak or numb. These can be signs "
        "that the nerves at the base of the spine are pressed and need treatment at once.</p>"
    ),
}


class Command(BaseCommand):
    help = "Create the demo site tree and the Sciatica / Back Spasms page. Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--spanish",
            action="store_true",
            help="Also translate the home page, the conditions list, the seed page, the clinic and the "
            "appointment page into Spanish (under /es/).",
        )

    def handle(self, *args, **options):
        self.created = []
        with transaction.atomic():
            home_is_new = not HomePage.objects.exists()
            home = self.ensure_home()
            PracticeSettings.load()
            ensure_logo(self.created)
            locations = self.ensure_child(
                home,
                LocationIndexPage,
                slug="locations",
                title="Our Locations",
                intro="Where to find us, when we are open and how to get there.",
                show_in_menus=True,
            )
            clinic_is_new = not locations.get_children().filter(slug="charleston").exists()
            clinic = self.ensure_child(
                locations,
                LocationPage,
                slug="charleston",
                title="Charleston Clinic",
                street_address="100 Example Street",
                city="Charleston",
                state="SC",
                postal_code="29401",
                phone="(843) 555-0100",
                latitude=Decimal("32.776500"),
                longitude=Decimal("-79.931100"),
                is_primary=True,
                is_placeholder=True,
                accepting_new_patients=True,
                areas_served="Mount Pleasant, West Ashley, James Island, Johns Island",
                directions="The entrance faces the street, between the pharmacy and the bank.",
                opening_hours=[
                    OpeningHours(weekday=day, opens=opens, closes=closes)
                    for day in range(5)
                    for opens, closes in ((time(8), time(12)), (time(13), time(17)))
                ],
            )
            contact_is_new = not home.get_children().filter(slug="contact").exists()
            contact = self.ensure_contact_page(home)
            self.ensure_appointment_setting(contact, contact_is_new)
            conditions = self.ensure_child(
                home,
                ConditionIndexPage,
                slug="conditions",
                title="Conditions We Treat",
                intro="Plain-language guides to the conditions our orthopaedic specialists treat.",
                show_in_menus=True,
            )
            self.ensure_medical_review(conditions)
            treatment_pages = ensure_treatments(home, self.created)
            seed_page = self.ensure_seed_page(conditions, contact, treatment_pages)
            self.ensure_redirect(seed_page)
            if clinic_is_new:
                clinic.booking_page = contact
                clinic.conditions_treated = [seed_page]
                clinic.save_revision().publish()
                ensure_clinic_picture(clinic, self.created)
            ensure_physicians(self, home, clinic, [seed_page])
            ensure_home_body(HomePage.objects.get(pk=home.pk), seed_page, conditions, self.created)
            if home_is_new:
                self.order_menu(home)
            if options["spanish"]:
                ensure_spanish_pages(HomePage.objects.get(pk=home.pk), self.created)

        if self.created:
            for line in self.created:
                self.stdout.write(f"Created {line}")
        else:
            self.stdout.write("Demo content already present; nothing changed.")

    # --- the tree ----------------------------------------------------------------------------

    # The main menu's order, which editors change in the page explorer ("Sort menu order").
    MENU_ORDER = ["conditions", "treatments", "physicians", "locations", "contact"]

    def order_menu(self, home):
        """Put the home page's sections in the menu's order (on a new site only: the tree is the editors')."""
        for slug in self.MENU_ORDER:
            section = home.get_children().filter(slug=slug).first()
            if section is not None:
                section.move(HomePage.objects.get(pk=home.pk), pos="last-child")

    def ensure_home(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's placeholder "Welcome" page (a plain Page) takes the slug "home"; the
            # default Site pointing at it goes with it and is recreated below.
            for placeholder in root.get_children().filter(depth=2):
                if placeholder.specific_class is Page:
                    placeholder.delete()
            root.refresh_from_db()
            home = root.add_child(
                instance=HomePage(
                    title="South Carolina Sports Medicine & Orthopaedic Center",
                    slug="home",
                    intro=(
                        "Orthopaedic and sports medicine care for patients in Charleston, SC: "
                        "diagnosis, treatment and recovery for bones, joints, muscles and the spine."
                    ),
                )
            )
            home.save_revision().publish()
            self.created.append(f"home page {home.url_path}")
        if not Site.objects.filter(is_default_site=True).exists():
            hostname, port = self.site_address()
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=PracticeSettings.load().practice_name,
            )
        return home

    @staticmethod
    def site_address():
        parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        default_port = 443 if parts.scheme == "https" else 80
        return parts.hostname or "localhost", parts.port or default_port

    def ensure_child(self, parent, model, slug, **fields):
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
        self.created.append(f"{model._meta.verbose_name} {page.url_path}")
        return page

    def ensure_contact_page(self, home):
        """/contact/: the appointment request form, with the questions the front desk needs and no more.

        Nothing about symptoms, dates of birth, insurance or uploads: the front desk asks on the phone.
        """
        fields = [
            AppointmentFormField(label="Name", field_type="singleline", autocomplete="name"),
            AppointmentFormField(
                label="Phone", field_type="phone", help_text="We will call you on this number to arrange a time."
            ),
            AppointmentFormField(
                label="Email", field_type="email", required=False, help_text="If you would like us to email you too."
            ),
            AppointmentFormField(label="Preferred clinic", field_type="clinic"),
            AppointmentFormField(
                label="Preferred physician",
                field_type="physician",
                required=False,
                help_text="Leave it as “No preference” and we will find the right clinician for you.",
            ),
            AppointmentFormField(
                label="Preferred time of day",
                field_type="radio",
                choices="Morning\nAfternoon\nNo preference",
                default_value="No preference",
            ),
            AppointmentFormField(
                label="Reason for your visit",
                field_type="radio",
                choices="Back pain or sciatica\nSports injury\nJoint pain\nOther",
            ),
            AppointmentFormField(
                label="I understand this form is not for emergencies or medical details",
                field_type="checkbox",
                help_text="In an emergency, call 911. We will ask about your symptoms when we call.",
            ),
        ]
        return self.ensure_child(
            home,
            AppointmentPage,
            slug="contact",
            title="Request an Appointment",
            intro=(
                "Tell us how to reach you and which clinic suits you, "
                "and our front desk will call you to arrange a time."
            ),
            to_address="front-desk@scsportsmed.example",
            form_fields=fields,
            show_in_menus=True,
        )

    def ensure_appointment_setting(self, contact, contact_is_new):
        """Calls to action and the home page's button lead to the contact page (Settings → Practice).

        Set when the setting is empty and the contact page was created by this run, so that an
        editor's own choice, or a deliberately empty setting, survives a rerun.
        """
        practice = PracticeSettings.load()
        if contact_is_new and practice.appointment_page_id is None:
            practice.appointment_page = contact
            # A save, not an update(): saving a setting renews the page cache (pagecache/signals.py).
            practice.save(update_fields=["appointment_page"])
            self.created.append(f"appointment page setting → {contact.url_path}")

    # --- the seed condition page --------------------------------------------------------------

    def ensure_seed_page(self, conditions, contact, treatment_pages=None):
        existing = conditions.get_children().filter(slug="sciatica-back-spasms").first()
        if existing is not None:
            return existing.specific
        seed = read_seed()
        causes, complications, treatment = seed.sections
        intro_sentences = split_sentences(" ".join(seed.intro))
        cause_intro = " ".join(causes.paragraphs)
        heat_or_ice, over_the_counter, see_a_doctor, treatments_summary, contact_us = split_sentences(
            " ".join(treatment.paragraphs)
        )
        treatment_pages = treatment_pages or {}
        body = [
            (
                "text_section",
                {
                    "heading": "Back spasm treatment in Charleston, SC",
                    "text": RichText(f"<p>{' '.join(intro_sentences[2:])}</p>"),
                },
            ),
            ("symptoms", SEED_SYMPTOMS),
            (
                "causes",
                {
                    "heading": causes.heading,
                    "intro": cause_intro,
                    "causes": [{"name": name, "explanation": text} for name, text in causes.bullets],
                },
            ),
            (
                "complications",
                {
                    "heading": complications.heading,
                    "text": RichText("".join(f"<p>{p}</p>" for p in complications.paragraphs)),
                    "complications": ["Sciatica"],
                },
            ),
            (
                "treatment",
                {
                    # Each of the old page's sentences under the treatment it describes, and no more:
                    # the last names three treatments, so it introduces them.
                    "heading": treatment.heading,
                    "intro": f"{see_a_doctor} {treatments_summary}",
                    "options": [
                        {"name": "Heat or ice", "kind": "home_care", "explanation": heat_or_ice},
                        {
                            "name": "Over-the-counter anti-inflammatory medication",
                            "kind": "medication",
                            "explanation": over_the_counter,
                        },
                        {
                            "name": "Physical therapy",
                            "kind": "physical_therapy",
                            "explanation": "",
                            "treatment_page": treatment_pages.get("physical-therapy"),
                        },
                        {
                            "name": "Surgery, in rare cases",
                            "kind": "surgery",
                            "explanation": "",
                            "treatment_page": treatment_pages.get("microdiscectomy"),
                        },
                    ],
                },
            ),
            ("when_to_seek_care", SEED_WHEN_TO_SEEK_CARE),
            (
                "call_to_action",
                {"text": contact_us, "link_label": "Request an appointment", "page": contact},
            ),
        ]
        page = conditions.add_child(
            instance=ConditionPage(
                title=seed.title,
                slug="sciatica-back-spasms",
                summary=" ".join(intro_sentences[:2]),
                other_names="Muscle spasms in the back",
                body_areas=["spine"],
                body=body,
            )
        )
        page.save_revision().publish()
        self.created.append(f"condition page {page.url_path}")
        return page

    def ensure_medical_review(self, conditions):
        """Condition pages go through the "Medical review" workflow (created by a migration)."""
        workflow = Workflow.objects.filter(name="Medical review").first()
        if workflow is not None and not WorkflowPage.objects.filter(page=conditions).exists():
            WorkflowPage.objects.create(page=conditions, workflow=workflow)
            self.created.append(f"medical review workflow on {conditions.url_path}")
        reviewers = Group.objects.filter(name="Medical reviewers").first()
        if reviewers is not None:
            # Reviewers open condition pages in the editor to read and comment on them. They get no
            # publish permission: their approval publishes through the workflow (conditions.workflows).
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
            GroupPagePermission.objects.get_or_create(group=reviewers, page=conditions, permission=permission)

    def ensure_redirect(self, page):
        old_path = Redirect.normalise_path(LEGACY_SEED_PATH)
        _, created = Redirect.objects.get_or_create(
            old_path=old_path,
            site=None,
            defaults={"redirect_page": page, "is_permanent": True},
        )
        if created:
            self.created.append(f"permanent redirect {old_path} → {page.url_path}")
