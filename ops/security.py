"""Security headers, the admin sign-in lockout and the password-reset throttle.

The public site runs under a strict Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): no
inline scripts or styles. The Wagtail admin still relies on inline styles and scripts in places, so
its pages get a looser policy of their own, confined to /admin/. Previews are public pages shown in
the admin's preview panel: they keep the public policy and may be framed by the admin, nothing else.

Each request to reset a password sends an email: without a limit, anyone could flood an editor's
inbox or get the mail server listed as a spam source. throttle_password_reset() wraps Wagtail's view.
"""

import functools
import logging
import math
import re
import time
import unicodedata

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.html import format_html, format_html_join

logger = logging.getLogger(__name__)

ADMIN_PREFIX = "/admin/"

ADMIN_POLICY_REPLACEMENTS = {
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    # The admin frames its own views (block previews in the block picker, the preview error face).
    "frame-ancestors": ["'self'"],
    # The live preview panel frames the page being edited.
    "frame-src": ["'self'", "https:"],
    # The dashboard asks whether a newer Wagtail release exists.
    "connect-src": ["'self'", "https://releases.wagtail.org"],
}


# A preview is the public page, framed by the admin's preview panel: the public policy still decides
# what it may load (it needs the public stylesheet and nothing else), only the framing is relaxed.
PREVIEW_POLICY_REPLACEMENTS = {"frame-ancestors": ["'self'"]}


def is_preview(request):
    """Whether this is the request Wagtail makes up to render a preview (make_preview_request).

    Wagtail answers a preview URL such as /admin/pages/8/edit/preview/ by passing a made-up request
    for the page's public URL (/conditions/…/, or the admin URL itself for snippets) through the whole
    middleware stack, and returns that response as it is. Chosen by path alone, a page preview would
    carry the public frame-ancestors 'none', which the outer admin request cannot replace (django-csp
    keeps a header that is already set), and the preview panel would show a refused frame.
    """
    return bool(getattr(request, "is_preview", False))


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's header, with the admin's own policy and the previews' own framing, plus
    Permissions-Policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if is_preview(request):
            parts.replace = {**PREVIEW_POLICY_REPLACEMENTS, **(parts.replace or {})}
        elif request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_POLICY_REPLACEMENTS, **(parts.replace or {})}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if is_preview(request):
            # XFrameOptionsMiddleware, later in MIDDLEWARE, has already said DENY; browsers that read
            # only X-Frame-Options must get the same answer as frame-ancestors.
            response["X-Frame-Options"] = "SAMEORIGIN"
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


def _paused_response(title, paragraphs, retry_after):
    """A short 429 page: what is paused, for how long, what to do meanwhile."""
    html = format_html(
        """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main>
<h1>{title}</h1>
{paragraphs}
</main></body>
</html>""",
        title=title,
        paragraphs=format_html_join("\n", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs)),
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def lockout_response(request, original_response=None, credentials=None):
    minutes = settings.AXES_COOLOFF_MINUTES
    return _paused_response(
        "Sign-in paused",
        [
            format_html(
                "There were too many unsuccessful sign-in attempts for this account from your connection.\n"
                "For your security, signing in is paused for {} minutes. Please try again after that.",
                minutes,
            ),
            "If you have forgotten your password, use “Forgotten password?” on the sign-in page\n"
            "once the pause is over, or ask another administrator to reset it.",
        ],
        minutes * 60,
    )


# --- Fixed-window rate limits, counted in the cache ---------------------------------------

_RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate, setting_name="rate"):
    """'5/m' → (5, 60), '3/h' → (3, 3600), '10/5m' → (10, 300). An empty rate means no limit: None."""
    rate = (rate or "").strip().lower()
    if not rate:
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([smhd])", rate)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"{setting_name} must look like '5/m' (requests per s, m, h or d), not {rate!r}.")
    return int(match[1]), int(match[2] or 1) * _RATE_UNITS[match[3]]


def seconds_until_allowed(scope, identity, rate, setting_name="rate"):
    """Count one request by `identity` under `scope`: 0 while within `rate`, else seconds to wait.

    A fixed window counted in the cache: cheap, shared between workers when the cache is shared,
    and at worst lets through twice the limit across a window boundary. The identity (an address,
    an email address) is keyed through an HMAC, so the cache never holds it and it cannot be
    recovered by hashing guesses. An unreachable cache lets the request through.
    """
    limit = parse_rate(rate, setting_name)
    if limit is None:
        return 0
    allowed, window = limit
    now = time.time()
    bucket = int(now // window)
    digest = salted_hmac(f"ops.security.rate-limit:{scope}", identity, algorithm="sha256").hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{window}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:
            # The entry expired between add() and incr().
            cache.set(key, 1, timeout=window + 1)
            count = 1
    except Exception as error:
        logger.warning("Rate limit %s not applied, the cache failed (%s).", scope, type(error).__name__)
        return 0
    if count <= allowed:
        return 0
    return max(1, math.ceil((bucket + 1) * window - now))


# --- Password-reset requests ----------------------------------------------------------------

# Defaults for the settings PASSWORD_RESET_RATE_PER_ADDRESS and PASSWORD_RESET_RATE_PER_EMAIL.
RESET_RATE_PER_ADDRESS = "5/h"
RESET_RATE_PER_EMAIL = "3/h"


def _comparable_email(raw):
    # As Django's PasswordResetForm compares addresses, so that case and Unicode variants of one
    # address share its count.
    return unicodedata.normalize("NFKC", (raw or "").strip()).casefold()


def password_reset_wait(request):
    """Seconds before this client may ask for another reset email, counting this request; 0 if now.

    Two limits: per client address (one source flooding many inboxes, or the mail server) and per
    email address (many sources flooding one inbox). The email address is never logged, and the
    cache keeps only a keyed hash of it.
    """
    address_rate = getattr(settings, "PASSWORD_RESET_RATE_PER_ADDRESS", RESET_RATE_PER_ADDRESS)
    wait = seconds_until_allowed(
        "password-reset:address", client_ip(request) or "", address_rate, "PASSWORD_RESET_RATE_PER_ADDRESS"
    )
    if wait:
        logger.warning("Password reset requests paused for a client address for %s s.", wait)
        return wait
    email = _comparable_email(request.POST.get("email"))
    if not email:
        return 0
    email_rate = getattr(settings, "PASSWORD_RESET_RATE_PER_EMAIL", RESET_RATE_PER_EMAIL)
    wait = seconds_until_allowed("password-reset:email", email, email_rate, "PASSWORD_RESET_RATE_PER_EMAIL")
    if wait:
        logger.warning("Password reset requests paused for an email address for %s s.", wait)
    return wait


def password_reset_paused_response(wait):
    minutes = math.ceil(wait / 60)
    return _paused_response(
        "Password reset paused",
        [
            format_html(
                "Too many password reset emails have been asked for in a short time. To protect your\n"
                "inbox, new requests are paused for {} minute{}. If a reset email has already been sent,\n"
                "its link still works.",
                minutes,
                "" if minutes == 1 else "s",
            ),
            "If you cannot wait, ask another administrator to reset your password.",
        ],
        wait,
    )


def throttle_password_reset(view):
    """Wrap the password-reset view: posts over the limits get a 429 and send no email. GETs pass."""

    @functools.wraps(view)
    def throttled(request, *args, **kwargs):
        if request.method == "POST":
            wait = password_reset_wait(request)
            if wait:
                return password_reset_paused_response(wait)
        return view(request, *args, **kwargs)

    return throttled
