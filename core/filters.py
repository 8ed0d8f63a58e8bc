"""The strict filter types every app's filters use (the API's and the HTML lists').

The API's filters are described in its OpenAPI schema: a value that does not fit (a word where a
number or a yes/no is expected) is refused with 400, never silently ignored.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

from .ids import MAX_ID, IdField


def every_word_in(*fields: str):
    """A filter method: the rows in which every word of the value is found in one of `fields`
    (case-insensitive), so "trạm y tế" finds "Trạm Y tế xã" whatever the order of the words."""

    def method(queryset, name, value):
        for word in value.split():
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    return method


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); blank is "any"; anything else is an error, not "any"."""

    widget = forms.TextInput
    TRUE, FALSE = {"true", "1"}, {"false", "0"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Write true or false."), code="invalid")

    def validate(self, value):
        pass


class SchemaMixin:
    """A filter whose OpenAPI schema is stated (`schema`) rather than guessed, still described by
    its help text (drf-spectacular drops the description of an overridden schema)."""

    schema: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = self.extra.get("help_text") or self.label
        set_override(self, "field",
                     {**self.schema, **({"description": description} if description else {})})


class StrictBooleanFilter(SchemaMixin, django_filters.BooleanFilter):
    field_class = StrictBooleanField
    schema = {"type": "boolean"}


class IdFilter(SchemaMixin, django_filters.NumberFilter):
    """An object's id: a whole number the id columns can hold (core.ids); anything else is the
    filter's error (400 in the API, the form's error in the HTML lists), never a query."""

    field_class = IdField
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, with its offset, taken to UTC (PostgreSQL refuses some offsets Python
    accepts); a time that cannot be (before year 1 in UTC) is an error."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class UpdatedSinceFilter(SchemaMixin, django_filters.IsoDateTimeFilter):
    """Rows changed at or after a time (ISO 8601 with its offset), for systems that sync only
    what changed."""

    field_class = UtcIsoDateTimeField
    schema = {"type": "string", "format": "date-time"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)
