from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Site

from seo.models import practice_settings
from seo.origin import public_origin

BUILT_IN_RULES = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", "Disallow: /documents/"]


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    """robots.txt: built-in rules, the editors' extra rules from the practice settings, the sitemap."""
    practice = practice_settings(request)
    site = Site.find_for_request(request)
    root_url = public_origin(site.root_url if site else request.build_absolute_uri("/"), request)
    extra = [line.strip() for line in practice.robots_txt.splitlines() if line.strip()]
    lines = [*BUILT_IN_RULES, *extra, "", f"Sitemap: {root_url}{reverse('sitemap')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
