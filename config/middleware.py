"""Middleware that belongs to the deployment rather than to an app: request ids, the
Content-Security-Policy, private pages, and a clear page when the database does not answer.

Every page gets these, whichever app it comes from.
"""

import logging
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.utils.cache import patch_cache_control

from config.errors import database_unavailable_response
from config.logs import request_id_from, request_id_var
from tasks.facts import end_reading_request, reading_request, writes_settled

access_logger = logging.getLogger("requests")
logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


class RequestIdMiddleware:
    """Gives each request an id (the caller's X-Request-ID when sane, else a new one), puts it on
    every log line written while the request is handled, returns it in X-Request-ID, and logs one
    line per request with its outcome and duration. First in MIDDLEWARE, so that it sees all."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if not request.path.startswith(self.static_prefix):
                self._log(request, response, started)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _log(request, response, started):
        match = request.resolver_match
        path = request.path
        # A password reset link carries its secret in the path: log the route, not the secret.
        if match is not None and "token" in match.kwargs:
            path = "/" + match.route
        user = getattr(request, "_cached_user", None)  # only if the request looked at its user
        access_logger.info(
            "%s %s %s", request.method, path, response.status_code,
            extra={
                "method": request.method, "path": path, "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (the policy is settings.CONTENT_SECURITY_POLICY), except on PDF
    responses: Chrome shows a PDF in a page of its own that it draws with inline styles and an
    <embed>, which the site's policy forbids, so a PDF opened in the browser would show blank.
    A PDF runs no script of ours, and downloads are never rendered by the site."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
        return super().process_response(request, response)


class PrivatePagesMiddleware:
    """What a signed-in user is shown is not kept by the browser or any cache (Cache-Control:
    private, no-store, unless the view chose otherwise); signing out tells the browser to clear
    what it kept of the site (Clear-Site-Data). After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only a user the request already loaded: looking now could query a database that is
        # down, and an anonymous page has nothing private.
        user = getattr(request, "_cached_user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        if getattr(request, "session_ended", False):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class DatabaseUnavailableMiddleware:
    """A database that does not answer gives a 503 page in the user's language, without a trace
    and without touching the database again; the error is logged. (Errors raised outside views,
    in other middleware, reach config.views.server_error, which does the same.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("The database is unavailable: %s", exception, exc_info=exception)
            return database_unavailable_response(request)
        return None


class FactsSettleMiddleware:
    """After a request that wrote (any method but GET, HEAD and OPTIONS that ran an INSERT,
    UPDATE or DELETE beyond its session), once its transaction (ATOMIC_REQUESTS) has committed:
    the per-task facts of the tasks it changed are computed again and what the apps registered
    to follow runs (tasks.facts.writes_settled: the dashboard's first screen is computed
    again), so the writer pays for a change and the next reader finds it drawn."""

    SAFE = {"GET", "HEAD", "OPTIONS"}

    def __init__(self, get_response):
        self.get_response = get_response

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __call__(self, request):
        if request.method in self.SAFE:
            token = reading_request()
            try:
                return self.get_response(request)
            finally:
                end_reading_request(token)
        wrote = []

        def watch(execute, sql, params, many, context):
            if not wrote and sql.lstrip()[:6].upper() in self.WRITES \
                    and "django_session" not in sql[:40]:  # a session saved is no change
                wrote.append(True)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(watch):
            response = self.get_response(request)
        if wrote:  # a form refused, a preview: nothing to settle
            writes_settled()
        return response
