"""Every read of indicators and their values beyond get(), scoped to the reader."""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from tasks.facts import facts_of
from tasks.models import Task
from tasks.rules import StatusClass
from tasks.selectors import task_list_visible_to
from units.models import Unit

from .models import Indicator, IndicatorTarget, IndicatorValue


def indicator_list_visible_to(*, user) -> QuerySet[Indicator]:
    """Indicators are the programme's public aims: everyone signed in reads every one."""
    if not user.is_authenticated:
        return Indicator.objects.none()
    return Indicator.objects.all()


def approved_values() -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(state=IndicatorValue.State.APPROVED).order_by(
        "period_end", "id")


def indicator_list_with_series(*, user, national_only: bool = True) -> QuerySet[Indicator]:
    """The indicators the user reads, with what their trend line and track status need: the
    targets and the approved values (national ones only when `national_only`), prefetched in a
    fixed number of queries."""
    values = approved_values()
    if national_only:
        # what a trend line and a track status read, and no more: a list reads thousands
        values = values.filter(unit__isnull=True).only(
            "id", "indicator_id", "unit_id", "period_end", "value", "state")
    return (indicator_list_visible_to(user=user)
            .select_related("resolution", "group", "responsible_unit")
            .prefetch_related(Prefetch("targets", IndicatorTarget.objects.select_related("unit")
                                       .order_by("year", "id")),
                              Prefetch("values", values)))


def indicators_link_ids_read(indicators) -> list[Indicator]:
    """Each indicator with `breakdown_unit_ids` and `task_ids` (in the units' and the tasks' own
    order), read in two queries from the link tables. A page of 100 indicators broken down by 34
    provinces links 3,400 units: as model instances they cost more than the rest of the page."""
    indicators = list(indicators)
    ids = [indicator.pk for indicator in indicators]
    units, tasks = defaultdict(list), defaultdict(list)
    for indicator_id, unit_id in (Indicator.breakdown_units.through.objects
                                  .filter(indicator_id__in=ids)
                                  .order_by("unit__path", "unit_id")
                                  .values_list("indicator_id", "unit_id")):
        units[indicator_id].append(unit_id)
    for indicator_id, task_id in (Indicator.tasks.through.objects.filter(indicator_id__in=ids)
                                  .order_by("task__resolution", "task__sort_key", "task_id")
                                  .values_list("indicator_id", "task_id")):
        tasks[indicator_id].append(task_id)
    for indicator in indicators:
        indicator.breakdown_unit_ids = units[indicator.pk]
        indicator.task_ids = tasks[indicator.pk]
    return indicators


def value_list_visible_to(*, user) -> QuerySet[IndicatorValue]:
    """Approved values for everyone signed in; the others for the reporting unit's scope (the
    unit of a breakdown value, the indicator's responsible unit for the national figure), and
    all for the roles across all units."""
    if not user.is_authenticated:
        return IndicatorValue.objects.none()
    if user.sees_all_units:
        return IndicatorValue.objects.all()
    approved = Q(state=IndicatorValue.State.APPROVED)
    if user.unit_id is None:
        return IndicatorValue.objects.filter(approved)
    path = user.unit.path
    return IndicatorValue.objects.filter(
        approved | Q(unit__isnull=False, unit__path__startswith=path)
        | Q(unit__isnull=True, indicator__responsible_unit__path__startswith=path))


def value_page_queryset(*, user) -> QuerySet[IndicatorValue]:
    return value_list_visible_to(user=user).select_related(
        "indicator__responsible_unit", "indicator__resolution", "unit", "created_by",
        "submitted_by", "decided_by")


def units_user_enters_for(*, user, indicator: Indicator) -> list[Unit | None]:
    """Where the user may enter figures of the indicator: None for the national figure, then
    each unit of the breakdown (in the user's scope). Reads the breakdown units: prefetch them."""
    from .permissions import may_enter_for

    found: list[Unit | None] = []
    if may_enter_for(user, indicator.responsible_unit):
        found.append(None)
    found += [unit for unit in indicator.breakdown_units.all() if may_enter_for(user, unit)]
    return found


def values_in_progress(*, user, indicator: Indicator) -> list[IndicatorValue]:
    """The indicator's values not yet approved that the user may read, newest first."""
    return list(value_list_visible_to(user=user).filter(indicator=indicator)
                .exclude(state=IndicatorValue.State.APPROVED)
                .select_related("unit").order_by("-period_end", "unit__path", "id"))


def contributing_tasks(*, user, indicator: Indicator, on: date) -> list[Task]:
    """The indicator's contributing tasks the user may see, each with `status_class` (its
    status class on `on`, read from the per-task facts, tasks.facts)."""
    tasks = (task_list_visible_to(user=user).filter(indicators=indicator)
             .select_related("resolution", "lead_unit").order_by("resolution_id", "sort_key"))
    tasks = list(tasks)
    status = dict(facts_of(Task.objects.filter(pk__in=[t.pk for t in tasks]), days=[on])
                  .values_list("task_id", "status"))
    for task in tasks:
        task.status_class = StatusClass(status[task.pk]) if task.pk in status else None
    return tasks
