"""Deploy checks for what search engines are told: one origin, the one the Site record also has."""

from django.core import checks
from django.db import DatabaseError

from seo.origin import configured_origin, site_record_origin


def origin_matches_site_record(app_configs=None, databases=None, **kwargs):
    """Addresses are written with WAGTAILADMIN_BASE_URL, while Wagtail's admin ("View live", the
    sites list) and any second site use the Site record: the two must name the same origin."""
    configured = configured_origin()
    if not configured:
        return []  # ops.E002 reports the unset origin
    try:
        recorded = site_record_origin()
    except DatabaseError:
        return []  # no database yet (a first deployment before migrate)
    if not recorded or recorded.rstrip("/") == configured:
        return []
    return [
        checks.Error(
            f"The site's addresses are written with {configured} (WAGTAILADMIN_BASE_URL), but the default "
            f"Site record says {recorded}.",
            hint="Make the Site's hostname and port (Settings → Sites) and WAGTAILADMIN_BASE_URL agree.",
            id="seo.E001",
        )
    ]


def register():
    checks.register(origin_matches_site_record, checks.Tags.urls, deploy=True)
