"""The pages shown when something fails on our side (500) or the database does not answer (503).

They must render when nothing else works: no request context (context processors would load the
user, the session or the unread count from the database), no database, only the template files,
the translation catalogues and the static files' names.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from config.api_errors import error_body

#: Seconds after which a client may try again when the database is down.
RETRY_AFTER_SECONDS = 60


def error_language(request) -> str:
    """The language chosen with the VI | EN switch (its cookie), else the default (Vietnamese).

    Read from the cookie alone, as the user's own language setting is in the database."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return settings.LANGUAGE_CODE


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or not request.accepts("text/html")


def error_response(request, *, template_name: str, status: int, json_message: str,
                   code: str) -> HttpResponse:
    language = error_language(request)
    request_id = getattr(request, "request_id", "")
    with translation.override(language):
        if _wants_json(request):
            # The API's one error shape (config/api_errors.py); the request id to quote is in
            # the X-Request-ID header.
            response = JsonResponse(error_body(code, _(json_message)), status=status)
        else:
            html = loader.get_template(template_name).render(
                {"request_id": request_id, "LANGUAGE_CODE": language})
            response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response


def database_unavailable_response(request) -> HttpResponse:
    response = error_response(request, template_name="503.html", status=503,
                              code="service_unavailable", json_message=(
        gettext_noop("The service is temporarily unavailable. Try again in a few minutes.")))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error_response(request) -> HttpResponse:
    return error_response(request, template_name="500.html", status=500, code="server_error",
                          json_message=(
        gettext_noop("Something went wrong on our side. The error has been recorded.")))
