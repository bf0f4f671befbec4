"""The form's questions become translatable with their page (wagtail-localize), and each request
records the language of the form it came through."""

import uuid

import django.db.models.deletion
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_physician_field_type"),
        ("home", "0010_spanish_locale"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointmentformfield",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="appointmentformfield",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        # Every existing question is English, like the page it belongs to.
        BootstrapTranslatableModel("appointments.AppointmentFormField"),
        migrations.AlterField(
            model_name="appointmentformfield",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="appointmentformfield",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="appointmentformfield",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddField(
            model_name="appointmentrequest",
            name="language",
            field=models.CharField(
                blank=True,
                help_text="The language of the form the patient filled in, e.g. “Spanish”.",
                max_length=10,
            ),
        ),
    ]
