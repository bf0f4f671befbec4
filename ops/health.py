"""Health checks for load balancers and orchestrators.

/healthz (liveness): the process is up and answering; it touches nothing else, so a database
outage does not get every app server restarted at once.
/readyz (readiness): the database answers; a load balancer stops sending visitors to a server that
says 503. The cache's state is reported in the body but does not make a server unready: pages render
from the database while Redis is down, and a shared Redis outage would otherwise take every server
out of the pool at once.

Load balancers probe by IP address, with a Host header that is not in ALLOWED_HOSTS, and over
plain HTTP; the middleware therefore answers before host validation and the HTTPS redirect.
"""

import logging
import uuid

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def liveness(request):
    return _no_store(JsonResponse({"status": "ok"}))


def _database_ok():
    try:
        connection = connections["default"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Readiness check: database unavailable")
        connections["default"].close()
        return False
    return True


def _cache_ok():
    try:
        cache = caches["default"]
        token = uuid.uuid4().hex
        cache.set("health:readiness-probe", token, timeout=10)
        return cache.get("health:readiness-probe") == token
    except Exception:
        logger.exception("Readiness check: cache unavailable")
        return False


def readiness(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = checks["database"]
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: "ok" if passed else "unavailable" for name, passed in checks.items()},
    }
    return _no_store(JsonResponse(body, status=200 if ready else 503))


HEALTH_VIEWS = {
    LIVENESS_PATH: liveness,
    LIVENESS_PATH + "/": liveness,
    READINESS_PATH: readiness,
    READINESS_PATH + "/": readiness,
}


class HealthCheckMiddleware:
    """Answer /healthz and /readyz first: before host validation, HTTPS redirects and the page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
