"""Retire every stored page if the page cache missed a change. Run from cron every minute."""

from django.core.management.base import BaseCommand, CommandError

from pagecache.store import settle_missed_changes


class Command(BaseCommand):
    help = (
        "If a change could not reach the page cache (Redis failed at that moment), retire every stored "
        "page now. Exits non-zero while the cache still cannot be reached, so cron reports it."
    )

    def handle(self, *args, **options):
        if not settle_missed_changes():
            raise CommandError(
                "A change is still missing from the page cache and the cache cannot be reached; stored pages "
                "are not served by processes that know of it. Check Redis (REDIS_URL), then run this again."
            )
        if options["verbosity"] > 1:
            self.stdout.write("No change is missing from the page cache.")
