"""Email the front desk about every request whose notification is still pending. Run from cron."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from appointments.notifications import Outcome, pending_requests, send_notification


class Command(BaseCommand):
    help = (
        "Send every pending appointment-request notification and mark it sent. Safe to run often and "
        "in parallel: each notification is claimed before it is sent, so none goes out twice."
    )

    def handle(self, *args, **options):
        request_ids = list(pending_requests().order_by("submit_time", "pk").values_list("pk", flat=True))
        outcomes = Counter(send_notification(request_id) for request_id in request_ids)
        sent, failed = outcomes[Outcome.SENT], outcomes[Outcome.FAILED]
        if sent or options["verbosity"] > 1:
            self.stdout.write(f"Sent {sent} notification{'' if sent == 1 else 's'}.")
        if failed:
            # A non-zero exit makes cron report the failure; the next run tries again.
            raise CommandError(
                f"{failed} notification{' was' if failed == 1 else 's were'} not sent and "
                f"{'stays' if failed == 1 else 'stay'} pending; see the log for the reason."
            )
