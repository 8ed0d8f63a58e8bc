"""Who the reporting jobs tell, and where their notifications link to (selectors: they never
write). The jobs loop over these and over the services; they decide nothing themselves."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from tasks.models import Task
from units.models import Unit, User

from .compliance import expected_reports
from .models import ProgressReport, ReportingPeriod
from .periods import period_key_for
from .selectors import TO_SUBMIT


def report_url(*, task_id: int, unit_id: int, period: ReportingPeriod) -> str:
    return reverse("report", args=[task_id, unit_id, period.year, period.month])


def reports_missing_by_unit(*, period: ReportingPeriod) -> dict[Unit, list[tuple[Task, str]]]:
    """The expected reports of the period still to be submitted (no report, a draft, or returned),
    by unit: {unit: [(task, state), ...]}, the state being "not_started" when there is none."""
    states = {(task_id, unit_id): state for task_id, unit_id, state in
              ProgressReport.objects.filter(period=period)
              .values_list("task_id", "unit_id", "state")}
    missing: dict[Unit, list] = defaultdict(list)
    for task, unit in expected_reports(period=period):
        state = states.get((task.pk, unit.pk), TO_SUBMIT[0])
        if state in TO_SUBMIT:
            missing[unit].append((task, state))
    return missing


def missing_reports_link(*, period: ReportingPeriod, unit: Unit, rows: list[tuple[Task, str]],
                         on: date) -> str:
    """Where a reminder of the unit's missing reports leads: the one report; else home, filtered
    on reports not started when they all are and home lists that period (the one containing
    `on`: its filter only helps for it)."""
    if len(rows) == 1:
        return report_url(task_id=rows[0][0].pk, unit_id=unit.pk, period=period)
    home_period = period_key_for(on, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    if (home_period == (period.year, period.month)
            and all(state == TO_SUBMIT[0] for _task, state in rows)):
        return reverse("home") + "?state=not_started"
    return reverse("home")


def late_reports_link(*, period: ReportingPeriod, unit: Unit, tasks: list[Task]) -> str:
    """Where the notice of a unit's late reports leads: the one report, else home."""
    if len(tasks) == 1:
        return report_url(task_id=tasks[0].pk, unit_id=unit.pk, period=period)
    return reverse("home")


def monthly_report_recipients() -> QuerySet[User]:
    """Who is told that a monthly report's figures are ready: the programme secretariat."""
    return User.objects.filter(role=User.Role.SECRETARIAT, is_active=True)
