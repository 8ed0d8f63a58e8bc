"""The OpenAPI schema's conventions, applied to every operation: the error responses each may
give (all in the one error shape), and the API token security scheme."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample
from rest_framework.permissions import AllowAny

from core.api import ErrorSerializer

ERRORS = {
    "400": _("The request is not valid: a parameter or field is refused (see `fields`)."),
    "401": _("No credentials, or credentials that are not valid, revoked or expired."),
    "403": _("Authenticated, but not allowed to do this (role, unit, or a read-only token)."),
    "404": _("Not found, or outside the client's scope (the API does not say which)."),
    "406": _("The client asked (Accept) for a format the API does not give."),
    "409": _("A conflict: the object changed since the client read it (`stale`), its state "
             "does not allow this (`invalid_state`), or another write came first (`conflict`). "
             "Nothing was saved."),
    "415": _("The request body is not JSON."),
    "429": _("Too many requests: wait for the number of seconds in Retry-After."),
    "500": _("A fault on the server; it has been logged."),
}
UNSAFE_ONLY = {"409", "415"}
AUTH_ONLY = {"401", "403"}

ERROR_EXAMPLES = [
    OpenApiExample(
        "Invalid fields", summary=_("Invalid fields"), status_codes=["400"], response_only=True,
        value={"error": {"code": "invalid",
                         "message": "Some fields are not valid: see the errors of each field.",
                         "fields": {"percent_complete": [{
                             "code": "max_value",
                             "message": "Ensure this value is less than or equal to 100."}]}}}),
    OpenApiExample(
        "Stale version", summary=_("Stale version"), status_codes=["409"], response_only=True,
        value={"error": {"code": "stale",
                         "message": "This object was changed by someone else since you read "
                                    "it. Read it again and repeat your change; nothing was "
                                    "saved.",
                         "fields": {}}}),
    OpenApiExample(
        "Not found", summary=_("Not found"), status_codes=["404"], response_only=True,
        value={"error": {"code": "not_found", "message": "Not found.", "fields": {}}}),
    OpenApiExample(
        "Throttled", summary=_("Throttled"), status_codes=["429"], response_only=True,
        value={"error": {"code": "throttled",
                         "message": "Request was throttled. Expected available in 12 seconds.",
                         "fields": {}}}),
]

HEADERS = {
    "401": {"WWW-Authenticate": {"schema": {"type": "string"},
                                 "description": _("How to authenticate: Bearer.")}},
    "429": {"Retry-After": {"schema": {"type": "integer"},
                            "description": _("Seconds to wait before the next request.")}},
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, with every error response each operation can give."""

    def _requires_auth(self) -> bool:
        return not any(isinstance(permission, AllowAny)
                       for permission in self.view.get_permissions())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        for code, description in ERRORS.items():
            if code in responses or (code in UNSAFE_ONLY and not unsafe):
                continue
            if code in AUTH_ONLY and not self._requires_auth():
                continue
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            response["description"] = description
            if code in HEADERS:
                response["headers"] = HEADERS[code]
            responses[code] = response
        return responses

    def get_examples(self):
        return [*super().get_examples(), *ERROR_EXAMPLES]


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "units.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "pt_<prefix>_<secret>",
            "description": str(_(
                "An API token issued by an administrator (manage.py create_api_token). It acts "
                "as its user, within its scope: a read token cannot write.")),
        }
