"""Email the front desk about every request whose notification is still pending.

Run once (from cron), or as the notification worker with `--every SECONDS`, which keeps sending what
arrives until it is stopped.
"""

import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from appointments.notifications import Outcome, pending_requests, send_deadline, send_notification, stuck_requests


class Command(BaseCommand):
    help = (
        "Send every pending appointment-request notification and mark it sent. Safe to run often and "
        "in parallel: each notification is claimed before it is sent, so none goes out twice. Exits "
        "non-zero while any stays unsent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            metavar="SECONDS",
            help="Keep running as a worker: look for pending notifications this often, until stopped.",
        )

    def handle(self, *args, every=None, **options):
        if every is None:
            problem = self.send_pending(options["verbosity"])
            if problem:
                # A non-zero exit makes cron report the failure; the next run tries again.
                raise CommandError(problem)
            return
        if every <= 0:
            raise CommandError("--every takes a number of seconds greater than 0.")
        self.stdout.write(f"Sending appointment-request notifications every {every:g} s; Ctrl-C to stop.")
        try:
            while True:
                close_old_connections()
                problem = self.send_pending(options["verbosity"])
                if problem:
                    self.stderr.write(problem)
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def send_pending(self, verbosity):
        """Send what is pending; a description of what is still unsent, or None."""
        request_ids = list(pending_requests().order_by("submit_time", "pk").values_list("pk", flat=True))
        outcomes = Counter(send_notification(request_id) for request_id in request_ids)
        sent, failed = outcomes[Outcome.SENT], outcomes[Outcome.FAILED]
        if sent or verbosity > 1:
            self.stdout.write(f"Sent {sent} notification{'' if sent == 1 else 's'}.")
        problems = []
        if failed:
            problems.append(
                f"{failed} notification{' was' if failed == 1 else 's were'} not sent and "
                f"{'stays' if failed == 1 else 'stay'} pending; see the log for the reason."
            )
        stuck = stuck_requests().count()
        if stuck:
            problems.append(
                f"{stuck} notification{' is' if stuck == 1 else 's are'} held by a sender that has not "
                f"finished within {send_deadline():g} s; {'it' if stuck == 1 else 'they'} will be sent again "
                "once the claim expires."
            )
        return " ".join(problems) or None
