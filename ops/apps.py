from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations: health, security, limits, deploy checks"

    def ready(self):
        from ops import checks

        checks.register()
