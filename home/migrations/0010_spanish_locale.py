"""The Spanish locale beside the English one Wagtail creates: Spanish pages are translations into it."""

from django.db import migrations


def add_spanish(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="es")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0009_home_page_blocks"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        # Kept when migrating back: pages in the locale protect it.
        migrations.RunPython(add_spanish, migrations.RunPython.noop),
    ]
