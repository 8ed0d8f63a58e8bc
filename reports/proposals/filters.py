"""Filters of the register, shared by its page and the API."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import (
    IdFilter,
    SchemaMixin,
    StrictBooleanFilter,
    UpdatedSinceFilter,
    every_word_in,
)
from tasks.filters import StableOrderMixin

from ..models import Proposal
from .selectors import overdue_q


class DaysFilter(SchemaMixin, django_filters.Filter):
    """A whole number of days (not a NumberFilter: those are ids, core.ids)."""

    field_class = forms.IntegerField
    schema = {"type": "integer", "minimum": 0, "maximum": 36500}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 36500)
        super().__init__(*args, **kwargs)


class ProposalFilter(StableOrderMixin, django_filters.FilterSet):
    """Items by state, kind, addressee, raising unit, programme, task, age, overdue, changes."""

    q = django_filters.CharFilter(label=_("Search"), method=every_word_in(
        "text", "authority_name", "report__task__code"), help_text=_(
        "Words of the item's text, the authority's name or the task's code."))
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=Proposal.State.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Proposal.Kind.choices)
    addressee_kind = django_filters.ChoiceFilter(
        label=_("Addressed to"), choices=[("none", _("No one yet")),
                                          *Proposal.AddresseeKind.choices],
        method="filter_addressee_kind")
    addressee_unit = IdFilter(label=_("Addressee unit"), field_name="addressee_unit_id",
                              help_text=_("The id of the unit the items are addressed to."))
    authority = django_filters.ChoiceFilter(label=_("Authority"),
                                            choices=Proposal.Authority.choices)
    unit = IdFilter(label=_("Raised by"), field_name="report__unit_id",
                    help_text=_("The id of the unit that raised the items."))
    resolution = IdFilter(label=_("Programme"), field_name="report__task__resolution_id",
                          help_text=_("The id of the resolution or plan of the task."))
    task = IdFilter(label=_("Task"), field_name="report__task_id",
                    help_text=_("The task's id."))
    older_than = DaysFilter(label=_("Older than (days)"), method="filter_older_than",
                            help_text=_("Received more than this many days ago."))
    overdue = StrictBooleanFilter(label=_("Answer overdue"), method="filter_overdue",
                                  help_text=_("true: still open after the days set for an "
                                              "answer; false: the others."))
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"),
        help_text=_("Items changed at or after this time (ISO 8601), to sync only what "
                    "changed."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=[("received_at", "received"), ("updated_at", "updated")])
    default_order = ("received_at",)

    class Meta:
        model = Proposal
        fields: list[str] = []

    def filter_addressee_kind(self, queryset, name, value):
        return queryset.filter(addressee_kind="" if value == "none" else value)

    def filter_older_than(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(received_at__lt=timezone.now() - timedelta(days=int(value)))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
