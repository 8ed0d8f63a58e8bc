"""The filters of the task list, shared by the browser's list, the dashboard's links and the API.

Every filter reads the query string, so a filtered view is a URL that can be bookmarked and
shared. The status filters read the annotations of tasks.facts.task_annotate_facts (the stored
facts: the task list, the API) or tasks.selectors.task_annotate_status: filter a queryset that
carries them.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import IdFilter, StrictBooleanFilter, UpdatedSinceFilter, every_word_in
from units.models import Unit

from .cascade import resolution_and_plans_ids
from .models import Output, Resolution, Task, TaskGroup
from .rules import Clarity, StatusClass
from .selectors import task_clarity_conditions, task_not_six_clear_condition, task_unit_condition

#: The `clarity` filter's value for "lacks at least one clarity".
NOT_SIX_CLEAR = "any"


class TaskFilter(django_filters.FilterSet):
    """Resolution, group, units, status class, deadline range, the six clarities, completion
    dates, change time, words; ordering.

    Units are given by id (a ministry's list of units is long: the browser renders its own
    options). `unit` is the task list of a unit as its own staff see it: tasks the unit, a unit
    under it, or a designation they belong to leads or coordinates.
    """

    q = django_filters.CharFilter(
        label=_("Search"), method=every_word_in("code", "title", "title_en"),
        help_text=_("Words of the code or the task's title."))
    resolution = django_filters.ModelChoiceFilter(
        label=_("Resolution"), queryset=Resolution.objects.order_by("-issued_on", "number"),
        empty_label=_("All resolutions"), method="filter_resolution",
    )
    include_plans = django_filters.BooleanFilter(
        label=_("With the plans implementing it"), method="filter_include_plans",
        widget=forms.CheckboxInput,
        help_text=_("With a resolution: its tasks and those of every plan under it."))
    implements = IdFilter(label=_("Implements the task"), field_name="implements_id",
                          help_text=_("Tasks of plans that implement this task (its id)."))
    group = django_filters.ModelChoiceFilter(
        label=_("Task group"),
        queryset=TaskGroup.objects.select_related("resolution").order_by("resolution", "number"),
        empty_label=_("All groups"),
    )
    lead_unit = IdFilter(label=_("Lead unit"), field_name="lead_unit_id",
                         help_text=_("The lead unit's id."))
    lead_unit_name = django_filters.CharFilter(
        label=_("Lead unit name"),
        method=every_word_in("lead_unit__name", "lead_unit__name_en", "lead_unit__short_name",
                             "lead_unit__code"),
        help_text=_("Words of the lead unit's name, short name or code."),
    )
    coordinating_unit = IdFilter(
        label=_("Coordinating unit"), field_name="coordinating_units__id", distinct=True,
        help_text=_("A coordinating unit's id."),
    )
    unit = IdFilter(
        label=_("Unit and the units under it"), method="filter_unit",
        help_text=_("Tasks this unit, or a unit under it, leads or coordinates (its id)."),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), field_name="status_class", choices=StatusClass.choices,
        widget=forms.CheckboxSelectMultiple,
        # A column of the task row itself: no join to repeat rows, so no DISTINCT (which made
        # PostgreSQL sort every filtered row, all columns, before taking a page).
        distinct=False,
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    clarity = django_filters.ChoiceFilter(
        label=_("Lacks a clarity"), method="filter_clarity",
        choices=[(NOT_SIX_CLEAR, _("Any: not six-clear")), *Clarity.choices],
        empty_label=_("Any task"),
        help_text=_("Tasks that lack this one of the six clarities."),
    )
    deadline_from = django_filters.DateFilter(
        label=_("Due from"), field_name="current_due", lookup_expr="gte",
        help_text=_("dd/mm/yyyy; a recurring task counts by the occurrence now due."),
    )
    deadline_to = django_filters.DateFilter(label=_("Due until"), field_name="current_due",
                                            lookup_expr="lte", help_text=_("dd/mm/yyyy"))
    completed_from = django_filters.DateFilter(
        label=_("Completed from"), field_name="completed_on", lookup_expr="gte",
        help_text=_("dd/mm/yyyy; tasks with a one-off, ongoing or unspecified deadline."),
    )
    completed_to = django_filters.DateFilter(label=_("Completed until"),
                                             field_name="completed_on", lookup_expr="lte",
                                             help_text=_("dd/mm/yyyy"))
    updated_since = django_filters.IsoDateTimeFilter(
        label=_("Changed since"), field_name="updated_at", lookup_expr="gte",
        help_text=_("Tasks changed at or after this time (ISO 8601), to sync only what changed."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=[("sort_key", "code"), ("current_due", "deadline"),
                ("lead_unit__name", "lead_unit"), ("status_class", "status"),
                ("updated_at", "updated")],
        field_labels={"sort_key": _("Code"), "current_due": _("Deadline"),
                      "lead_unit__name": _("Lead unit"), "status_class": _("Status"),
                      "updated_at": _("Last changed")},
        empty_label=_("Programme order"),
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_resolution(self, queryset, name, value):
        if not value:
            return queryset
        pk = value if isinstance(value, int) else value.pk
        if self.form.cleaned_data.get("include_plans"):
            return queryset.filter(resolution_id__in=resolution_and_plans_ids(pk))
        return queryset.filter(resolution_id=pk)

    def filter_include_plans(self, queryset, name, value):
        return queryset  # read by filter_resolution

    def filter_unit(self, queryset, name, value):
        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(task_unit_condition(unit=unit))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status_class=StatusClass.OVERDUE)
        return queryset.filter(overdue if value else ~overdue)

    def filter_clarity(self, queryset, name, value):
        if value == NOT_SIX_CLEAR:
            return queryset.filter(task_not_six_clear_condition())
        return queryset.filter(task_clarity_conditions()[Clarity(value)])

    @property
    def qs(self):
        # A stable order whatever was asked, so pages never repeat or skip a task.
        queryset = super().qs
        ordering = list(queryset.query.order_by) or ["resolution__issued_on", "resolution_id",
                                                     "sort_key"]
        return queryset.order_by(*ordering, "pk")


def _changed_since(label):
    return UpdatedSinceFilter(label=_("Changed since"), help_text=label)


class StableOrderMixin:
    """Whatever ordering was asked, the primary key last, so pages never repeat or skip a row."""

    default_order: tuple[str, ...] = ()

    @property
    def qs(self):
        queryset = super().qs
        ordering = list(queryset.query.order_by) or list(self.default_order)
        return queryset.order_by(*ordering, "pk")


class ResolutionFilter(StableOrderMixin, django_filters.FilterSet):
    """Resolutions and programmes: kind, which they implement, tracked or not, words, changes."""

    q = django_filters.CharFilter(
        label=_("Search"), method=every_word_in("number", "title", "title_en"),
        help_text=_("Words of the number or the title."))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Resolution.Kind.choices)
    implements = IdFilter(label=_("Implements"), field_name="implements_id",
                          help_text=_("The id of the resolution implemented."))
    is_tracked = StrictBooleanFilter(label=_("Tasks tracked here"))
    updated_since = _changed_since(_("Resolutions changed at or after this time (ISO 8601)."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=[("issued_on", "issued_on"), ("number", "number"), ("updated_at", "updated")])
    default_order = ("issued_on", "number")

    class Meta:
        model = Resolution
        fields: list[str] = []


class TaskGroupFilter(StableOrderMixin, django_filters.FilterSet):
    resolution = IdFilter(label=_("Resolution"), field_name="resolution_id",
                          help_text=_("The resolution's id."))
    updated_since = _changed_since(_("Groups changed at or after this time (ISO 8601)."))
    default_order = ("resolution_id", "number")

    class Meta:
        model = TaskGroup
        fields: list[str] = []


class OutputFilter(StableOrderMixin, django_filters.FilterSet):
    """Outputs of the tasks in view: by task, kind, issued or not, words, changes."""

    q = django_filters.CharFilter(
        label=_("Search"), method=every_word_in("title", "document_number"),
        help_text=_("Words of the product or the document number."))
    task = IdFilter(label=_("Task"), field_name="task_id", help_text=_("The task's id."))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Output.Kind.choices)
    issued = StrictBooleanFilter(label=_("Issued"), field_name="issued_on",
                                 lookup_expr="isnull", exclude=True,
                                 help_text=_("Whether the document has been issued."))
    updated_since = _changed_since(_("Outputs changed at or after this time (ISO 8601)."))
    ordering = django_filters.OrderingFilter(
        label=_("Order by"), fields=[("position", "position"), ("updated_at", "updated")])
    default_order = ("task_id", "position")

    class Meta:
        model = Output
        fields: list[str] = []


class TaskApiFilter(TaskFilter):
    """TaskFilter for the API: the same filters, with the strict types the API's schema states
    (ids are whole numbers and an unknown id finds nothing; yes/no is true or false)."""

    resolution = IdFilter(label=_("Resolution"), method="filter_resolution",
                          help_text=_("The resolution's id."))
    include_plans = StrictBooleanFilter(
        label=_("With the plans implementing it"), method="filter_include_plans",
        help_text=_("With a resolution: its tasks and those of every plan under it."))
    group = IdFilter(label=_("Task group"), field_name="group_id", help_text=_("The group's id."))
    overdue = StrictBooleanFilter(label=_("Overdue"), method="filter_overdue")
    deadline_from = django_filters.DateFilter(
        label=_("Due from"), field_name="current_due", lookup_expr="gte",
        help_text=_("YYYY-MM-DD; a recurring task counts by the occurrence now due."))
    deadline_to = django_filters.DateFilter(label=_("Due until"), field_name="current_due",
                                            lookup_expr="lte", help_text=_("YYYY-MM-DD"))
    updated_since = UpdatedSinceFilter(
        label=_("Changed since"),
        help_text=_("Tasks changed at or after this time (ISO 8601), to sync only what changed."))

    class Meta(TaskFilter.Meta):
        pass
