from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from tasks.models import Task
from tasks.selectors import task_list_for_unit
from units.models import Unit
from units.selectors import designations_read, units_expected_to_report

from .models import MonthlyReportData, ProgressReport, ReportingPeriod

#: States in which a report still has to be (re)submitted by its unit.
TO_SUBMIT = ("not_started", ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)


def _period_reports(period: ReportingPeriod) -> QuerySet[ProgressReport]:
    # A period not stored yet (see reports.periods.period_for_date) has no reports.
    if period.pk is None:
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(period=period)


def _scope_reports(*, user, period: ReportingPeriod) -> QuerySet[ProgressReport]:
    reports = _period_reports(period)
    if user.unit_id:
        return reports.filter(unit__path__startswith=user.unit.path)
    return reports.none()


def _tasks_of_unit(user) -> QuerySet[Task]:
    return task_list_for_unit(unit=user.unit) if user.unit_id else Task.objects.none()


def _period_state(reports: QuerySet[ProgressReport]) -> Subquery:
    """The state of the task's report among `reports` by the unit first in tree order."""
    return Subquery(reports.filter(task=OuterRef("pk")).order_by("unit__path")
                    .values("state")[:1])


def my_tasks_for_period(*, user, period: ReportingPeriod, group=None,
                        state: str = "") -> QuerySet[Task]:
    """The tasks the user's unit (or a unit under it) leads or coordinates, each with
    `period_state` (the state of this period's report by the user's unit or a unit under it;
    None when there is none) and `period_reports`; once read, `tasks_units_read` reads what
    `bodies_in_scope` needs of their units. A role across all units reads the whole
    programme on the dashboard and the task list: here too only its own unit's tasks, so the
    page never grows with the programme.

    A fixed number of queries, whatever the number of rows; filters run in the database.
    """
    reports = _scope_reports(user=user, period=period)
    tasks = (
        _tasks_of_unit(user)
        .annotate(period_state=_period_state(reports))
        .select_related("group", "lead_unit", "resolution")
        .prefetch_related(
            "occurrence_completions", "coordinating_units",
            Prefetch("progress_reports", queryset=reports.select_related("unit"),
                     to_attr="period_reports"),
        )
        .order_by("resolution__issued_on", "resolution__number", "sort_key")
    )
    if group is not None:
        tasks = tasks.filter(group=group)
    if period.pk is None:  # not stored yet: no report yet, every task "not started"
        return tasks.none() if state and state != "not_started" else tasks
    if state == "not_started":
        tasks = tasks.filter(period_state__isnull=True)
    elif state:
        tasks = tasks.filter(period_state=state)
    return tasks


def expects_report(task: Task, period: ReportingPeriod) -> bool:
    """Whether the task is still reported on in the period: not when it was completed (a one-off,
    ongoing or unspecified task) before the period began."""
    return not (task.completed_on and task.completed_on < period.starts_on)


def tasks_units_read(tasks) -> list[Task]:
    """The tasks (read now, if not yet), with the members of their designations read
    (units.selectors.designations_read) for bodies_in_scope: one query at most."""
    tasks = list(tasks)
    designations_read([unit for task in tasks
                       for unit in (task.lead_unit, *task.coordinating_units.all())])
    return tasks


def bodies_in_scope(*, user, task: Task) -> list[Unit]:
    """The units under the user that report on the task (lead first, then coordinating).

    Reads the prefetched lead and coordinating units (and their members: tasks_units_read)."""
    if not user.unit_id:
        return []
    bodies = units_expected_to_report(units=[task.lead_unit, *task.coordinating_units.all()])
    return [body for body in bodies if body.path.startswith(user.unit.path)]


def report_for(*, task: Task, unit: Unit, period: ReportingPeriod) -> ProgressReport | None:
    # One report at most (unique per task, unit and period): no ordering, which would join the
    # period, the task and the unit only to sort one row.
    return (_period_reports(period).filter(task=task, unit=unit)
            .select_related("submitted_by", "decided_by", "created_by")
            .prefetch_related("evidence", "output_progress__output").order_by().first())


