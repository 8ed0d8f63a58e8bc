"""What both ways of computing compliance share: which tasks expect reports in a period, and
how a unit's counts are shown."""

from django.db.models import Q, QuerySet

from tasks.models import Task

from ..models import ReportingPeriod
from ..rates import rate


def expecting_tasks(tasks: QuerySet[Task], *, period: ReportingPeriod) -> QuerySet:
    """(id, lead_unit_id) of the tasks of `tasks` expected to report in the period: of a
    tracked resolution issued by its cut-off, not completed before it began (the rules of
    reports.compliance.expected_reports and selectors.expects_report)."""
    return (tasks.filter(Q(resolution__issued_on__isnull=True)
                         | Q(resolution__issued_on__lte=period.ends_on),
                         resolution__is_tracked=True)
            .exclude(completed_on__lt=period.starts_on)
            .order_by().values("id", "lead_unit_id"))


def counts_row(expected: int, received: int, on_time: int) -> dict:
    return {"expected": expected, "received": received, "on_time": on_time,
            "missing": expected - received, "received_rate": rate(received, expected),
            "on_time_rate": rate(on_time, expected)}
