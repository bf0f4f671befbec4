"""Emails each medical reviewer the condition pages due for review. Run daily or weekly from cron."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from conditions.reports import pages_due_for_review

REVIEWERS_GROUP = "Medical reviewers"


class Command(BaseCommand):
    help = "Email each medical reviewer their condition pages that are overdue or due within the notice period."

    def handle(self, *args, **options):
        reviewers = list(
            get_user_model().objects.filter(groups__name=REVIEWERS_GROUP, is_active=True).exclude(email="")
        )
        if not reviewers:
            self.stdout.write("No active medical reviewer with an email address; nothing sent.")
            return
        due_by_reviewer = defaultdict(list)
        for page in pages_due_for_review():
            # A page goes to the reviewer who approved it last; pages nobody (still here) approved go to all.
            owner = page.reviewed_by_user if page.reviewed_by_user in reviewers else None
            for reviewer in [owner] if owner else reviewers:
                due_by_reviewer[reviewer].append(page)
        for reviewer, pages in due_by_reviewer.items():
            send_mail(
                f"{len(pages)} condition page{'s' if len(pages) != 1 else ''} due for medical review",
                self.message(pages),
                settings.DEFAULT_FROM_EMAIL,
                [reviewer.email],
            )
            self.stdout.write(f"Reminded {reviewer.get_username()} of {len(pages)} page(s).")
        if not due_by_reviewer:
            self.stdout.write("No condition page is due for review.")

    @staticmethod
    def message(pages):
        base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        lines = ["These condition pages need your medical review:", ""]
        for page in pages:
            due = page.next_review_due.strftime("%B %-d, %Y") if page.next_review_due else "never reviewed"
            lines.append(f"- {page.title} (due: {due}): {base_url}/admin/pages/{page.pk}/edit/")
        lines += ["", "Open a page, check its content and approve it or request changes."]
        return "\n".join(lines)
