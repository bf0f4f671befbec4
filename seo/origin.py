"""The one origin (scheme, host and port) that every absolute address of the site is written with.

Canonical links, og:url, JSON-LD @ids, the sitemap and robots.txt all read it from configuration,
WAGTAILADMIN_BASE_URL (in development, the address `make run` serves), so that a Site record that
was created for another address (port 8000 while the site runs on 8100; a staging host copied to
production) can never put a wrong address in front of search engines. With more than one Site,
each site's own record is its origin: the configuration names one address only.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def configured_origin():
    """The origin in WAGTAILADMIN_BASE_URL ("https://www.example.com"), or "" when it is unset."""
    parts = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if not (parts.scheme and parts.netloc):
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def public_origin(site_root_url=""):
    """The origin to write a site's addresses with: the configured one on a one-site install, else
    the Site record's root URL (`site_root_url`)."""
    configured = configured_origin()
    if configured and len(Site.get_site_root_paths()) <= 1:
        return configured
    return site_root_url.rstrip("/")


def site_record_origin():
    """The default Site record's origin, as Wagtail builds it ("http://localhost:8000"); "" without one."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""
