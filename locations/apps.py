from django.apps import AppConfig


class LocationsConfig(AppConfig):
    name = "locations"
    verbose_name = "Clinic locations"

    def ready(self):
        from locations import checks

        checks.register()
