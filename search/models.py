import datetime

from django.db import models, transaction
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

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

    class Meta:
        verbose_name = "query daily misses"
        verbose_name_plural = "query daily misses"
        constraints = [models.UniqueConstraint(fields=["query", "date"], name="one_miss_count_per_query_and_day")]

    def __str__(self):
        return f"{self.query}: {self.misses} on {self.date}"


def record_search(query_string, found):
    """Count one search for `query_string` and, when no page matched it, one miss."""
    today = timezone.localdate()
    # One transaction, so one commit, for the handful of writes.
    with transaction.atomic():
        query = Query.get(query_string)
        query.add_hit(date=today)
        if not found:
            misses, _ = QueryDailyMisses.objects.get_or_create(query=query, date=today)
            QueryDailyMisses.objects.filter(pk=misses.pk).update(misses=models.F("misses") + 1)


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
            last_missed=models.Max("daily_misses__date", filter=recent),
            searches=models.Subquery(searches, output_field=models.IntegerField()),
        )
        .order_by("-misses", "-last_missed", "query_string")
    )
