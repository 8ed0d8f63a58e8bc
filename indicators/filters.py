"""Filters of indicators and their values, shared by the API and the indicator list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, StrictBooleanFilter, UpdatedSinceFilter, every_word_in
from tasks.filters import StableOrderMixin

from .models import Direction, Frequency, Indicator, IndicatorValue


class IndicatorFilter(StableOrderMixin, django_filters.FilterSet):
    """Indicators by resolution, group, responsible unit, frequency, words, changes."""

    q = django_filters.CharFilter(label=_("Search"),
                                  method=every_word_in("code", "name", "name_en"),
                                  help_text=_("Words of the indicator's code or name."))
    resolution = IdFilter(label=_("Resolution"), field_name="resolution_id",
                          help_text=_("The resolution's id."))
    group = IdFilter(label=_("Task group"), field_name="group_id",
                     help_text=_("The task group's id."))
    responsible_unit = IdFilter(label=_("Responsible unit"), field_name="responsible_unit_id",
                                help_text=_("The id of the unit responsible for the figure."))
    frequency = django_filters.ChoiceFilter(label=_("Measured"), choices=Frequency.choices)
    direction = django_filters.ChoiceFilter(label=_("Better when"), choices=Direction.choices)
    is_illustrative = StrictBooleanFilter(label=_("Illustrative"))
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"),
        help_text=_("Indicators changed (targets included) at or after this time (ISO 8601)."))
    default_order = ("resolution_id", "sort_key")

    class Meta:
        model = Indicator
        fields: list[str] = []


class IndicatorValueFilter(StableOrderMixin, django_filters.FilterSet):
    """Values by indicator, unit, national or not, state, changes."""

    indicator = IdFilter(label=_("Indicator"), field_name="indicator_id",
                         help_text=_("The indicator's id."))
    unit = IdFilter(label=_("Unit"), field_name="unit_id",
                    help_text=_("The id of the unit whose own value it is."))
    national = StrictBooleanFilter(label=_("National figure"), field_name="unit",
                                   lookup_expr="isnull",
                                   help_text=_("true: the national figures only; false: the "
                                               "units' own values only."))
    state = django_filters.MultipleChoiceFilter(label=_("State"),
                                                choices=IndicatorValue.State.choices)
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"),
        help_text=_("Values changed at or after this time (ISO 8601), to sync only what "
                    "changed."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=[("period_end", "period"), ("updated_at", "updated")])
    default_order = ("indicator_id", "-period_end", "unit_id")

    class Meta:
        model = IndicatorValue
        fields: list[str] = []
