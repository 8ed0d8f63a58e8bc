"""Filters of the units list (API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, StrictBooleanFilter, UpdatedSinceFilter, every_word_in

from .models import Unit


class UnitFilter(django_filters.FilterSet):
    """Units: words, kind, parent, the subtree under a unit, active or not, changes."""

    q = django_filters.CharFilter(
        label=_("Search"), method=every_word_in("code", "name", "name_en", "short_name"),
        help_text=_("Words of the code or the name."))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Unit.Kind.choices)
    parent = IdFilter(label=_("Parent unit"), field_name="parent_id",
                      help_text=_("Units directly under this unit (its id)."))
    under = IdFilter(label=_("Under"), method="filter_under",
                     help_text=_("This unit and every unit under it (its id)."))
    is_active = StrictBooleanFilter(label=_("Active"))
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"), help_text=_("Units changed at or after this time (ISO 8601)."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=[("path", "tree"), ("code", "code"), ("name", "name"), ("updated_at", "updated")])

    class Meta:
        model = Unit
        fields: list[str] = []


    def filter_under(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).only("path").first()
        return queryset.under(unit) if unit is not None else queryset.none()

    @property
    def qs(self):
        queryset = super().qs
        return queryset.order_by(*(list(queryset.query.order_by) or ["path"]), "pk")
