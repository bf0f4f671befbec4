from django.db import migrations


class Migration(migrations.Migration):
    """MissedCacheChange now belongs to the pagecache app, which keeps its table."""

    dependencies = [
        ("home", "0005_practicesettings_default_social_image"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="MissedCacheChange")],
            database_operations=[],
        ),
    ]
