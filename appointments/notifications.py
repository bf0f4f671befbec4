"""Telling the front desk that a request arrived, exactly once, whatever the mail server does.

Nothing is sent while the patient waits: the request is stored, and the stored row is the queue.
`manage.py send_pending_notifications` (run as a worker with `--every`, or from cron) sends what is
pending. Every request starts pending (notified_at is empty). A sender first claims the row with a
conditional UPDATE, which only one process can win on SQLite and PostgreSQL alike; it then sends and
marks the row sent, or releases the claim on failure so that the next run retries it. A send that
takes longer than EMAIL_SEND_DEADLINE seconds in all (a server that drips its answer a byte at a
time) is cut off by the mail backend (ops.mail) and counts as failed. A claim left behind by a
process that died mid-send is taken over after claim_timeout(): that is the one case in which an
email could go out twice, and only if the crash fell between sending and marking.
"""

import enum
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentRequest

logger = logging.getLogger(__name__)


def send_deadline():
    """Seconds a whole send may take, however the server answers (ops.mail.EmailBackend)."""
    return float(getattr(settings, "EMAIL_SEND_DEADLINE", 30))


def claim_timeout():
    """After this, a claim is taken to belong to a sender that died: twice the longest send."""
    return timedelta(seconds=2 * send_deadline() + 30)


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # already sent, or being sent by another process


def pending_requests():
    """Requests whose email has not gone out and that no live process is sending."""
    stale = timezone.now() - claim_timeout()
    return AppointmentRequest.objects.filter(notified_at__isnull=True).filter(
        Q(notification_claimed_at__isnull=True) | Q(notification_claimed_at__lt=stale)
    )


def stuck_requests():
    """Requests claimed by a sender that has had longer than a send may take and not finished."""
    overdue = timezone.now() - timedelta(seconds=send_deadline())
    return AppointmentRequest.objects.filter(notified_at__isnull=True, notification_claimed_at__lt=overdue)


def send_notification(request_id):
    """Send the email for one request unless it is sent or claimed already; mail errors never raise."""
    claim = uuid.uuid4()
    claimed = (
        pending_requests()
        .filter(pk=request_id)
        .update(
            notification_claim=claim,
            notification_claimed_at=timezone.now(),
            notification_attempts=F("notification_attempts") + 1,
        )
    )
    if not claimed:
        return Outcome.SKIPPED
    mine = AppointmentRequest.objects.filter(pk=request_id, notification_claim=claim)
    try:
        appointment_request = AppointmentRequest.objects.select_related("page").get(pk=request_id)
        build_message(appointment_request).send()
    except Exception as error:
        # Whatever went wrong (server down, refused, timed out, no recipients), the request stays pending.
        # The class name only: SMTP errors can quote addresses and server replies.
        mine.update(notification_claim=None, notification_claimed_at=None, last_notification_error=type(error).__name__)
        logger.warning(
            "Appointment request %s: staff notification not sent (%s); it stays pending.",
            request_id,
            type(error).__name__,
        )
        return Outcome.FAILED
    mine.update(notified_at=timezone.now(), notification_claim=None, last_notification_error="")
    return Outcome.SENT


class NoRecipients(Exception):
    """Neither the page nor the settings name anyone to tell."""


def build_message(appointment_request):
    """The email to the front desk: that a request arrived, for which clinic, and where to read it."""
    page = appointment_request.page.specific
    recipients = page.notification_recipients()
    if not recipients:
        raise NoRecipients
    context = {
        "clinic": appointment_request.clinic,
        # Which language to call the patient back in.
        "language": appointment_request.language,
        "reference": appointment_request.pk,
        "submit_time": appointment_request.submit_time,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("wagtailforms:list_submissions", args=[page.pk]),
    }
    subject = f"New appointment request ({appointment_request.clinic})" if appointment_request.clinic else None
    return EmailMessage(
        subject=subject or "New appointment request",
        body=render_to_string("appointments/notification_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
