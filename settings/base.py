"""Settings shared by every environment. Environment-specific values live in dev, test and production."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "ops",
    "pagecache",
    "seo",
    "home",
    "conditions",
    "treatments",
    "physicians",
    "locations",
    "appointments",
    "search",
    "importer",
    "demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # Health checks answer before host validation; bodies too large to need are refused before
    # anything reads them; the page cache answers before anything that could touch the database
    # (sessions, authentication).
    "ops.health.HealthCheckMiddleware",
    "seo.middleware.CanonicalHostMiddleware",
    "ops.limits.RequestLimitsMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ops.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the one the address names (/es/…), English otherwise: home.i18n.
    "home.i18n.PathLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a flagged login attempt into the lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "settings.urls"
WSGI_APPLICATION = "settings.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


# How long storing an appointment request may wait for a busy database (a long admin write holding
# SQLite's lock, a held lock on PostgreSQL) before the patient is asked to try again or call.
APPOINTMENT_STORE_TIMEOUT = float(os.environ.get("APPOINTMENT_STORE_TIMEOUT", "35"))


def database_config(default_sqlite_path):
    """PostgreSQL (or anything else) when DATABASE_URL is set, otherwise a tuned SQLite file.

    SQLite is tuned for a web workload: WAL lets readers run beside a writer, the busy timeout
    and IMMEDIATE transactions make concurrent writers queue instead of failing with
    "database is locked" half-way through a transaction. Writers wait as long as an appointment
    request may (reads never wait under WAL).

    PostgreSQL connections are kept between requests and checked before reuse (a restarted server
    leaves dead connections behind), and with DATABASE_STATEMENT_TIMEOUT set (the WSGI entry point
    sets 10 s), a statement stuck behind a held lock gives up instead of holding the request.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(
            url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
        )
        statement_timeout = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0") or 0)
        if statement_timeout and config["ENGINE"] == "django.db.backends.postgresql":
            options = config.setdefault("OPTIONS", {})
            options["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
        return config
    busy_seconds = APPOINTMENT_STORE_TIMEOUT
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": default_sqlite_path,
        "OPTIONS": {
            "timeout": busy_seconds,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                f"PRAGMA busy_timeout={int(busy_seconds * 1000)};PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": database_config(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at today's addresses, Spanish under /es/ (settings/urls.py), each page translated with
# wagtail-localize. LANGUAGE_CODE is the bare "en" that Wagtail's locales use, so that English
# addresses keep no prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The fixed wording of the templates in Spanish (locale/es/LC_MESSAGES/django.po, and its compiled .mo).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Redis when REDIS_URL is set (shared by every app server: the page cache and its invalidation
# need that), otherwise this process's memory. Short socket timeouts, and a backend that answers
# misses while Redis is down (pagecache.redis.RedisCache): an outage means rendering without the cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "scsm"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "site"}}

# After Redis fails (refused, timed out), each process answers cache calls as misses without asking
# it for this many seconds, then one request tries again (pagecache.redis.CircuitBreaker).
CACHE_BREAKER_SECONDS = float(os.environ.get("CACHE_BREAKER_SECONDS", "5"))

# Full-page cache for anonymous visitors (pagecache/): how long a stored page may live in the
# app cache (publishing retires it sooner), in browsers and in a CDN.
PAGE_CACHE_ENABLED = True
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "300"))
PAGE_CACHE_EXCLUDED_PREFIXES = ["/search/", "/es/buscar/"]
# Pages are stored per release; without RELEASE_ID the release is a digest of templates and static files.
PAGE_CACHE_RELEASE = os.environ.get("RELEASE_ID", "")

# Content-Security-Policy (django-csp): no inline scripts or styles on the public site. The Wagtail
# admin gets the looser policy it needs in ops/security.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views answer SAMEORIGIN themselves.

# Admin sign-in throttling (django-axes): five wrong passwords for one username from one address
# pause sign-in for that pair for 15 minutes. Keyed on the pair so that nobody can lock an editor
# out from elsewhere; the client address honours TRUSTED_PROXY_COUNT (ops/security.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = AXES_COOLOFF_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ops.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ops.security.client_ip"

# Request bodies (ops/limits.py refuses larger ones from Content-Length, before reading them).
# Visitors' forms: the appointment form posts well under 2 KB and 20 fields.
PUBLIC_MAX_BODY = 32 * 1024
PUBLIC_MAX_FIELDS = 100
# Signed-in editors: Wagtail's page editor posts many fields for long StreamFields, and one file at a
# time up to the image and document limits.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Photos straight from a phone (12 MB and more) are accepted and scaled down to IMAGE_MAX_SIDE pixels
# on their longest side as they are uploaded (home/images.py).
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 25 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.images.ImageForm"
IMAGE_MAX_SIDE = 3000

WAGTAIL_SITE_NAME = "South Carolina Sports Medicine & Orthopaedic Center"
# The setting that holds the practice's name, title templates and default social image; the seo app
# reads it by this name rather than importing the app that defines it.
PRACTICE_SETTINGS_MODEL = "home.PracticeSettings"
# IndexNow (seo/indexnow.py): search engines are told of each publish when a key is set.
INDEXNOW_KEY = os.environ.get("INDEXNOW_KEY", "")
INDEXNOW_ENDPOINT = os.environ.get("INDEXNOW_ENDPOINT", "https://api.indexnow.org/indexnow")
# The last approval in a workflow publishes the page for the reviewer, who has no Publish button.
WAGTAIL_FINISH_WORKFLOW_ACTION = "conditions.workflows.publish_approved"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend (SQLite FTS5 or PostgreSQL full-text search), with English word forms and
# titles ranked above body text on both: see search/backends.
# Spanish pages are indexed with PostgreSQL's Spanish configuration and searched through the
# "spanish" alias, which reads the same index (search/backends/postgres.py); SQLite folds accents.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "search.backends", "SEARCH_CONFIG": "english"},
    "spanish": {"BACKEND": "search.backends", "SEARCH_CONFIG": "spanish", "AUTO_UPDATE": False},
}
# Keep query counts as long as the no-results report looks back (Wagtail's default is 7 days).
WAGTAILSEARCH_HITS_MAX_AGE = 30
# Counting a search waits at most this long for a busy database; the count is dropped after that.
SEARCH_COUNT_LOCK_WAIT = 0.25
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp", "avif": "avif"}
WAGTAILREDIRECTS_AUTO_CREATE = True

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "website@scsportsmed.example")

