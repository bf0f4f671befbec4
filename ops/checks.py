"""Deployment checks for what Django's own `check --deploy` cannot know about this site."""

from urllib.parse import urlsplit

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
                id="ops.W001",
            )
        ]
    return []


def base_url_is_https(app_configs=None, **kwargs):
    """Links in emails (appointment notifications, review reminders, password resets) are built from
    WAGTAILADMIN_BASE_URL; an unset or plain-http origin would send staff to the wrong place."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if not base_url:
        problem = "WAGTAILADMIN_BASE_URL is not set."
    elif urlsplit(base_url).scheme != "https" or not urlsplit(base_url).hostname:
        problem = f"WAGTAILADMIN_BASE_URL is {base_url!r}, not an https:// address."
    else:
        return []
    return [
        checks.Error(
            problem + " Links in emails (appointment notifications, review reminders) are built from it.",
            hint="Set WAGTAILADMIN_BASE_URL to the site's public address, e.g. https://www.example.com.",
            id="ops.E002",
        )
    ]


def register():
    checks.register(page_cache_is_shared, checks.Tags.caches, deploy=True)
    checks.register(base_url_is_https, checks.Tags.security, deploy=True)
