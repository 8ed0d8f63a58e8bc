"""Reporting compliance of a period, computed by the database for any number of tasks: the one
implementation, used by the dashboard, the monthly report and the jobs (portable SQL:
PostgreSQL and SQLite alike).

The expected reports (tasks of tracked resolutions issued by the cut-off and not completed
before the period began; the lead and coordinating units, a collective designation standing for
its active members, each body once per task), received (submitted by the end of the day asked
for, local time) and received on time (by the end of the submission deadline). Counted here for
the tasks of any filtered queryset, in one statement, per reporting unit and per lead unit.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from tasks.models import Task
from units.selectors import UNIT_BODIES_ON_SQL

from ..models import ReportingPeriod
from .expecting import counts_row, expecting_tasks
from .sql import compose, fetch_dicts

_EXPECTED = """
WITH ft AS MATERIALIZED ({tasks}),
named AS (
    -- the units each task names: its lead, and its coordinating units
    SELECT id AS task_id, lead_unit_id, lead_unit_id AS unit_id, 1 AS lead FROM ft
    UNION ALL
    SELECT ft.id, ft.lead_unit_id, c.unit_id, 0
    FROM ft JOIN tasks_task_coordinating_units c ON c.task_id = ft.id
),
bodies AS (
    -- a collective designation stands for its members; only active units report; a body
    -- named twice on a task reports once (as lead if it leads)
    SELECT n.task_id, n.lead_unit_id, b.id AS unit_id, MAX(n.lead) AS lead
    FROM named n
    JOIN (""" + UNIT_BODIES_ON_SQL + """) ub ON ub.unit_id = n.unit_id
    JOIN units_unit b ON b.id = ub.body_id
    WHERE b.is_active AND b.path LIKE %(scope)s
    GROUP BY n.task_id, n.lead_unit_id, b.id
),
marked AS (
    -- received: submitted by the end of the day asked for; on time: also by the end of the
    -- submission deadline (both local time, as bounds on the stored instant)
    SELECT b.*, r.submitted_at,
           CASE WHEN r.submitted_at < %(received_by)s THEN 1 ELSE 0 END AS received,
           CASE WHEN r.submitted_at < %(received_by)s AND r.submitted_at < %(on_time_by)s
                THEN 1 ELSE 0 END AS on_time
    FROM bodies b
    LEFT JOIN reports_progressreport r
        ON r.period_id = %(period)s AND r.task_id = b.task_id AND r.unit_id = b.unit_id
)
"""

#: In total, per reporting unit, and the leads' own missing reports per lead unit: one
#: statement (three groupings joined, so that any database runs it).
_COUNTS = """
SELECT 'total' AS part, NULL AS unit_id, COUNT(*) AS expected, COALESCE(SUM(received), 0)
       AS received, COALESCE(SUM(on_time), 0) AS on_time, 0 AS lead_missing FROM marked
