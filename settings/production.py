"""Production settings: everything deployment-specific comes from the environment."""

import copy
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production settings refuse to start without it: "
        "set the SECRET_KEY environment variable to a long random string."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
# The site's public origin, for links in emails and canonical URLs. No development default here:
# `check --deploy` reports it when it is unset or not https (home.E002).
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# DATABASE_URL is read in base.py; CONN_MAX_AGE keeps connections between requests.

# Django's SMTP backend, with a deadline for the whole conversation (see ops/mail.py).
EMAIL_BACKEND = "ops.mail.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
EMAIL_SEND_DEADLINE = float(os.environ.get("EMAIL_SEND_DEADLINE", "30"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets Django's error reports (with patients' form data withheld: ops/log_filters.py).
ADMINS = [("Operations", address) for address in env_list("ADMINS")]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is unreachable: /readyz must answer before the load balancer's
    # own timeout, and visitors get the error page rather than a hung connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)

# --- HTTPS and security headers ------------------------------------------------------------
# TLS ends at the load balancer, which says how the visitor connected in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# Wagtail's admin reads the token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True

# --- Media: S3-compatible storage when a bucket is configured, the local disk otherwise -------
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    # Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the server's role.
    # Media URLs are plain public URLs: a signed URL would expire inside a cached page.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = False
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=86400"}
    media_host = AWS_S3_CUSTOM_DOMAIN or f"{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    if AWS_S3_ENDPOINT_URL and not AWS_S3_CUSTOM_DOMAIN:
        media_host = AWS_S3_ENDPOINT_URL.split("://", 1)[-1].rstrip("/")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"https://{media_host}")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"].append(f"https://{media_host}")

CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = SECURE_SSL_REDIRECT

# --- CDN purging (wagtail.contrib.frontend_cache): publishing clears the CDN's copy -----------
WAGTAILFRONTENDCACHE = {}
if os.environ.get("CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": os.environ.get("CLOUDFLARE_BEARER_TOKEN", ""),
    }
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
    }

# LOGGING comes from base.py (console at LOG_LEVEL, errors to ADMINS): its handlers withhold
# patients' form data, so it is not redefined here.
