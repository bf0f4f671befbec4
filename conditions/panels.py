"""Editor panels for condition pages."""

from wagtail.admin.panels import Panel


class ContentChecksPanel(Panel):
    """Warnings about what a condition page lacks, from the page as last saved.

    They do not block saving or publishing: a page may be published without a when-to-seek-care
    card, but editors and reviewers should see that it has none.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "conditions/panels/content_checks.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["problems"] = self.instance.content_problems()
            return context
