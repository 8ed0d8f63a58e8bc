"""Filters of explanation requests, shared by the API and the register."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, UpdatedSinceFilter
from tasks.filters import StableOrderMixin

from .models import ExplanationRequest


class ExplanationRequestFilter(StableOrderMixin, django_filters.FilterSet):
    """Requests by state, kind, unit (and the units under it), task, indicator, changes."""

    state = django_filters.MultipleChoiceFilter(label=_("State"),
                                                choices=ExplanationRequest.State.choices)
    kind = django_filters.ChoiceFilter(label=_("About"), choices=ExplanationRequest.Kind.choices)
    unit = IdFilter(label=_("Unit"), method="in_unit",
                    help_text=_("The id of the unit asked (the units under it included)."))
    task = IdFilter(label=_("Task"), field_name="task_id", help_text=_("The task's id."))
    indicator = IdFilter(label=_("Indicator"), field_name="indicator_id",
                         help_text=_("The indicator's id."))
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"),
        help_text=_("Requests changed at or after this time (ISO 8601), to sync only what "
                    "changed."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=[("requested_at", "requested"), ("reply_by", "reply_by"),
                                     ("updated_at", "updated")])
    default_order = ("-requested_at",)

    class Meta:
        model = ExplanationRequest
        fields: list[str] = []

    def in_unit(self, queryset, name, value):
        from units.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)
