"""Gunicorn settings for the app servers; gunicorn reads this file from the working directory.

Every value can be set from the environment, so one image serves any server size:
WEB_CONCURRENCY (worker processes), GUNICORN_THREADS, GUNICORN_BIND, GUNICORN_TIMEOUT.
"""

import multiprocessing
import os

# Behind a load balancer on another host the server listens on every interface.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104

# Two workers per core plus one: a page render waits on the database and the cache now and then.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers: a client that sends its request slowly holds one thread, not a whole worker, and
# a connection that sends nothing waits in the worker's poller without holding any. A few threads
# per worker also let a request that waits on a busy database (an appointment may wait up to
# APPOINTMENT_STORE_TIMEOUT) run without the arbiter taking the worker for hung. Many slow clients
# at once still need the buffering proxy in docs/deployment.md in front.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"

timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Longer than the load balancer's idle timeout, so it never reuses a connection gunicorn closed.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))

# Recycle workers now and then: a slow leak in any library cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = 1000

# Load the application once, before forking: workers share its memory and start faster.
preload_app = True
# The heartbeat file on tmpfs: a slow or full disk cannot make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's own heartbeat files

# Which proxies may set X-Forwarded-* for gunicorn itself; Django reads X-Forwarded-Proto through
# SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
