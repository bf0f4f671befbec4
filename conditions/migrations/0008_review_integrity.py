"""Review integrity: a fingerprint of the approved content, and no Publish button for medical reviewers.

Pages reviewed before the fingerprint existed are taken to show what their reviewer approved (the
live content is fingerprinted as it stands). Medical reviewers lose their own publish permission on
the conditions section: approval publishes through the workflow (conditions.workflows).
"""

from django.db import migrations, models


def fingerprint_reviewed_pages(apps, schema_editor):
    from conditions.models import medical_content_digest

    ConditionPage = apps.get_model("conditions", "ConditionPage")
    for page in ConditionPage.objects.exclude(last_reviewed=None).exclude(reviewed_by=""):
        page.reviewed_content_digest = medical_content_digest(
            page.title, page.summary, page.other_names, page.body.get_prep_value()
        )
        page.save(update_fields=["reviewed_content_digest"])


def remove_reviewers_publish_permission(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Medical reviewers", permission__codename="publish_page"
    ).delete()


def restore_reviewers_publish_permission(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    reviewers = Group.objects.filter(name="Medical reviewers").first()
    index = Page.objects.filter(content_type__app_label="conditions", content_type__model="conditionindexpage").first()
    if reviewers is not None and index is not None:
        GroupPagePermission.objects.get_or_create(
            group=reviewers,
            page=index,
            permission=Permission.objects.get(codename="publish_page", content_type__app_label="wagtailcore"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0007_call_to_action_page_optional"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="conditionpage",
            name="reviewed_content_digest",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="A fingerprint of the medical content the reviewer approved; see review_is_current.",
                max_length=64,
            ),
        ),
        migrations.RunPython(fingerprint_reviewed_pages, migrations.RunPython.noop),
        migrations.RunPython(remove_reviewers_publish_permission, restore_reviewers_publish_permission),
    ]
