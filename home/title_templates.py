"""Title and description templates: how title tags and meta descriptions are written per page type
and language (Settings → Practice → Title templates). Pages without one use their type's built-in
template, in their own language (seo.models.SeoMixin.get_title_tag)."""

from django.conf import settings as django_settings
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, get_page_models

from seo.models import SeoMixin
from seo.titles import TEMPLATE_VARIABLES, validate_template


def page_type_choices():
    # The site's page types: every one extends home.models.BasePage, and with it SeoMixin.
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name).capitalize())
        for model in get_page_models()
        if issubclass(model, SeoMixin)
    )


class TitleTemplate(Orderable):
    """How title tags and meta descriptions are written for one page type in one language."""

    # Changing one changes every page of its type: saving it renews the page cache (pagecache/signals.py).
    shown_on_every_page = True

    settings = ParentalKey("home.PracticeSettings", on_delete=models.CASCADE, related_name="title_templates")
    page_type = models.CharField(max_length=100, choices=page_type_choices)
    language = models.CharField(
        max_length=10,
        blank=True,
        choices=django_settings.LANGUAGES,
        default=django_settings.LANGUAGE_CODE,
        help_text="The pages it is for: English pages (also when left empty), or their Spanish translations "
        "(then write it in Spanish).",
    )
    title_template = models.CharField(
        max_length=200,
        validators=[validate_template],
        help_text=(
            "e.g. “{title} Treatment in {city}, {state} | {practice}”. Variables: "
            + ", ".join(f"{{{name}}} ({meaning})" for name, meaning in TEMPLATE_VARIABLES.items())
            + ". Keep the result around 60 characters."
        ),
    )
    description_template = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_template],
        help_text="Optional, e.g. “{summary}”. Used when a page has no meta description of its own.",
    )

    panels = [
        FieldPanel("page_type"),
        FieldPanel("language"),
        FieldPanel("title_template"),
        FieldPanel("description_template"),
    ]

    def save(self, *args, **kwargs):
        self.language = self.language or django_settings.LANGUAGE_CODE
        super().save(*args, **kwargs)

    class Meta(Orderable.Meta):
        app_label = "home"
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "page_type", "language"], name="one_template_per_page_type_and_language"
            )
        ]
