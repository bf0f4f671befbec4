"""Delete form submissions (appointment requests included) once the practice no longer needs them."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from appointments.models import AppointmentRequest


class Command(BaseCommand):
    help = "Delete form submissions and appointment requests older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            default=settings.FORM_SUBMISSION_RETENTION_DAYS,
            help="Delete what was submitted more than DAYS days ago (default: %(default)s, from settings).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than must be zero or more days.")
        cutoff = timezone.now() - timedelta(days=older_than)
        querysets = [
            AppointmentRequest.objects.filter(submit_time__lt=cutoff),
            FormSubmission.objects.filter(submit_time__lt=cutoff),
        ]
        if dry_run:
            count = sum(queryset.count() for queryset in querysets)
            self.stdout.write(
                f"Would delete {count} submission{'' if count == 1 else 's'} older than {older_than} days."
            )
            return
        with transaction.atomic():
            count = sum(queryset.delete()[0] for queryset in querysets)
        self.stdout.write(f"Deleted {count} submission{'' if count == 1 else 's'} older than {older_than} days.")
