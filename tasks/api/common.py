"""What the tasks app's API views share: the status date, who writes, the scoped querysets."""

import re
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions
from rest_framework.exceptions import ErrorDetail, ValidationError

from core.api import validation_error_from
from units.authentication import view_handles

from ..permissions import can_manage_programmes

ON_PARAMETER = OpenApiParameter(
    "on", OpenApiTypes.DATE, description=_("The day the status classes are computed for "
                                           "(YYYY-MM-DD); today by default."))


def status_date(request) -> date:
    """The `on` query parameter (YYYY-MM-DD), or today."""
    raw = request.query_params.get("on")
    if raw is None:
        return timezone.localdate()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ValidationError({"on": [ErrorDetail(_("Write the date as YYYY-MM-DD."),
                                              code="invalid")]})


class CanManageTasks(permissions.BasePermission):
    """Reading is for everyone in scope; writing is for the programme secretariat."""

    message = _("Only the programme secretariat manages tasks.")

    def has_permission(self, request, view):
        return (request.method in permissions.SAFE_METHODS or not view_handles(view, request)
                or can_manage_programmes(request.user))


class ScopedViewSetMixin:
    """get_queryset from the view's scoped_queryset(); an empty one while the schema is made."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return self.serializer_class.Meta.model.objects.none()
        return self.scoped_queryset()


def run_service(request, serializer_class, service, *, rename=None, **arguments):
    """Validate the request's body with `serializer_class`, then call `service` with the acting
    user, `arguments` and the validated fields; a service's ValidationError becomes the API's
    400 (its fields renamed where the API names them otherwise). Returns what the service
    returns."""
    incoming = serializer_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        return service(actor=request.user, **arguments, **incoming.validated_data)
    except DjangoValidationError as error:
        raise validation_error_from(error, rename=rename) from error
