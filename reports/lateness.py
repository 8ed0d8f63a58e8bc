"""Reports not submitted by their period's submission deadline: which (a selector) and their
record (the one service that writes ReportLateness, each write in its history)."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tasks.models import Task
from units.models import Unit

from .compliance import expected_reports
from .models import ProgressReport, ReportingPeriod, ReportLateness


def reports_late(*, period: ReportingPeriod) -> dict[tuple[int, int], object]:
    """{(task_id, unit_id): submitted_at or None} of the expected reports not submitted by the
    end of the period's submission deadline (local time)."""
    submitted = {
        (task_id, unit_id): submitted_at for task_id, unit_id, submitted_at in
        ProgressReport.objects.filter(period=period, submitted_at__isnull=False)
        .values_list("task_id", "unit_id", "submitted_at")
    }
    late = {}
    for task, unit in expected_reports(period=period):
        at = submitted.get((task.pk, unit.pk))
        if at is None or timezone.localtime(at).date() > period.submission_deadline:
            late[(task.pk, unit.pk)] = at
    return late


@transaction.atomic
def report_lateness_record(*, period: ReportingPeriod) -> tuple[list[ReportLateness], int]:
    """Record each expected report of the period not submitted by its deadline (with its
    submission time when it came in late), and fill in the submission time of one recorded
    earlier that has come in since. Returns (the rows recorded now, how many were filled in).

    Safe to run twice (the period is locked meanwhile, and a second run records nothing); a
    fixed number of queries, each write in the rows' history."""
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
    late = reports_late(period=period)
    known = {(row.task_id, row.unit_id): row
             for row in ReportLateness.objects.filter(period=period)}
    new = [ReportLateness(period=period, task_id=task_id, unit_id=unit_id, submitted_at=at)
           for (task_id, unit_id), at in late.items() if (task_id, unit_id) not in known]
    if new:
        new = bulk_create_with_history(
            new, ReportLateness, default_change_reason=_("Recorded late by the nightly job"))
    came_in = [row for pair, row in known.items()
               if row.submitted_at is None and late.get(pair) is not None]
    for row in came_in:
        row.submitted_at = late[(row.task_id, row.unit_id)]
    if came_in:
        bulk_update_with_history(
            came_in, ReportLateness, ["submitted_at"],
            default_change_reason=_("Late submission recorded by the nightly job"))
    return new, len(came_in)


def late_reports_by_unit(*, period: ReportingPeriod,
                         unit_ids: set[int]) -> dict[Unit, list[Task]]:
    """The period's recorded late reports of those units, by unit (in unit, then task order)."""
    late: dict[Unit, list[Task]] = defaultdict(list)
    for row in (ReportLateness.objects.filter(period=period, unit_id__in=unit_ids)
                .select_related("unit", "task").order_by("unit__path", "task__sort_key")):
        late[row.unit].append(row.task)
    return late
