"""Security headers and the admin sign-in lockout.

The public site runs under a strict Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): no
inline scripts or styles. The Wagtail admin still relies on inline styles and scripts in places and
frames its own preview, so its pages get a looser policy of their own, confined to /admin/.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.utils.html import format_html

ADMIN_PREFIX = "/admin/"

ADMIN_POLICY_REPLACEMENTS = {
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    # The live preview panel frames the page being edited.
    "frame-ancestors": ["'self'"],
    "frame-src": ["'self'", "https:"],
    # The dashboard asks whether a newer Wagtail release exists.
    "connect-src": ["'self'", "https://releases.wagtail.org"],
}


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's header, with the admin's own policy, plus Permissions-Policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_POLICY_REPLACEMENTS, **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def client_ip(request):
    """The visitor's address: behind TRUSTED_PROXY_COUNT proxies, the entry they appended to
    X-Forwarded-For; entries further left are whatever the client claimed and are not trusted."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    minutes = settings.AXES_COOLOFF_MINUTES
    html = format_html(
        """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in paused</title></head>
<body><main>
<h1>Sign-in paused</h1>
<p>There were too many unsuccessful sign-in attempts for this account from your connection.
For your security, signing in is paused for {minutes} minutes. Please try again after that.</p>
<p>If you have forgotten your password, use &ldquo;Forgotten password?&rdquo; on the sign-in page
once the pause is over, or ask another administrator to reset it.</p>
</main></body>
</html>""",
        minutes=minutes,
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response
