"""Whether a clinic is open now and its hours today, in the clinic's own time zone.

Worked out on the server for each render: the page cache keeps such a page only until the next
moment its answer changes (pagecache.store.expire_by), so no visitor sees yesterday's hours.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_noop
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

# The US time zones a clinic can be in, as patients know them.
TIME_ZONES = [
    ("America/New_York", "Eastern"),
    ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"),
    ("America/Phoenix", "Arizona"),
    ("America/Los_Angeles", "Pacific"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
]
# How far ahead to look for the next opening: past the longest holiday closure a clinic would have.
LOOKAHEAD_DAYS = 21


@dataclass
class HoursNow:
    """What a patient wants to know on arrival: open now, until when, or when it next opens."""

    is_open: bool
    today: list = field(default_factory=list)  # [(opens, closes)] of today, in order
    closes_at: datetime.datetime | None = None  # while open: the end of this interval
    next_opening: datetime.datetime | None = None  # while closed: the next opening, if any is set
    special_name: str = ""  # the special hours or closure that applies today, if any
    changes_at: datetime.datetime | None = None  # when any of the above next changes
    today_date: datetime.date | None = None

    @property
    def next_opening_is_today(self):
        return self.next_opening is not None and self.next_opening.date() == self.today_date


def _special_for(day, specials):
    return next((special for special in specials if special.start_date <= day <= special.end_date), None)


def intervals_on(day, weekly, specials):
    """[(opens, closes)] on `day` and the name of the special hours that set them ("" for the usual week)."""
    special = _special_for(day, specials)
    if special is not None:
        return ([] if special.closed else [(special.opens, special.closes)]), special.name
    return sorted((interval.opens, interval.closes) for interval in weekly if interval.weekday == day.weekday()), ""


def hours_now(clinic, now=None):
    """The clinic's HoursNow at `now` (default: this moment), in the clinic's time zone."""
    zone = ZoneInfo(clinic.time_zone or "America/New_York")
    local = (now or timezone.now()).astimezone(zone)
    weekly = list(clinic.opening_hours.all())
    specials = list(clinic.special_hours.all())
    today, special_name = intervals_on(local.date(), weekly, specials)

    def at(day, moment):
        return datetime.datetime.combine(day, moment, tzinfo=zone)

    midnight = at(local.date() + datetime.timedelta(days=1), datetime.time())
    state = HoursNow(is_open=False, today=today, special_name=special_name, today_date=local.date())
    for opens, closes in today:
        if opens <= local.time() < closes:
            state.is_open = True
            state.closes_at = at(local.date(), closes)
            state.changes_at = min(state.closes_at, midnight)
            return state
        if local.time() < opens and state.next_opening is None:
            state.next_opening = at(local.date(), opens)
    day = local.date()
    while state.next_opening is None and day < local.date() + datetime.timedelta(days=LOOKAHEAD_DAYS):
        day += datetime.timedelta(days=1)
        intervals, _ = intervals_on(day, weekly, specials)
        if intervals:
            state.next_opening = at(day, intervals[0][0])
    state.changes_at = min(state.next_opening or midnight, midnight)
    return state


WEEKDAYS = [
    (0, gettext_noop("Monday")),
    (1, gettext_noop("Tuesday")),
    (2, gettext_noop("Wednesday")),
    (3, gettext_noop("Thursday")),
    (4, gettext_noop("Friday")),
    (5, gettext_noop("Saturday")),
    (6, gettext_noop("Sunday")),
]


class OpeningHours(Orderable):
    """One opening interval on a weekday; add two for a day with a lunch break."""

    location = ParentalKey("locations.LocationPage", on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    opens = models.TimeField()
    closes = models.TimeField()

    panels = [FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")])]

    class Meta(Orderable.Meta):
        verbose_name = "opening interval"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})

    @property
    def day_name(self):
        return dict(WEEKDAYS)[self.weekday]


class SpecialHours(Orderable):
    """A holiday closure or changed hours over a date range."""

    location = ParentalKey("locations.LocationPage", on_delete=models.CASCADE, related_name="special_hours")
    name = models.CharField(max_length=80, help_text="e.g. “Thanksgiving”.")
    start_date = models.DateField()
    end_date = models.DateField(help_text="Same as the start date for a single day.")
    closed = models.BooleanField(default=True, help_text="Untick to give changed opening times instead.")
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("closed"), FieldPanel("opens"), FieldPanel("closes")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "special hours"
        verbose_name_plural = "special hours"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if not self.closed and not (self.opens and self.closes):
            errors["opens"] = "Give the opening and closing times, or tick “closed”."
        elif not self.closed and self.closes <= self.opens:
            errors["closes"] = "Closing time must be after opening time."
        if errors:
            raise ValidationError(errors)
