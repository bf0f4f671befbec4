import atexit
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, database_config

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": database_config(BASE_DIR / "test-db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's in-memory default: tests that post from several threads at once need
    # SQLite's real file locking. The process id keeps simultaneous test runs on separate files.
    _test_database = Path(tempfile.gettempdir()) / f"scsportsmed-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_database)}

    def _remove_test_database_files():
        # Django deletes the database file but not SQLite's -wal and -shm files beside it, which a
        # connection still open at teardown leaves behind.
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_test_database}{suffix}").unlink(missing_ok=True)

    atexit.register(_remove_test_database_files)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Django's test client signs in without a request, which django-axes refuses; tests of the
# lockout switch it back on.
AXES_ENABLED = False
# IndexNow never calls out from tests, whatever the environment says.
INDEXNOW_KEY = ""
