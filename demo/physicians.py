"""The demo's clinicians: /physicians/ and two made-up people with obviously fictional names.

Their NPIs pass the NPI check digit but start with 9, a first digit the NPPES registry does not
issue, so that no real clinician is ever named. One of them is the medical reviewer: her reviewer
profile points to her page, so the pages she approves link to it. Her account has no password; an
administrator sets one to try the Medical review workflow as her.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from conditions.review import ReviewerProfile
from physicians.models import PhysicianClinic, PhysicianEducation, PhysicianIndexPage, PhysicianPage
from physicians.npi import NPI_PREFIX, luhn_check_digit

REVIEWER_USERNAME = "morgan.example"


def fictional_npi(first_nine):
    return first_nine + luhn_check_digit(NPI_PREFIX + first_nine)


def ensure_physicians(command, home, clinic, conditions):
    """The physicians index and the two clinicians, created once; an editor's later changes are kept."""
    index = command.ensure_child(
        home,
        PhysicianIndexPage,
        slug="physicians",
        title="Our Physicians",
        intro="The doctors and therapists who will see you, what they treat and where.",
        show_in_menus=True,
    )
    surgeon = index.get_children().filter(slug="morgan-example").first()
    if surgeon is None:
        surgeon = add_clinician(
            command,
            index,
            clinic,
            conditions,
            slug="morgan-example",
            title="Morgan Example",
            is_placeholder=True,
            credentials="MD",
            job_title="Orthopaedic spine surgeon",
            specialties="Spine surgery\nSciatica and disc problems\nSports injuries of the back",
            medical_specialties=["Musculoskeletal", "Surgical"],
            board_certifications="American Board of Orthopaedic Surgery",
            languages="English, Spanish",
            npi=fictional_npi("900000001"),
            bio=(
                "<p>Dr. Example treats back and leg pain, from a first episode of sciatica to problems that "
                "have lasted for years. Most of her patients get better without surgery, and she says so "
                "plainly.</p><p>When surgery is the better choice, she explains what it can and cannot fix, "
                "and what recovery will ask of you.</p>"
            ),
            education=[
                ("degree", "Doctor of Medicine", "Example University School of Medicine", 2006),
                ("residency", "Orthopaedic surgery residency", "Example University Hospital", 2011),
                ("fellowship", "Spine surgery fellowship", "Example Spine Institute", 2012),
            ],
            days=["0", "1", "3"],
        )
    therapist = index.get_children().filter(slug="jordan-sample").first()
    if therapist is None:
        therapist = add_clinician(
            command,
            index,
            clinic,
            conditions,
            slug="jordan-sample",
            title="Jordan Sample",
            is_placeholder=True,
            credentials="DPT",
            job_title="Physical therapist",
            specialties="Back and neck rehabilitation\nReturn to sport",
            medical_specialties=["Physiotherapy"],
            board_certifications="Board-certified clinical specialist in orthopaedic physical therapy",
            languages="English",
            npi=fictional_npi("900000002"),
            bio=(
                "<p>Jordan Sample helps patients move with less pain after a back spasm, a sciatica flare or "
                "surgery, with exercises that fit into an ordinary day.</p>"
            ),
            education=[("degree", "Doctor of Physical Therapy", "Example State University", 2014)],
            days=["2", "4"],
        )
    ensure_reviewer(command, surgeon.specific)
    return index


def add_clinician(command, index, clinic, conditions, slug, education, days, bio, **fields):
    page = PhysicianPage(slug=slug, bio=bio, **fields)
    page.education = [
        PhysicianEducation(kind=kind, name=name, institution=institution, year=year)
        for kind, name, institution, year in education
    ]
    page.clinic_days = [PhysicianClinic(clinic=clinic, days=days)]
    page.conditions_treated = list(conditions)
    index.add_child(instance=page)
    page.save_revision().publish()
    command.created.append(f"physician page {page.url_path}")
    return page


def ensure_reviewer(command, physician):
    """The surgeon's reviewer account: in the Medical reviewers group, its profile naming her page."""
    reviewers = Group.objects.filter(name="Medical reviewers").first()
    if reviewers is None:
        return
    user, created = get_user_model().objects.get_or_create(
        username=REVIEWER_USERNAME,
        # No email address: no review reminders go to a made-up person until one is entered.
        defaults={"first_name": "Morgan", "last_name": "Example"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(reviewers)
        command.created.append(f"medical reviewer account {REVIEWER_USERNAME} (no password)")
    ReviewerProfile.objects.get_or_create(user=user, defaults={"credentials": "MD", "physician": physician})
