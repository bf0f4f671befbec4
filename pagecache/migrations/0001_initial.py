from django.db import migrations, models


class Migration(migrations.Migration):
    """Takes over the MissedCacheChange model from the home app; its table stays as it is."""

    initial = True

    dependencies = [
        ("home", "0005_practicesettings_default_social_image"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MissedCacheChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("recorded_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                    ],
                    options={
                        "verbose_name": "missed page-cache change",
                        "db_table": "home_missedcachechange",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
