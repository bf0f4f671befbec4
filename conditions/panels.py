"""Editor panels for condition pages, and the checks they show."""

from django.conf import settings
from django.utils.functional import cached_property
from wagtail.admin.panels import MultiFieldPanel, Panel

from seo.panels import LIVE_CHECKS_MEDIA, live_checks_url, page_parent

# Whose checks the panel shows: rendered with the editor, or sent as the editor types.
CHECKED = {
    "saved": "the saved version of this page",
    "new": "this new page",
    "typed": "what you have typed",
}


def content_checks(page, parent, checked):
    """What the content checks panel shows for the page; None for page types without content checks
    (those with no `editor_checks` method). `checked` is a key of CHECKED.

    The panel renders it; the live checks endpoint (conditions/views.py) sends it as JSON.
    """
    editor_checks = getattr(page, "editor_checks", None)
    checks = editor_checks(parent) if editor_checks else None
    if checks is None:
        return None
    return {"intro": f"Content checks for {CHECKED[checked]}:", "doorway": None, **checks}


def doorway_meter(result):
    """The doorway guard's numbers (conditions.doorway), as the meter on a local page shows them:
    “54 of 80 words of its own, 12% shared phrases”."""
    min_unique = settings.DOORWAY_MIN_UNIQUE_WORDS
    max_similarity = settings.DOORWAY_MAX_SIMILARITY
    shared = f"{result.similarity:.0%} shared phrases"
    return {
        "unique_words": result.unique_words,
        "min_unique_words": min_unique,
        "similarity": round(result.similarity, 3),
        "max_similarity": max_similarity,
        "most_similar_to": result.most_similar_to,
        "passes": result.passes,
        "summary": f"{result.unique_words} of {min_unique} words of its own, {shared}",
        "words_text": f"{result.unique_words} of {min_unique} words of its own (at least {min_unique} needed)",
        "similarity_text": (
            f"{shared} with “{result.most_similar_to}” (at most {max_similarity:.0%} allowed)"
            if result.most_similar_to
            else f"{shared} (at most {max_similarity:.0%} allowed)"
        ),
    }


class ContentChecksPanel(Panel):
    """What a condition page lacks or, on a local page, whether it has enough content of its own.

    Rendered from the page as saved (or, for a new page, as it starts); live-checks.js updates it
    from what the editor types. The checks never block saving a draft; a condition page without
    symptoms or a when-to-seek-care card cannot go to medical review (conditions.forms), and a local
    page that fails the doorway guard cannot be published; their forms say why.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "conditions/panels/content_checks.html"

        def is_shown(self):
            return self.instance is not None and self.checks is not None

        @property
        def media(self):
            return LIVE_CHECKS_MEDIA

        @cached_property
        def parent(self):
            return page_parent(self.instance, self.form)

        @cached_property
        def checks(self):
            return content_checks(self.instance, self.parent, "saved" if self.instance.pk else "new")

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(self.checks)
            context["live_checks_url"] = live_checks_url(self.instance, self.parent)
            return context


class ReviewRecordPanel(MultiFieldPanel):
    """The reviewer and review dates, read only; hidden until a medical reviewer has approved the page
    (three empty read-only boxes only raise the question of whether to fill them in)."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        def is_shown(self):
            return bool(getattr(self.instance, "last_reviewed", None)) and super().is_shown()
