"""Condition pages in other languages: each translation is medically reviewed on its own.

A reviewer vouches for the words they read, so a Spanish page never inherits the English page's
review: its review record starts empty when it is created (wagtail-localize copies the English page)
and is left out of what wagtail-localize translates or keeps in step with the English page.
"""

REVIEW_FIELDS = (
    "reviewed_by",
    "reviewed_by_user",
    "reviewed_by_physician",
    "last_reviewed",
    "reviewed_content_digest",
    "next_review_due",
)


# Chosen from a fixed list, the same in every language: kept in step with the English page.
SYNCHRONISED_FIELDS = ("body_areas",)


def leave_review_out_of_translation(model):
    """Drop the review record from the fields wagtail-localize translates (as text) or synchronises."""
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields

    model.translatable_fields = [
        SynchronizedField(field.field_name) if field.field_name in SYNCHRONISED_FIELDS else field
        for field in get_translatable_fields(model)
        if field.field_name not in REVIEW_FIELDS
    ]


def start_translation_unreviewed(sender, source_obj, target_obj, **kwargs):
    """wagtail.signals.copy_for_translation_done: a new translation has not been reviewed yet."""
    if not all(hasattr(target_obj, name) for name in REVIEW_FIELDS):
        return
    for name in REVIEW_FIELDS:
        field = target_obj._meta.get_field(name)
        setattr(target_obj, field.attname, None if field.null else "")
    target_obj.save(update_fields=[target_obj._meta.get_field(name).attname for name in REVIEW_FIELDS])


def give_translation_the_same_workflow(sender, source_obj, target_obj, **kwargs):
    """wagtail.signals.copy_for_translation_done: a section with a workflow of its own (the conditions
    list has "Medical review") keeps it, and the page permissions granted on it, in every language,
    so that translated condition pages are reviewed like the English ones."""
    from wagtail.models import GroupPagePermission, Page, WorkflowPage

    if not isinstance(target_obj, Page):
        return
    assignment = WorkflowPage.objects.filter(page_id=source_obj.pk).first()
    if assignment is None:
        return
    WorkflowPage.objects.get_or_create(page_id=target_obj.pk, defaults={"workflow": assignment.workflow})
    # The reviewers' right to open the section's pages in the editor goes with it.
    for granted in GroupPagePermission.objects.filter(page_id=source_obj.pk):
        GroupPagePermission.objects.get_or_create(
            group_id=granted.group_id, page_id=target_obj.pk, permission_id=granted.permission_id
        )