def report_previous(*, task: Task, unit: Unit, period: ReportingPeriod) -> ProgressReport | None:
    """The unit's latest report on the task before this period (to start the new one from)."""
    return (ProgressReport.objects.filter(task=task, unit=unit,
                                          period__starts_on__lt=period.starts_on)
            .select_related("period").prefetch_related("output_progress")
            .order_by("-period__starts_on").first())


def reports_beside(*, task: Task, period: ReportingPeriod, unit: Unit) -> list[ProgressReport]:
    """The other units' reports on the task for the period (what the lead reads beside its own)."""
    return list(_period_reports(period).filter(task=task).exclude(unit=unit)
                .select_related("unit").order_by("unit__path"))


def task_reports(*, task: Task) -> list[ProgressReport]:
    """Every period's reports on the task, newest period first."""
    return list(task.progress_reports.select_related("unit", "period")
                .order_by("-period__starts_on", "unit__path"))


def task_report_history(*, task: Task, limit: int = 50) -> list:
    """The workflow steps of the task's reports (who, when, what), newest first."""
    return list(
        ProgressReport.history.filter(task_id=task.pk).exclude(history_change_reason="")
        .exclude(history_change_reason__isnull=True)
        .select_related("history_user", "unit", "period").order_by("-history_date")[:limit]
    )


def report_history(*, report: ProgressReport) -> list:
    return list(report.history.exclude(history_change_reason="")
                .exclude(history_change_reason__isnull=True)
                .select_related("history_user").order_by("-history_date"))


def count_to_submit(*, user, period: ReportingPeriod) -> int:
    """How many of the user's tasks still have no submitted report from the user's units this
    period (no report yet, a draft, or a report returned for correction)."""
    if not user.unit_id:
        return 0
    # my_tasks_for_period's rule, counted on the task rows alone (the navigation asks it on
    # every page a reporter opens): the state an alias, not a column to wrap the count around.
    tasks = _tasks_of_unit(user).exclude(completed_on__lt=period.starts_on)  # expects_report
    if period.pk is None:  # not stored yet, so no report yet (and no subquery to filter on)
        return tasks.count()
    return (tasks.alias(period_state=_period_state(_scope_reports(user=user, period=period)))
            .filter(Q(period_state__isnull=True) | Q(period_state__in=TO_SUBMIT[1:])).count())


def count_to_submit_of(tasks: list[Task], period: ReportingPeriod) -> int:
    """count_to_submit of the user's tasks of the period already read, unfiltered
    (my_tasks_for_period): the same rule counted on the rows instead of asked again."""
    return sum(1 for task in tasks if expects_report(task, period)
               and (task.period_state is None or task.period_state in TO_SUBMIT[1:]))


def report_list_visible_to(*, user) -> QuerySet[ProgressReport]:
    """The reports the user may read, exactly those reports.permissions.can_view_report allows:
    every report for roles across all units; otherwise the reports of the user's unit and the
    units under it, and the reports on tasks whose lead (the lead unit, or a member of a
    collective lead) is in that scope, so a lead reads its coordinating units' inputs."""
    if user.sees_all_units:
        return ProgressReport.objects.all()
    if not user.unit_id:
        return ProgressReport.objects.none()
    path = user.unit.path
    member_in_scope = Unit.members.through.objects.filter(
        from_unit_id=OuterRef("task__lead_unit_id"), to_unit__path__startswith=path)
    return ProgressReport.objects.filter(
        Q(unit__path__startswith=path)
        | Q(task__lead_unit__path__startswith=path) & ~Q(task__lead_unit__kind=Unit.Kind.COLLECTIVE)
        | Q(task__lead_unit__kind=Unit.Kind.COLLECTIVE) & Exists(member_in_scope)
    )


def monthly_report_period_due(*, on) -> ReportingPeriod | None:
    """The period whose monthly report figures the scheduled job builds on `on`: the latest one
    whose submission deadline has passed, unless the job built them already (a draft the
    secretariat prepared by hand earlier does not count: the job's own run, after the deadline,
    is the one that matters)."""
    period = (ReportingPeriod.objects.filter(submission_deadline__lt=on)
              .order_by("-submission_deadline").first())
    if period is None or MonthlyReportData.objects.filter(period=period,
                                                         generated_by_job=True).exists():
        return None
    return period