# Appointment requests (appointments app).
# Who is told about a new request when the form page names nobody; comma-separated addresses.
APPOINTMENT_NOTIFICATION_TO = [
    address.strip() for address in os.environ.get("APPOINTMENT_NOTIFICATION_TO", "").split(",") if address.strip()
]
# `manage.py purge_form_submissions` deletes submissions older than this.
FORM_SUBMISSION_RETENTION_DAYS = int(os.environ.get("FORM_SUBMISSION_RETENTION_DAYS", "90"))
# Form posts allowed per client address: "5/m", "20/h"…; empty for no limit. Counted in the cache,
# so several workers share one count only if CACHES points at a shared cache.
FORM_RATE_LIMIT = os.environ.get("FORM_RATE_LIMIT", "5/m")
# Reverse proxies in front of the site that append to X-Forwarded-For: the rate limit reads the
# client address through them. 0 (the default) trusts REMOTE_ADDR and nothing else.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Every handler withholds patients' form data (exception messages, SQL parameters) while a form post
# is handled; see ops/log_filters.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "withhold_form_data": {"()": "ops.log_filters.WithholdFormData"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["withhold_form_data"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "withhold_form_data"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # Every background task logs its start and end at INFO: only problems are worth a line.
        "django_tasks": {"level": "WARNING"},
    },
}

# Uploads waiting on the old-site import screen (importer/): kept here, never in the public media,
# and removed once imported (or a day after an upload that was only checked).
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", BASE_DIR / "import-uploads"))
# The largest export the import screen accepts; it must stay within ops.limits' editor limit.
IMPORT_MAX_UPLOAD = int(os.environ.get("IMPORT_MAX_UPLOAD", str(20 * 1024 * 1024)))

# Local condition pages (condition + town) must carry content of their own: see conditions/doorway.py.
DOORWAY_MIN_UNIQUE_WORDS = int(os.environ.get("DOORWAY_MIN_UNIQUE_WORDS", "80"))
DOORWAY_MAX_SIMILARITY = float(os.environ.get("DOORWAY_MAX_SIMILARITY", "0.35"))

# Condition pages are medically reviewed again this many months after each approval.
MEDICAL_REVIEW_INTERVAL_MONTHS = int(os.environ.get("MEDICAL_REVIEW_INTERVAL_MONTHS", "12"))
# Pages show up as due for review this many days before their next review date.
MEDICAL_REVIEW_NOTICE_DAYS = int(os.environ.get("MEDICAL_REVIEW_NOTICE_DAYS", "30"))
