from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "seo"
    verbose_name = "Search engines: titles, descriptions, structured data, audit"

    def ready(self):
        from seo import checks, indexnow

        checks.register()
        indexnow.connect()
