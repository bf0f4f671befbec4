"""The site served on this machine as production runs it, for the page audit and the page benchmark.

settings.production behind gunicorn (gunicorn.conf.py, 2 workers), whitenoise serving the collected
static files, the demo content, on 127.0.0.1 only. The database (unless one is given), the collected
static files and a one-line settings module live in a work folder the caller owns and removes.

    site = Site(workdir)
    site.prepare()                      # migrate, demo content, collectstatic
    with site.serving(log_path):        # gunicorn, ready once /healthz answers
        status, headers, body = site.fetch("/")
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_PATH = "/healthz"  # answers before host checks and the page cache, and touches nothing else
READY_TIMEOUT = 60


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """One local copy of the site: its environment, its preparation and its gunicorn server."""

    def __init__(self, workdir, *, port=None, database_url=None, **environment):
        """`environment` adds to or overrides the production environment below (REDIS_URL, say)."""
        self.workdir = Path(workdir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.static_root = self.workdir / "static"
        self.server = None
        # settings.production takes STATIC_ROOT from base.py (the repository's staticfiles/); a
        # one-line module points it at the work folder, so no run leaves files in the repository.
        (self.workdir / "served_settings.py").write_text(
            f"from settings.production import *  # noqa: F403\nSTATIC_ROOT = {str(self.static_root)!r}\n"
        )
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="served_settings",
            PYTHONPATH=f"{self.workdir}{os.pathsep}{ROOT}",
            SECRET_KEY=secrets.token_urlsafe(50),
            SECURE_SSL_REDIRECT="false",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=database_url or f"sqlite:///{self.workdir / 'site.sqlite3'}",
            WAGTAILADMIN_BASE_URL=self.url,
            LOG_LEVEL="WARNING",
        )
        self.env.update(environment)

    def manage(self, *args):
        """Run a manage.py command; its output is shown only when it fails. Returns its standard output."""
        completed = subprocess.run(  # noqa: S603 - our own fixed commands, no shell
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            sys.stderr.write(completed.stdout + completed.stderr)
            raise SystemExit(f"manage.py {' '.join(args)} failed.")
        return completed.stdout

    def prepare(self, *shell_scripts, log=lambda step: None):
        """Migrate, load the demo content, run each script in `manage.py shell`, collect the static files."""
        log("migrate")
        self.manage("migrate", "--noinput")
        log("demo content")
        self.manage("load_demo_content", "--spanish")
        for script in shell_scripts:
            self.manage("shell", "--command", script)
        log("collectstatic")
        self.manage("collectstatic", "--noinput")

    @contextlib.contextmanager
    def serving(self, log_path=None):
        """gunicorn for the duration of the block; its output goes to log_path, or to this terminal."""
        self.start(log_path)
        try:
            yield self
        finally:
            self.stop()

    def start(self, log_path=None):
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "settings.wsgi:application",
            f"--config={ROOT / 'gunicorn.conf.py'}",
            "--workers=2",
            f"--bind=127.0.0.1:{self.port}",
        ]
        output = log_path.open("w") if log_path else None
        self.server = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
        if output:
            output.close()  # the server holds its own copy
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                tail = f"; see {log_path}:\n{log_path.read_text()[-3000:]}" if log_path else ""
                raise SystemExit(f"gunicorn exited before answering{tail}")
            try:
                if self.fetch(READY_PATH)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer {READY_PATH} on port {self.port} within {READY_TIMEOUT} s")

    def stop(self):
        if self.server is None or self.server.poll() is not None:
            return
        # The whole session: the arbiter and its workers.
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=35)  # gunicorn.conf.py gives workers 30 s to finish their requests
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()

    def fetch(self, path):
        """(status, headers, body) of one GET, error statuses included."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310 - loopback only
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()