UNION ALL
SELECT 'unit', unit_id, COUNT(*), SUM(received), SUM(on_time), 0 FROM marked GROUP BY unit_id
UNION ALL
SELECT 'lead', lead_unit_id, 0, 0, 0, SUM(CASE WHEN lead = 1 AND received = 0 THEN 1 ELSE 0 END)
FROM marked GROUP BY lead_unit_id
"""

_LISTING = """
SELECT task_id, unit_id, lead, submitted_at, COUNT(*) OVER () AS total
FROM marked m JOIN tasks_task t ON t.id = m.task_id JOIN units_unit u ON u.id = m.unit_id
WHERE {where}
ORDER BY t.resolution_id, t.sort_key, m.task_id, u.path
LIMIT %(limit)s OFFSET %(offset)s
"""

#: Which of the period's expected reports a list shows.
RECEIVED = {"no": "received = 0", "yes": "received = 1", "on_time": "on_time = 1",
            "any": "1 = 1"}


def _end_of(day: date):
    """The first instant after the local day, as the database compares stored instants."""
    instant = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return connection.ops.adapt_datetimefield_value(instant)


def _values(*, period: ReportingPeriod, on: date, scope_path: str) -> dict:
    return {"period": period.pk, "received_by": _end_of(on),
            "on_time_by": _end_of(period.submission_deadline), "bodies_on": period.ends_on,
            "scope": f"{scope_path}%"}


def compliance_counts(tasks: QuerySet[Task], *, period: ReportingPeriod, on: date,
                      scope_path: str = "/") -> dict:
    """Compliance of the period as of `on`, for the tasks of `tasks`, counting only reporting
    units whose path starts with `scope_path` (a unit leader's subtree; "/" for all).

    Returns {"total": row, "units": {unit id: row}, "lead_missing": {lead unit id: n}}; a row
    is {"expected", "received", "on_time", "missing", "received_rate", "on_time_rate"}. One
    query.
    """
    if tasks.query.is_empty():
        return {"total": counts_row(0, 0, 0), "units": {}, "lead_missing": {}}
    sql, params = compose(_EXPECTED + _COUNTS,
                          querysets={"tasks": expecting_tasks(tasks, period=period)},
                          values=_values(period=period, on=on, scope_path=scope_path))
    result = {"total": counts_row(0, 0, 0), "units": {}, "lead_missing": {}}
    for row in fetch_dicts(sql, params):
        counted = counts_row(row["expected"], row["received"], row["on_time"])
        if row["part"] == "unit":
            result["units"][row["unit_id"]] = counted
        elif row["part"] == "lead":
            result["lead_missing"][row["unit_id"]] = row["lead_missing"]
        else:
            result["total"] = counted
    return result


def expected_reports_list(tasks: QuerySet[Task], *, period: ReportingPeriod, on: date,
                          scope_path: str = "/", unit_id: int | None = None,
                          lead_only: bool = False, received: str = "no", limit: int | None = 50,
                          offset: int = 0) -> tuple[int, list[tuple]]:
    """The period's expected reports for the tasks of `tasks`, as of `on`: `received` "no"
    (not received), "yes" (received), "on_time" (received on time) or "any" (all expected).
    Returns (how many in all, a page of (task id, unit id, reports as lead, day submitted or
    None) in programme order); `unit_id` keeps one reporting unit's, `lead_only` the leads'."""
    if tasks.query.is_empty():
        return 0, []
    where = RECEIVED[received]
    values = _values(period=period, on=on, scope_path=scope_path)
    if unit_id is not None:
        where += " AND m.unit_id = %(unit)s"
        values["unit"] = unit_id
    if lead_only:
        where += " AND m.lead = 1"
    values.update(limit=2 ** 62 if limit is None else limit, offset=offset)
    sql, params = compose(_EXPECTED + _LISTING.replace("{where}", where),
                          querysets={"tasks": expecting_tasks(tasks, period=period)},
                          values=values)
    rows = fetch_dicts(sql, params)
    if not rows and offset:
        return expected_reports_list(tasks, period=period, on=on, scope_path=scope_path,
                                     unit_id=unit_id, lead_only=lead_only, received=received,
                                     limit=1)[0], []
    total = rows[0]["total"] if rows else 0
    return total, [(row["task_id"], row["unit_id"], bool(row["lead"]),
                    _day_received(row["submitted_at"], on=on)) for row in rows]


def _day_received(submitted_at, *, on: date) -> date | None:
    """The local day a report was submitted, if by `on` (SQLite gives the stored text)."""
    if submitted_at is None:
        return None
    if isinstance(submitted_at, str):
        submitted_at = datetime.fromisoformat(submitted_at)
    if timezone.is_naive(submitted_at):  # SQLite's raw rows: stored in UTC, without a zone
        submitted_at = submitted_at.replace(tzinfo=UTC)
    day = timezone.localtime(submitted_at).date()
    return day if day <= on else None


def missing_reports(tasks: QuerySet[Task], **options) -> tuple[int, list[tuple[int, int, bool]]]:
    """The expected reports of the period not received by `on`: (how many, a page of (task id,
    unit id, reports as lead)); the options of expected_reports_list."""
    total, rows = expected_reports_list(tasks, received="no", **options)
    return total, [(task_id, unit_id, lead) for task_id, unit_id, lead, _day in rows]
