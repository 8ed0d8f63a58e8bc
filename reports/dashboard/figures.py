"""Every figure of the dashboard that counts tasks, in one statement.

The filtered tasks are classified once (status class on the day asked for and on the previous
period's cut-off, current and missed due dates, the six clarities, the at-risk forecast) in a
materialised CTE; one GROUPING SETS query then counts them in total, per task group, per lead
unit, per group and month of the due date, and per month of completion, and a second branch of
the same statement picks the few tasks the page lists (longest overdue, due soonest, most at
risk, not six-clear). One round trip, whatever the number of tasks.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from tasks.deadlines import ONE_OFF_KINDS
from tasks.models import Task
from tasks.rules import Clarity, StatusClass
from tasks.selectors import (
    task_annotate_clarity_gaps,
    task_annotate_status,
    task_status_expression,
)

from . import plain
from .risk import CANDIDATES_CTE, RISK_CTES, forecast_annotations, risk_params, risk_periods
from .sql import compose, fetch_dicts

STATUSES = [status.value for status in StatusClass]
CLARITIES = [clarity.value for clarity in Clarity]
#: Counts on the day asked for, on the previous cut-off, and the rest of each row.
_COUNTS = ",\n".join(
    [f"COUNT(*) FILTER (WHERE status_class = '{s}') AS now_{s}" for s in STATUSES]
    + [f"COUNT(*) FILTER (WHERE status_before = '{s}') AS before_{s}" for s in STATUSES]
    + [f"COUNT(*) FILTER (WHERE lacks_{c}) AS lacks_{c}" for c in CLARITIES]
)
_NOT_CLEAR = " OR ".join(f"lacks_{c}" for c in CLARITIES)

#: The grouping sets, by what they count.
SETS = {
    "total": "()",
    "group": "(group_id)",
    "unit": "(lead_unit_id)",
    "timeline": "(group_id, due_month)",
    "trend": "(done_month)",
}

_CLASSIFIED = CANDIDATES_CTE + RISK_CTES + """,
classified AS (
    SELECT t.*, risk.projected, risk.latest, (risk.id IS NOT NULL) AS forecast,
        CASE WHEN t.current_due BETWEEN %(window_start)s AND %(window_end)s
             THEN date_trunc('month', t.current_due)::date END AS due_month,
        CASE WHEN t.completed_on BETWEEN %(trend_start)s AND %(on)s
             THEN date_trunc('month', t.completed_on)::date END AS done_month,
        (""" + _NOT_CLEAR + """) AS not_clear,
        -- the due date an overdue task missed: a one-off deadline, or the occurrence before
        -- the current one (tasks.selectors' missed_due, without classifying twice)
        CASE WHEN t.status_class <> 'overdue' THEN NULL
             WHEN t.deadline_kind = ANY(%(one_off)s) THEN t.current_due
             ELSE (date_trunc('month', t.current_due)
                   - CASE t.deadline_kind WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3
                                          ELSE 12 END * INTERVAL '1 month'
                   + INTERVAL '1 month' - INTERVAL '1 day')::date
        END AS missed_due
    FROM t LEFT JOIN risk ON risk.id = t.id
)
"""

_COUNTING = """
SELECT 'counts' AS part, {dimensions},
    COUNT(*) AS total,
    """ + _COUNTS + """,
    COUNT(*) FILTER (WHERE projected < 100) AS at_risk,
    COUNT(*) FILTER (WHERE forecast AND projected IS NULL) AS no_trend,
    COUNT(*) FILTER (WHERE not_clear) AS not_clear,
    COUNT(*) FILTER (WHERE status_class = 'in_progress'
                     AND current_due BETWEEN %(on)s AND %(on_30)s) AS due_30,
    COUNT(*) FILTER (WHERE status_class = 'in_progress'
                     AND current_due BETWEEN %(on)s AND %(on_60)s) AS due_60,
    COUNT(*) FILTER (WHERE status_class = 'in_progress'
                     AND current_due BETWEEN %(on)s AND %(on_90)s) AS due_90,
    COUNT(*) FILTER (WHERE completed_on < %(trend_start)s) AS done_before_trend,
    NULL::bigint[] AS overdue_ids, NULL::bigint[] AS upcoming_ids,
    NULL::bigint[] AS risk_ids, NULL::float[] AS risk_projected,
    NULL::float[] AS risk_latest, NULL::bigint[] AS unclear_ids
FROM classified
GROUP BY GROUPING SETS ({sets})
"""

_LISTING = """
UNION ALL
SELECT 'lists', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    """ + ", ".join(["NULL"] * (len(STATUSES) * 2 + len(CLARITIES) + 8)) + """,
    (ARRAY_AGG(id ORDER BY missed_due, resolution_id, sort_key, id)
        FILTER (WHERE status_class = 'overdue'))[1:%(list_size)s],
    (ARRAY_AGG(id ORDER BY current_due, resolution_id, sort_key, id)
        FILTER (WHERE status_class = 'in_progress'
                AND current_due BETWEEN %(on)s AND %(on_90)s))[1:%(list_size)s],
    (ARRAY_AGG(id ORDER BY projected, current_due, id)
        FILTER (WHERE projected < 100))[1:%(list_size)s],
    (ARRAY_AGG(projected ORDER BY projected, current_due, id)
        FILTER (WHERE projected < 100))[1:%(list_size)s],
    (ARRAY_AGG(latest ORDER BY projected, current_due, id)
        FILTER (WHERE projected < 100))[1:%(list_size)s],
    (ARRAY_AGG(id ORDER BY resolution_id, sort_key, id)
        FILTER (WHERE not_clear))[1:%(list_size)s]
FROM classified
"""


@dataclass(frozen=True)
class Window:
    """The dates the figures are computed for."""

    on: date
    before: date  # the previous period's cut-off ("change since the last period")
    timeline_start: date
    timeline_end: date
    trend_start: date


def with_status(tasks: QuerySet[Task], *, on: date, classified: bool = False) -> QuerySet[Task]:
    """The tasks of `tasks` with task_annotate_status's columns on `on`.

    `classified` says the queryset already carries them, computed on `on` (the dashboard
    filters a queryset annotated so): they are used as they are. A queryset annotated for some
    other purpose is classified afresh by id; a plain one is annotated directly, its filters
    staying inline.
    """
    if "status_class" in tasks.query.annotations:
        if classified:
            return tasks
        tasks = Task.objects.filter(pk__in=tasks.order_by().values("pk"))
    return task_annotate_status(tasks, on=on)


def classified_tasks(tasks: QuerySet[Task], *, on: date, before: date,
                     classified: bool = False) -> QuerySet:
    """The columns the figures read, for the tasks of `tasks` (any filtered task queryset; see
    `with_status` for `classified`): status class on `on` and on `before`, the due date now,
    the six clarities, and what the forecast needs."""
    source = task_annotate_clarity_gaps(with_status(tasks, on=on, classified=classified))
    return source.annotate(
        status_before=task_status_expression(on=before), **forecast_annotations(),
    ).order_by().values(
        "id", "group_id", "lead_unit_id", "resolution_id", "sort_key", "deadline_kind",
        "completed_on", "status_class", "status_before", "current_due", "start",
        *[f"lacks_{c}" for c in CLARITIES])


#: What the rows can be grouped by: column, its type, the alias of its GROUPING() flag.
DIMENSIONS = [("group_id", "bigint", "g_group"), ("lead_unit_id", "bigint", "g_unit"),
              ("due_month", "date", "g_due"), ("done_month", "date", "g_done")]


def _dimensions(sets: list[str]) -> str:
    """The grouping flags and columns of the counting rows: GROUPING(column) is 0 on a row
    grouped by the column, 1 otherwise; a column no chosen set groups by cannot be named (it is
    never grouped by: flag 1, value NULL)."""
    chosen = " ".join(SETS[name] for name in sets)
    flags = [f"GROUPING({column}) AS {flag}" if column in chosen else f"1 AS {flag}"
             for column, _type, flag in DIMENSIONS]
    columns = [column if column in chosen else f"NULL::{kind} AS {column}"
               for column, kind, _flag in DIMENSIONS]
    return ", ".join(flags + columns)


def figures_rows(tasks: QuerySet[Task], *, window: Window, sets: list[str],
                 lists: bool, list_size: int = 10, classified: bool = False) -> list[dict]:
    """The rows of the statement: one per grouping (`part` = "counts"), and with `lists` one
    more (`part` = "lists") holding the ids of the tasks to list."""
    if tasks.query.is_empty():
        return []
    if not plain.uses_sql():
        return plain.figures_rows(tasks, window=window, sets=sets, lists=lists,
                                  list_size=list_size)
    template = _CLASSIFIED + _COUNTING.replace("{sets}", ", ".join(SETS[s] for s in sets)) \
        .replace("{dimensions}", _dimensions(sets))
    if lists:
        template += _LISTING
    sql, params = compose(template, querysets={
        "tasks": classified_tasks(tasks, on=window.on, before=window.before,
                                  classified=classified)}, values={
        **risk_params(periods=risk_periods(on=window.on)),
        "one_off": sorted(ONE_OFF_KINDS), "on": window.on,
        **{f"on_{days}": window.on + timedelta(days=days) for days in (30, 60, 90)},
        "window_start": window.timeline_start, "window_end": window.timeline_end,
        "trend_start": window.trend_start, "list_size": list_size,
    })
    return fetch_dicts(sql, params)
