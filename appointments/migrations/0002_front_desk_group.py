from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Front desk"
# Enough to sign in to the admin and read, export and delete appointment requests; no page editing.
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("appointments", "view_appointmentrequest"),
    ("appointments", "delete_appointmentrequest"),
]


def create_front_desk_group(apps, schema_editor):
    # Django creates a model's permissions after all migrations have run; this group needs them now.
    app_config = apps.get_app_config("appointments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_front_desk_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_front_desk_group, remove_front_desk_group)]
