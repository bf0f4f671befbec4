from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Conditions"

    def ready(self):
        from wagtail.signals import copy_for_translation_done, init_new_page

        from conditions.models import ConditionPage
        from conditions.skeleton import start_from_skeleton
        from conditions.translation import (
            give_translation_the_same_workflow,
            leave_review_out_of_translation,
            start_translation_unreviewed,
        )

        init_new_page.connect(start_from_skeleton, dispatch_uid="conditions.skeleton")
        leave_review_out_of_translation(ConditionPage)
        copy_for_translation_done.connect(start_translation_unreviewed, dispatch_uid="conditions.translation")
        copy_for_translation_done.connect(give_translation_the_same_workflow, dispatch_uid="conditions.workflow")
