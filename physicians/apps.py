from django.apps import AppConfig


class PhysiciansConfig(AppConfig):
    name = "physicians"
    verbose_name = "Physicians"

    def ready(self):
        from physicians import checks

        checks.register()
