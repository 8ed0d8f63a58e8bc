"""Filters of the reports app's lists (the API's progress reports, periods, monthly reports)."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, SchemaMixin, UpdatedSinceFilter, every_word_in
from tasks.filters import StableOrderMixin

from .models import IssuedMonthlyReport, ProgressReport, ReportingPeriod

PERIOD_KEY = r"^\d{4}-(0[1-9]|1[0-2])$"


class PeriodKeyFilter(SchemaMixin, django_filters.CharFilter):
    """A reporting period as YYYY-MM."""

    schema = {"type": "string", "pattern": PERIOD_KEY, "example": "2025-11"}

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("validators", []).append(
            RegexValidator(PERIOD_KEY, _("Write the period as YYYY-MM."), code="invalid"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(**{f"{self.prefix}year": year, f"{self.prefix}month": month})


class ProgressReportFilter(StableOrderMixin, django_filters.FilterSet):
    """Reports by task, unit, period, state, progress status, words of the task, changes."""

    q = django_filters.CharFilter(
        label=_("Search"), method=every_word_in("task__code", "task__title", "task__title_en"),
        help_text=_("Words of the task's code or title."))
    task = IdFilter(label=_("Task"), field_name="task_id", help_text=_("The task's id."))
    unit = IdFilter(label=_("Reporting unit"), field_name="unit_id",
                    help_text=_("The reporting unit's id."))
    under = IdFilter(label=_("Unit and the units under it"), method="filter_under",
                     help_text=_("Reports of this unit and the units under it (its id)."))
    period = PeriodKeyFilter(label=_("Period"), prefix="period__",
                             help_text=_("The reporting period, YYYY-MM."))
    state = django_filters.MultipleChoiceFilter(label=_("State"),
                                                choices=ProgressReport.State.choices)
    progress_status = django_filters.MultipleChoiceFilter(
        label=_("Progress status"), choices=ProgressReport.ProgressStatus.choices)
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"),
        help_text=_("Reports changed at or after this time (ISO 8601), to sync only what "
                    "changed."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=[("period__starts_on", "period"), ("task__sort_key", "task"),
                ("unit__path", "unit"), ("updated_at", "updated")])
    default_order = ("-period__starts_on", "task__sort_key", "unit__path")

    class Meta:
        model = ProgressReport
        fields: list[str] = []

    def filter_under(self, queryset, name, value):
        from units.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


class ReportingPeriodFilter(StableOrderMixin, django_filters.FilterSet):
    year = IdFilter(label=_("Year"), field_name="year", help_text=_("e.g. 2025"))
    default_order = ("-year", "-month")

    class Meta:
        model = ReportingPeriod
        fields: list[str] = []


class IssuedMonthlyReportFilter(StableOrderMixin, django_filters.FilterSet):
    period = PeriodKeyFilter(label=_("Period"), prefix="period__",
                             help_text=_("The reporting period, YYYY-MM."))
    version = IdFilter(label=_("Version"), field_name="version",
                       help_text=_("The issue's version (1, then each re-issue)."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=[("issued_at", "issued_at"), ("version", "version")])
    default_order = ("-period__year", "-period__month", "-version")

    class Meta:
        model = IssuedMonthlyReport
        fields: list[str] = []
