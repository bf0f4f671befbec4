from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and shared page behaviour"

    def ready(self):
        from wagtail.signals import page_published

        from home.signals import prepare_page_images

        page_published.connect(prepare_page_images, dispatch_uid="home.prepare_page_images")
