from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Conditions"

    def ready(self):
        from wagtail.signals import init_new_page

        from conditions.skeleton import start_from_skeleton

        init_new_page.connect(start_from_skeleton, dispatch_uid="conditions.skeleton")
