"""Google Business Profile in step with the clinic pages.

`rows()` gives every public clinic in the columns of the Business Profile bulk-upload spreadsheet,
so that the profiles can be loaded from what the site says; `differences()` compares such a
spreadsheet, exported from Business Profile, with the clinic pages and lists what disagrees.
Patients (and search engines) lose trust when a clinic's name, address, phone or hours differ
between its profile and its page.
"""

import csv
import datetime
import io

from home.models import PracticeSettings
from locations.models import WEEKDAYS, LocationPage

PRIMARY_CATEGORY = "Orthopedic clinic"
ADDITIONAL_CATEGORIES = "Sports medicine clinic"
DAY_COLUMNS = {day: f"{name} hours" for day, name in WEEKDAYS}
COLUMNS = [
    "Store code",
    "Business name",
    "Address line 1",
    "Locality",
    "Administrative area",
    "Country/Region",
    "Postal code",
    "Latitude",
    "Longitude",
    "Primary phone",
    "Website",
    "Primary category",
    "Additional categories",
    *(DAY_COLUMNS[day] for day in (6, 0, 1, 2, 3, 4, 5)),  # the spreadsheet starts on Sunday
    "Special hours",
]
# What a difference is reported for; the rest (categories, coordinates) is the profile's own business.
COMPARED = ["Business name", "Address line 1", "Locality", "Administrative area", "Postal code", "Primary phone"]
COMPARED += [*DAY_COLUMNS.values(), "Website"]
# An uploaded export larger than this is refused: a practice has a handful of clinics.
MAX_UPLOAD_BYTES = 1024 * 1024


def _interval(opens, closes):
    return f"{opens:%H:%M}-{closes:%H:%M}"


def day_hours(clinic, day):
    """ "08:00-12:00,13:00-17:00", or "x" for a closed day, as the spreadsheet writes them."""
    intervals = sorted((i for i in clinic.opening_hours.all() if i.weekday == day), key=lambda i: i.opens)
    return ",".join(_interval(i.opens, i.closes) for i in intervals) or "x"


def special_hours(clinic, today=None):
    """ "2026-12-24: x, 2026-12-31: 08:00-12:00": one entry a day of each upcoming special period."""
    entries = []
    for special in clinic.upcoming_special_hours(today):
        hours = "x" if special.closed else _interval(special.opens, special.closes)
        day = special.start_date
        while day <= special.end_date:
            entries.append(f"{day.isoformat()}: {hours}")
            day += datetime.timedelta(days=1)
    return ", ".join(entries)


def clinic_row(clinic, practice):
    return {
        "Store code": clinic.slug,
        "Business name": f"{practice.brand} – {clinic.title}",
        "Address line 1": clinic.street_address,
        "Locality": clinic.city,
        "Administrative area": clinic.state,
        "Country/Region": "US",
        "Postal code": clinic.postal_code,
        "Latitude": "" if clinic.latitude is None else str(clinic.latitude),
        "Longitude": "" if clinic.longitude is None else str(clinic.longitude),
        "Primary phone": clinic.phone,
        "Website": clinic.full_url or "",
        "Primary category": PRIMARY_CATEGORY,
        "Additional categories": ADDITIONAL_CATEGORIES,
        **{DAY_COLUMNS[day]: day_hours(clinic, day) for day, _ in WEEKDAYS},
        "Special hours": special_hours(clinic),
    }


def clinics():
    """The clinics to list: live, public, and holding real details (not demo data to replace)."""
    return [clinic for clinic in LocationPage.live_clinics() if clinic.shows_details]


def rows():
    practice = PracticeSettings.load()
    return [clinic_row(clinic, practice) for clinic in clinics()]


def as_csv(table):
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table)
    return output.getvalue()


class UploadError(ValueError):
    """An uploaded file that cannot be read as a Business Profile export; the message says why."""


def read_export(uploaded):
    """The rows of an uploaded Business Profile export (CSV, UTF-8), by store code."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise UploadError("The file is larger than 1 MB: export only this practice's locations.")
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError("The file is not a UTF-8 CSV file: download it again as CSV from Business Profile.") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "Store code" not in reader.fieldnames:
        raise UploadError("The file has no “Store code” column: upload the spreadsheet Business Profile exports.")
    return {(row.get("Store code") or "").strip(): row for row in reader if (row.get("Store code") or "").strip()}


def _same(column, ours, theirs):
    ours, theirs = " ".join((ours or "").split()), " ".join((theirs or "").split())
    if column == "Primary phone":
        return "".join(filter(str.isdigit, ours))[-10:] == "".join(filter(str.isdigit, theirs))[-10:]
    if column == "Website":
        return ours.rstrip("/") == theirs.rstrip("/")
    return ours.casefold() == theirs.casefold()


def differences(uploaded_rows):
    """[(store code, clinic title, column, on the site, in Business Profile)], in clinic order; a
    clinic missing from either side is one line with column "Location"."""
    ours = {row["Store code"]: row for row in rows()}
    found = []
    for code, row in ours.items():
        theirs = uploaded_rows.get(code)
        if theirs is None:
            found.append((code, row["Business name"], "Location", "on the site", "missing"))
            continue
        for column in COMPARED:
            if column in theirs and not _same(column, row[column], theirs[column]):
                found.append((code, row["Business name"], column, row[column], theirs[column]))
    for code, theirs in uploaded_rows.items():
        if code not in ours:
            found.append((code, theirs.get("Business name", ""), "Location", "missing", "in Business Profile"))
    return found
