from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "importer"
    verbose_name = "Old-site import"

    def ready(self):
        from wagtail.signals import page_published

        from importer.redirects import redirect_on_publish

        page_published.connect(redirect_on_publish, dispatch_uid="importer.redirects")
