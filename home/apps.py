from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and shared page behaviour"

    def ready(self):
        from home import checks, signals

        signals.connect()
        checks.register()
