"""The medical-review workflow's models: the reviewer's credentials, the review task that records
who approved a condition page and when, and the fingerprint that tells whether the page shown is
still the page approved.

What happens after the last approval (publishing) is in conditions.workflows, which Wagtail imports
while it defines its own models, so that module can define none.
"""

import calendar
import datetime
import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask

from home.models import page_type_for


def medical_content_digest(title, summary, other_names, body_data):
    content = {"title": title, "summary": summary, "other_names": other_names, "body": body_data}
    return hashlib.sha256(json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def add_months(day, months):
    """The same day of the month `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ReviewerProfile(models.Model):
    """A medical reviewer's credentials, printed after their name on the pages they approve."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    credentials = models.CharField(max_length=60, help_text="e.g. “MD” or “DPT, OCS”.")
    physician = models.ForeignKey(
        "physicians.PhysicianPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The reviewer's page under Physicians: the pages they approve name them as on that page "
            "(name and credentials) and link to it."
        ),
    )

    class Meta:
        verbose_name = "reviewer profile"

    def __str__(self):
        return f"{self.user} ({self.credentials})"


def reviewer_signature(user):
    """(“Jane Doe, MD”, her physician page or None): the approving reviewer as pages name them."""
    profile = ReviewerProfile.objects.filter(user=user).select_related("physician").first()
    max_length = page_type_for("condition")._meta.get_field("reviewed_by").max_length
    if profile is not None and profile.physician is not None:
        return profile.physician.display_name[:max_length], profile.physician
    name = user.get_full_name() or user.get_username()
    return (f"{name}, {profile.credentials}" if profile else name)[:max_length], None


class MedicalReviewTask(AbstractGroupApprovalTask):
    """Clinician sign-off for condition pages: approval records who reviewed the page and when.

    The review fields are written into the revision about to be published, so nobody types them
    and the live page and its structured data show the approval at once.
    """

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            revision = task_state.workflow_state.content_object.get_latest_revision()
            # Condition pages carry the review record; a local page in the same section does not.
            if issubclass(revision.content_type.model_class(), page_type_for("condition")):
                today = timezone.localdate()
                approved = revision.as_object()
                signature, physician = reviewer_signature(user)
                revision.content.update(
                    reviewed_content_digest=approved.medical_content_digest(),
                    reviewed_by=signature,
                    reviewed_by_physician=physician.pk if physician else None,
                    reviewed_by_user=user.pk,
                    last_reviewed=today.isoformat(),
                    next_review_due=add_months(today, settings.MEDICAL_REVIEW_INTERVAL_MONTHS).isoformat(),
                )
                revision.save(update_fields=["content"])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "A medical reviewer approves the content; approval records their name and the review dates."

    class Meta:
        verbose_name = "Medical review task"
        verbose_name_plural = "Medical review tasks"
