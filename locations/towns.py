"""Towns the practice serves without a clinic there, for service-area pages (conditions/service_areas.py)."""

import math

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from locations.states import state_name

MILES_PER_KM = 0.621371
EARTH_RADIUS_KM = 6371.0


def distance_miles(latitude_a, longitude_a, latitude_b, longitude_b):
    """The great-circle distance between two points, in miles."""
    lat_a, lon_a, lat_b, lon_b = map(math.radians, map(float, (latitude_a, longitude_a, latitude_b, longitude_b)))
    haversine = (
        math.sin((lat_b - lat_a) / 2) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin((lon_b - lon_a) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(haversine)) * MILES_PER_KM


class Town(models.Model):
    """A town patients come from (Mount Pleasant, Summerville…), entered once under Snippets → Towns."""

    name = models.CharField(max_length=100, help_text="As patients search for it, e.g. “Mount Pleasant”.")
    state = models.CharField(max_length=2, default="SC", help_text="Two-letter state code, e.g. SC.")
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, help_text="e.g. 32.794200 (from a map's “share” link)."
    )
    longitude = models.DecimalField(max_digits=9, decimal_places=6, help_text="e.g. -79.862600.")

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("state")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "state"], name="one_town_per_name_and_state")]

    def __str__(self):
        return f"{self.name}, {self.state}"

    def save(self, *args, **kwargs):
        self.state = self.state.upper()
        super().save(*args, **kwargs)

    def place_node(self):
        """The town as a schema.org City in its state."""
        return {
            "@type": "City",
            "name": self.name,
            "containedInPlace": {"@type": "State", "name": state_name(self.state)},
            "geo": {"@type": "GeoCoordinates", "latitude": float(self.latitude), "longitude": float(self.longitude)},
        }

    def distance_to(self, clinic):
        """Miles from the town to the clinic; None when the clinic has no coordinates."""
        if clinic.latitude is None or clinic.longitude is None:
            return None
        return distance_miles(self.latitude, self.longitude, clinic.latitude, clinic.longitude)
