"""One JSON error shape for every failure under /api/ (see units/api_base.py for the shape).

`api_exception_handler` is DRF's EXCEPTION_HANDLER: it turns what views, services and the
database raise into that shape, so that a view only calls services. A service's refusals
(units/errors.py): NotAllowed 403, WrongState 409 "invalid_state", Stale 409 "stale"; its
ValidationError 400, each field under the API's name for it (the view's `service_field_names`
where they differ). The handler404/handler500/... functions (config/urls.py) answer in the same
shape for what happens outside a view (an unknown URL under /api/, an unexpected fault), and
leave the browser's HTML pages as they are.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.views import exception_handler

from core.api import Conflict, InvalidState, StaleVersion, validation_error_from
from core.errors import Stale, WrongState

logger = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _field_errors(detail, prefix: str = "") -> dict[str, list[dict]]:
    """A DRF validation detail (nested dicts and lists) as {"dotted.name": [{code, message}]}."""
    found: dict[str, list[dict]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            found.update(_field_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        if detail:
            found[prefix or "non_field_errors"] = [
                {"code": getattr(item, "code", None) or "invalid", "message": str(item)}
                for item in detail]
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if item:
                found.update(_field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        found[prefix or "non_field_errors"] = [
            {"code": getattr(detail, "code", None) or "invalid", "message": str(detail)}]
    return found


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never the model's name or the query
    elif isinstance(exc, WrongState):  # before PermissionDenied, which it is too
        exc = InvalidState(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, Stale):
        exc = StaleVersion()
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error_from(
            exc, rename=getattr(context.get("view"), "service_field_names", None))
    elif isinstance(exc, IntegrityError):
        # Two writers raced past the checks (e.g. both created the same report): refuse the
        # later one; the transaction is rolled back.
        logger.warning("API write refused by a database constraint: %s", exc)
        exc = Conflict()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected fault: Django logs it and handler500 answers
    # JSON even where the client asked for another format (a PDF download that fails).
    response.content_type = "application/json"
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        general = fields.get("non_field_errors", [])
        if general and len(fields) == 1:
            message = " ".join(item["message"] for item in general)
        else:
            message = _("Some fields are not valid: see the errors of each field.")
        response.data = error_body("invalid", message, fields)
    elif isinstance(exc, exceptions.Throttled):
        response.data = error_body("throttled", ngettext(
            "Too many requests: try again in %(wait)d second.",
            "Too many requests: try again in %(wait)d seconds.", exc.wait or 1)
            % {"wait": exc.wait or 1})
    elif isinstance(exc, exceptions.ParseError):
        response.data = error_body("parse_error", _("The request body is not valid JSON."))
    else:
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        response.data = error_body(code, detail if isinstance(detail, str) else exc.default_detail)
    return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def handler400(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("bad_request", _("The request is not valid.")),
                            status=400)
    return defaults.bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("permission_denied",
                                       _("You do not have permission to do this.")), status=403)
    return defaults.permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


@csrf_exempt  # a write to an unknown address is not found, whatever its CSRF token
def not_found(request, *args, **kwargs):
    """Any other address under /api/ (also in debug, where Django would show its HTML page)."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)
