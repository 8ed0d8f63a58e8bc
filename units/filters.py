"""Filters of the units list (API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, StrictBooleanFilter, UpdatedSinceFilter

from .models import Unit, UnitAlias

_NAMES = ("code", "name", "name_en", "short_name")


def _words_in_names_or_aliases(queryset, name, value):
    """Every word in the unit's code or names, or in one of its aliases (former names too)."""
    for word in value.split():
        condition = Q(pk__in=UnitAlias.objects.filter(text__icontains=word).values("unit_id"))
        for field in _NAMES:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


class UnitFilter(django_filters.FilterSet):
    """Units: words, kind, parent, the subtree under a unit, active or not, existing on a date,
    changes."""

    q = django_filters.CharFilter(
        label=_("Search"), method=_words_in_names_or_aliases,
        help_text=_("Words of the code, the name or another name (a former name too)."))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Unit.Kind.choices)
    parent = IdFilter(label=_("Parent unit"), field_name="parent_id",
                      help_text=_("Units directly under this unit (its id)."))
    under = IdFilter(label=_("Under"), method="filter_under",
                     help_text=_("This unit and every unit under it (its id)."))
    is_active = StrictBooleanFilter(label=_("Active"))
    on = django_filters.DateFilter(
        label=_("Existing on"), method="filter_on", input_formats=["%Y-%m-%d"],
        help_text=_("Only the units that exist on this date (YYYY-MM-DD): from their start, "
                    "up to but not including the day they ended."))
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"), help_text=_("Units changed at or after this time (ISO 8601)."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=[("path", "tree"), ("code", "code"), ("name", "name"), ("updated_at", "updated")])

    class Meta:
        model = Unit
        fields: list[str] = []


    def filter_on(self, queryset, name, value):
        return queryset.existing_on(value)

    def filter_under(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).only("path").first()
        return queryset.under(unit) if unit is not None else queryset.none()

    @property
    def qs(self):
        queryset = super().qs
        return queryset.order_by(*(list(queryset.query.order_by) or ["path"]), "pk")
