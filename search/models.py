import contextlib
import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

logger = logging.getLogger(__name__)

# How far back the no-results report looks; settings.WAGTAILSEARCH_HITS_MAX_AGE keeps counts as long.
REPORT_DAYS = 30


class QueryDailyMisses(models.Model):
    """How many times on one day a query matched no page: what visitors looked for and did not find.

    The companion of Wagtail's QueryDailyHits, which counts every search; a query that Wagtail's
    garbage collection removes takes its misses with it.
    """

    query = models.ForeignKey(Query, on_delete=models.CASCADE, related_name="daily_misses")
    date = models.DateField()
    misses = models.PositiveIntegerField(default=0)
    # When the last of them happened: the report says "4 minutes ago", which a date cannot.
    last_missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "query daily misses"
        verbose_name_plural = "query daily misses"
        constraints = [models.UniqueConstraint(fields=["query", "date"], name="one_miss_count_per_query_and_day")]

    def __str__(self):
        return f"{self.query}: {self.misses} on {self.date}"


def record_search(query_string, found):
    """Count one search for `query_string` and, when no page matched it, one miss.

    Statistics must never cost a visitor their results: the writes wait at most
    SEARCH_COUNT_LOCK_WAIT seconds for a busy database (SQLite's write lock, a PostgreSQL row or
    table lock), and a count that cannot be written is dropped with a warning.
    """
    today = timezone.localdate()
    try:
        with waiting_at_most(getattr(settings, "SEARCH_COUNT_LOCK_WAIT", 0.25)):
            # One transaction, so one commit, for the handful of writes.
            with transaction.atomic():
                _limit_lock_wait_in_transaction(getattr(settings, "SEARCH_COUNT_LOCK_WAIT", 0.25))
                query = Query.get(query_string)
                query.add_hit(date=today)
                if not found:
                    misses, _ = QueryDailyMisses.objects.get_or_create(query=query, date=today)
                    QueryDailyMisses.objects.filter(pk=misses.pk).update(
                        misses=models.F("misses") + 1, last_missed_at=timezone.now()
                    )
    except DatabaseError as error:
        # Not the query itself: it is what a visitor typed.
        logger.warning("Search not counted: the database was busy or failed (%s).", type(error).__name__)


@contextlib.contextmanager
def waiting_at_most(seconds):
    """On SQLite, wait at most `seconds` for the write lock inside the block (the busy timeout)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


def _limit_lock_wait_in_transaction(seconds):
    """On PostgreSQL, wait at most `seconds` for a lock for the rest of this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(seconds * 1000)}")


def most_missed_queries(today=None, days=REPORT_DAYS):
    """Queries that matched no page in the last `days` days, most often missed first, with all their searches."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=days - 1)
    recent = models.Q(daily_misses__date__gte=since)
    # A subquery, not a second join: joining hits and misses together would multiply the sums.
    searches = (
        QueryDailyHits.objects.filter(query=models.OuterRef("pk"), date__gte=since)
        .values("query")
        .annotate(total=models.Sum("hits"))
        .values("total")
    )
    return (
        Query.objects.filter(recent)
        .annotate(
            misses=models.Sum("daily_misses__misses", filter=recent),
            # Counts from before the time was kept say midnight of their day.
            last_missed=models.Max(
                Coalesce("daily_misses__last_missed_at", Cast("daily_misses__date", models.DateTimeField())),
                filter=recent,
            ),
            searches=models.Subquery(searches, output_field=models.IntegerField()),
        )
        .order_by("-misses", "-last_missed", "query_string")
    )
