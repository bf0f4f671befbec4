"""Deployment checks for what Django's own `check --deploy` cannot know about this site."""

from django.conf import settings
from django.core import checks

PROCESS_LOCAL_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def page_cache_is_shared(app_configs=None, **kwargs):
    """Each gunicorn worker has its own local-memory cache; a publish seen by one worker would not
    reach the copies the others keep, so production needs a cache every process shares."""
    if not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return []
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "default")
    backend = settings.CACHES[alias]["BACKEND"]
    if backend in PROCESS_LOCAL_BACKENDS:
        return [
            checks.Warning(
                f"The page cache uses {backend}, which each worker process keeps to itself: after a "
                "publish, other workers would keep serving the old page.",
                hint="Set REDIS_URL (e.g. redis://cache:6379/0) so every worker shares one cache.",
                id="home.W001",
            )
        ]
    return []


def register():
    checks.register(page_cache_is_shared, checks.Tags.caches, deploy=True)
