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


def site_root_paths(request=None):
    """Wagtail's root paths of every site, kept on the request where Wagtail keeps them itself, so
    that a page full of links asks the cache once."""
    if request is None:
        return Site.get_site_root_paths()
    try:
        return request._wagtail_cached_site_root_paths
    except AttributeError:
        request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
        return request._wagtail_cached_site_root_paths


def public_origin(site_root_url="", request=None, one_site=None):
    """The origin to write a site's addresses with: the configured one on a one-site install, else
    the Site record's root URL (`site_root_url`). `one_site` saves looking the sites up again."""
    configured = configured_origin()
    if one_site is None:
        one_site = len(site_root_paths(request)) <= 1
    if configured and one_site:
        return configured
    return site_root_url.rstrip("/")


def site_record_origin():
    """The default Site record's origin, as Wagtail builds it ("http://localhost:8000"); "" without one."""
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""
