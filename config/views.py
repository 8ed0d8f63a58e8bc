"""Views that belong to the deployment rather than to an app."""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.celery_app import app as celery_app
from config.errors import database_unavailable_response, server_error_response

logger = logging.getLogger(__name__)

# The container's health check runs every 30 s; a probe must answer well within that, even when a
# service is down. Redis ignores kombu's connect_timeout and reads its socket timeouts from the
# transport options, hence both.
BROKER_SOCKET_TIMEOUT_SECONDS = 1
BROKER_TIMEOUT_SECONDS = 2


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: the database is unavailable.", exc_info=True)
        return False
    return True


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write(
            connect_timeout=BROKER_SOCKET_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
            },
        ) as broker:
            # One attempt: kombu's max_retries counts retries after the first try, each preceded
            # by a 2 s sleep; the health check's own retries cover a passing blip.
            broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        logger.warning("Health check: the broker is unavailable.", exc_info=True)
        return False
    return True


# Not atomic: with ATOMIC_REQUESTS the transaction would open before the view runs, and a database
# that is down would answer 500 instead of a 503 that says which service failed.
@transaction.non_atomic_requests
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker both answer, 503 otherwise; never raises."""
    checks = {
        "database": "ok" if _database_ok() else "error",
        "broker": "ok" if _broker_ok() else "error",
    }
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def server_error(request: HttpRequest):
    """handler500: the 500 page, or the 503 page when the failure is the database not answering
    (raised outside a view, e.g. while saving the session, where no middleware can catch it).

    Django calls it while handling the exception, so sys.exc_info() still holds it."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable_response(request)
    return server_error_response(request)
