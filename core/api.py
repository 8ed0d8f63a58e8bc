"""What every app's REST API shares: the error shape, the conflict errors, pagination.

Every failure under /api/ answers one JSON shape (config/api_errors.py builds it):

    {"error": {"code": "invalid", "message": "…", "fields": {"results": [{"code": "blank",
     "message": "…"}]}}}

`code` is stable and meant for programs; `message` is for people, in the client's language
(Accept-Language: Vietnamese by default, or English); `fields` names each refused field (dotted
for nested ones, e.g. "outputs.0.issued_on"), and is empty for errors that are not about fields.
"""

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ErrorDetail, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import MANY_RELATION_KWARGS

from .paging import IdPaginator

#: The code given to a rule of the programme (a service's refusal) rather than to the shape of a
#: field, e.g. "a completed task needs the issued document of every output".
RULE_CODE = "rule"


class StaleVersion(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"
    default_detail = _("This object was changed by someone else since you read it. Read it "
                       "again and repeat your change; nothing was saved.")


def if_match_versions(request) -> set[str] | None:
    """The versions an If-Match header names (None: no header, or "*")."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}
    return None if "*" in tags else tags


def expected_version(request, data) -> int:
    """The version a write expects (the body's `version`), refused as stale when an If-Match
    header names others."""
    version = data["version"]
    tags = if_match_versions(request)
    if tags is not None and str(version) not in tags:
        raise StaleVersion()
    return version


class VersionedStepsMixin:
    """For a viewset of objects that carry a `version` (ETag) and move through a workflow: each
    step (submit, approve, return, reopen) reads the body with its serializer, checks the
    expected version, calls its service with the object under `subject_name`, and answers the
    object as read again (`_read`, given by the viewset)."""

    subject_name = "object"

    def _step(self, request, serializer_class, service, **extra):
        subject = self.get_object()
        incoming = serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        expected = expected_version(request, incoming.validated_data)
        arguments = {name: incoming.validated_data[source] for name, source in extra.items()}
        service(**{self.subject_name: subject}, actor=request.user, expected_version=expected,
                **arguments)
        return self._read(subject)


class InvalidState(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "invalid_state"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("The change conflicts with the data as it now stands; nothing was saved.")


def validation_error_from(error: DjangoValidationError, *, rename: dict | None = None
                          ) -> ValidationError:
    """A service's ValidationError as the API's: each message under the API's name for its
    field, with the error's own code or "rule". An error about one item of a list field says
    which in its params ("index", and the item's "field"): it is placed as DRF places the errors
    of a nested serializer, {"outputs": {"0": {"output": [...]}}}."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        items = error.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, error.error_list)]
    detail: dict[str, list | dict] = {}
    for field, problems in items:
        name = "non_field_errors" if field == NON_FIELD_ERRORS else rename.get(field, field)
        for problem in problems:
            params = problem.params if isinstance(problem.params, dict) else {}
            spot = detail.setdefault(name, {} if "index" in params else [])
            if "index" in params:
                if isinstance(spot, list):
                    spot = detail[name] = {"non_field_errors": spot}
                spot = spot.setdefault(str(params["index"]), {}).setdefault(
                    params.get("field", "non_field_errors"), [])
            elif isinstance(spot, dict):
                spot = spot.setdefault("non_field_errors", [])
            spot.extend(ErrorDetail(message, code=problem.code or RULE_CODE)
                        for message in problem.messages)
    return ValidationError(detail)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, except that a parameter sent empty is an error rather than "no
    filter" (the schema gives each one a type an empty string does not have); free-text search
    (a plain CharFilter such as `q`) and comma-separated lists (`ordering`: an empty list) may be
    empty."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            blank = {
                name: [ErrorDetail(_("Give a value, or leave the parameter out."), code="blank")]
                for name, found in filterset_class.base_filters.items()
                if not isinstance(found, django_filters.filters.BaseCSVFilter)
                and type(found) is not django_filters.CharFilter
                and "" in request.query_params.getlist(name)
            }
            if blank:
                raise ValidationError(blank)
        return super().filter_queryset(request, queryset, view)


class ApiPagination(PageNumberPagination):
    """`page` and `page_size` (1 to 500, 50 by default). The order is always stable (every list
    ends its ordering with the id), so paging never repeats or skips a row."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [ErrorDetail(
                _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
                code="invalid")]})
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1,
                                       "maximum": self.max_page_size}
        return parameters


class IdPagination(ApiPagination):
    """ApiPagination reading each page by id (core.paging.IdPaginator): for long lists of wide
    rows ordered by the client."""

    django_paginator_class = IdPaginator



# --- The error shape, for the OpenAPI schema ----------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable, for programs: e.g. required, blank, "
                                             "invalid, does_not_exist, rule."))
    message = serializers.CharField(help_text=_("For people, in the client's language."))


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_(
        "Stable, for programs: invalid, parse_error, not_authenticated, authentication_failed, "
        "permission_denied, not_found, method_not_allowed, not_acceptable, stale, "
        "invalid_state, conflict, unsupported_media_type, throttled, server_error."))
    message = serializers.CharField(help_text=_("For people, in the client's language."))
    fields = serializers.DictField(
        child=ErrorItemSerializer(many=True),
        help_text=_("The refused fields (dotted for nested ones), each with its problems; "
                    "empty when the error is not about fields."))


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# --- Text fields whose schema states exactly what they accept ------------------------------------

#: Any text without NUL characters (PostgreSQL cannot store them).
ANY_TEXT = r"^[^\x00]*$"
#: Text with at least one character that is not a space, and no NUL.
SOME_TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField would turn 12 or true into "12", "True"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON number, not a string of digits (the schema says integer)."""

    def to_internal_value(self, data):
        if isinstance(data, str | bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictManyRelatedField(serializers.ManyRelatedField):
    """A JSON array of ids: DRF's takes anything iterable, so an object ({}) was read as its
    keys, an empty list."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An object's id as a JSON number, not a string of digits (the schema says integer); with
    many=True, an array of them."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items()
                            if key in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def text_field(*, required: bool = True, blank: bool = False, **kwargs) -> serializers.CharField:
    """A string field whose OpenAPI pattern says what it accepts: when `blank` is False, it must
    hold something other than spaces (surrounding spaces are removed by the services)."""
    pattern, message, code = (
        (ANY_TEXT, _("Null characters are not allowed."), "null_characters_not_allowed")
        if blank else (SOME_TEXT, _("This field may not be blank."), "blank"))
    kwargs.setdefault("validators", []).append(RegexValidator(pattern, message, code=code))
    return StrictCharField(required=required, allow_blank=blank, trim_whitespace=False, **kwargs)
