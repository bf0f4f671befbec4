from django.db import models


class MissedCacheChange(models.Model):
    """A change the page cache did not take (Redis failed at that moment), until it is made good.

    Kept in the database, where it survives the process that saw the failure: while one is
    outstanding, no stored page is served by a process that knows of it, and the next successful
    retirement of every stored page (pagecache.store.settle_missed_changes) removes it.
    """

    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        # Created by the home app before the page cache had an app of its own.
        db_table = "home_missedcachechange"
        verbose_name = "missed page-cache change"

    def __str__(self):
        return f"Page-cache change missed at {self.recorded_at:%Y-%m-%d %H:%M:%S}"
