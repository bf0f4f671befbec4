"""One host: a request for the apex or www twin of the site's host is sent to the site's host.

When both example.com and www.example.com are allowed (both point at the server), search engines
would otherwise find the same pages at two addresses. A 301 to the configured origin (seo.origin)
keeps one; hosts that are not allowed never get this far (Django answers them with a 400).
"""

from urllib.parse import urlsplit

from django.http import HttpResponsePermanentRedirect
from django.http.request import split_domain_port

from seo.origin import configured_origin


def twin_host(host):
    """example.com for www.example.com, and the other way round."""
    return host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"


class CanonicalHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = configured_origin()
        if origin:
            canonical_host = urlsplit(origin).hostname or ""
            requested_host, _port = split_domain_port(request.get_host())
            if canonical_host and requested_host == twin_host(canonical_host):
                return HttpResponsePermanentRedirect(origin + request.get_full_path())
        return self.get_response(request)
