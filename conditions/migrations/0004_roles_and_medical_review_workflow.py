"""Every deployment gets the editing roles and the "Medical review" workflow.

Editors write and submit pages (they cannot publish: condition pages go through medical review);
Medical reviewers approve or request changes. The workflow is attached to the conditions section
here when it exists, and by load_demo_content on a new site.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODEL_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
    "wagtailredirects": ["add_redirect", "change_redirect", "delete_redirect"],
    "home": ["change_practicesettings"],
}


def create_roles(apps, schema_editor):
    # Model permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    MedicalReviewTask = apps.get_model("conditions", "MedicalReviewTask")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors, _ = Group.objects.get_or_create(name="Editors")
    reviewers, _ = Group.objects.get_or_create(name="Medical reviewers")
    editors.permissions.add(access_admin)
    reviewers.permissions.add(access_admin)
    for app_label, codenames in EDITOR_MODEL_PERMISSIONS.items():
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root, permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore")
            )

    task_type, _ = ContentType.objects.get_or_create(app_label="conditions", model="medicalreviewtask")
    task = MedicalReviewTask.objects.filter(name="Medical reviewer approval").first()
    if task is None:
        task = MedicalReviewTask.objects.create(name="Medical reviewer approval", content_type=task_type, active=True)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name="Medical review", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    conditions_type = ContentType.objects.filter(app_label="conditions", model="conditionindexpage").first()
    index = Page.objects.filter(content_type=conditions_type).first() if conditions_type else None
    if index is not None:
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
        for codename in ("change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=reviewers,
                page=index,
                permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0003_medical_review"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0001_initial"),
        ("wagtaildocs", "0001_initial"),
        ("wagtailredirects", "0001_initial"),
        ("home", "0002_practicesettings_robots_txt_practicesettings_same_as_and_more"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
