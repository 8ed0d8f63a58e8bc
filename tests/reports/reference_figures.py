"""The tests' reference for the dashboard's figures: computed task by task in Python from the
rules themselves (tasks.rules), with nothing read from the per-task facts. The tests require
the figures (reports.dashboard) to give the same rows on the same programme. Slow: it reads
every task and report.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from reports.dashboard.expecting import counts_row, expecting_tasks
from reports.dashboard.risk import AT_RISK, EPOCH, risk_periods
from reports.models import ProgressReport, ReportingPeriod
from tasks.deadlines import ONE_OFF_KINDS, RECURRING_KINDS, occurrences_on
from tasks.models import Task
from tasks.rules import StatusClass, task_clarity_gaps, task_status_class
from units.models import Unit
from units.selectors import units_expected_to_report

STATUSES = [status.value for status in StatusClass]


def _tasks(tasks: QuerySet[Task]) -> list[Task]:
    return list(Task.objects.filter(pk__in=tasks.order_by().values("pk"))
                .select_related("lead_unit", "resolution")
                .prefetch_related("occurrence_completions", "outputs", "lead_unit__members",
                                  Prefetch("coordinating_units",
                                           queryset=Unit.objects.prefetch_related("members")))
                .order_by("pk"))


def task_dues(task: Task, status: str, on: date) -> tuple[date | None, date | None]:
    """(the due date that matters on `on`, the due date an overdue task missed)."""
    if task.deadline is None:
        return None, None
    if task.deadline_kind in RECURRING_KINDS:
        occurrences = occurrences_on(task.deadline_kind, task.deadline, on)
        missed = occurrences.previous_due if status == StatusClass.OVERDUE else None
        return occurrences.current_due, missed
    return task.deadline, task.deadline if status == StatusClass.OVERDUE else None


def _start(task: Task) -> date:
    return task.resolution.issued_on or timezone.localtime(task.created_at).date()


def _lead_bodies(task: Task) -> list[int]:
    return [body.pk for body in units_expected_to_report(units=[task.lead_unit])]


def forecasts(rows: list[dict], tasks: dict[int, Task], *, on: date) -> dict[int, dict]:
    """{task id: {"projected", "latest"}} for the tasks in progress with a one-off deadline
    (the method of risk.py, step by step); `projected` is None without an approved report."""
    candidates = [row for row in rows if row["status_class"] == StatusClass.IN_PROGRESS
                  and row["deadline_kind"] in ONE_OFF_KINDS]
    periods = {period.pk: (period.ends_on - EPOCH).days for period in risk_periods(on=on)}
    bodies = {row["id"]: set(_lead_bodies(tasks[row["id"]])) for row in candidates}
    points: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for task_id, unit_id, period_id, percent in ProgressReport.objects.filter(
            state=ProgressReport.State.APPROVED, period_id__in=list(periods),
            task_id__in=list(bodies)).values_list("task_id", "unit_id", "period_id",
                                                  "percent_complete"):
        if unit_id in bodies[task_id]:
            points[task_id].append((periods[period_id], float(percent)))
    result = {}
    for row in candidates:
        result[row["id"]] = _forecast(points.get(row["id"], []), start=row["start"],
                                      due=row["current_due"])
    return result


def _forecast(points: list[tuple[int, float]], *, start: date, due: date) -> dict:
    if not points:
        return {"projected": None, "latest": None}
    latest_x = max(x for x, _y in points)
    latest = min(y for x, y in points if x == latest_x)
    first_x = min(x for x, _y in points)
    start_x, due_x = (start - EPOCH).days, (due - EPOCH).days
    if latest >= 100:
        projected = 100.0
    elif first_x == latest_x:
        projected = (latest if latest_x <= start_x
                     else latest * (due_x - start_x) / (latest_x - start_x))
    else:
        n = len(points)
        sx, sy = sum(x for x, _y in points), sum(y for _x, y in points)
        sxx, sxy = sum(x * x for x, _y in points), sum(x * y for x, y in points)
        slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
        intercept = (sy - slope * sx) / n
        projected = intercept + slope * due_x
    return {"projected": round(projected, 6), "latest": latest}


def classified_rows(tasks: QuerySet[Task], *, on: date, before: date,
                    forecast: bool = True) -> list[dict]:
    """One dict per task with the columns figures.py classifies in SQL (and the forecast)."""
    loaded = _tasks(tasks)
    rows = []
    for task in loaded:
        status = task_status_class(task=task, on=on).value
        current_due, missed_due = task_dues(task, status, on)
        gaps = {gap.value for gap in task_clarity_gaps(task=task)}
        rows.append({
            "id": task.pk, "group_id": task.group_id, "lead_unit_id": task.lead_unit_id,
            "resolution_id": task.resolution_id, "sort_key": task.sort_key,
            "deadline_kind": task.deadline_kind, "completed_on": task.completed_on,
            "status_class": status,
            "status_before": task_status_class(task=task, on=before).value,
            "current_due": current_due, "missed_due": missed_due, "start": _start(task),
            **{f"lacks_{clarity}": clarity in gaps for clarity in
               ("person", "work", "time", "responsibility", "product", "authority")},
            "not_clear": bool(gaps),
        })
    by_id = {task.pk: task for task in loaded}
    predicted = forecasts(rows, by_id, on=on) if forecast else {}
    for row in rows:
        guess = predicted.get(row["id"])
        row["forecast"] = guess is not None
        row["projected"] = guess["projected"] if guess else None
        row["latest"] = guess["latest"] if guess else None
    return rows


def _month(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def _count(rows: list[dict], *, on: date, trend_start: date) -> dict:
    counted = {"total": len(rows)}
    for status in STATUSES:
        counted[f"now_{status}"] = sum(row["status_class"] == status for row in rows)
        counted[f"before_{status}"] = sum(row["status_before"] == status for row in rows)
    for clarity in ("person", "work", "time", "responsibility", "product", "authority"):
        counted[f"lacks_{clarity}"] = sum(row[f"lacks_{clarity}"] for row in rows)
    counted["at_risk"] = sum(row["projected"] is not None and row["projected"] < 100
                             for row in rows)
    counted["no_trend"] = sum(row["forecast"] and row["projected"] is None for row in rows)
    counted["not_clear"] = sum(row["not_clear"] for row in rows)
    for days in (30, 60, 90):
        horizon = on + timedelta(days=days)
        counted[f"due_{days}"] = sum(
            row["status_class"] == StatusClass.IN_PROGRESS and row["current_due"] is not None
            and on <= row["current_due"] <= horizon for row in rows)
    counted["done_before_trend"] = sum(
        row["completed_on"] is not None and row["completed_on"] < trend_start for row in rows)
    return counted


def figures_rows(tasks: QuerySet[Task], *, window, sets: list[str], lists: bool,
                 list_size: int = 10, **_ignored) -> list[dict]:
    """The rows of figures.figures_rows, computed in Python."""
    rows = classified_rows(tasks, on=window.on, before=window.before)
    for row in rows:
        due = row["current_due"]
        row["due_month"] = (_month(due) if due and window.timeline_start <= due
                            <= window.timeline_end else None)
        done = row["completed_on"]
        row["done_month"] = (_month(done) if done and window.trend_start <= done <= window.on
                             else None)
    dimensions = {"total": (), "group": ("group_id",), "unit": ("lead_unit_id",),
                  "timeline": ("group_id", "due_month"), "trend": ("done_month",)}
    names = ["group_id", "lead_unit_id", "due_month", "done_month"]
    flags = {"group_id": "g_group", "lead_unit_id": "g_unit", "due_month": "g_due",
             "done_month": "g_done"}
    result = []
    for name in sets:
        keys = dimensions[name]
        buckets: dict[tuple, list[dict]] = defaultdict(list)
        for row in rows:
            buckets[tuple(row[key] for key in keys)].append(row)
        if not keys and not rows:
            buckets[()] = []
        for values, members in buckets.items():
            grouped = dict(zip(keys, values, strict=True))
            result.append({
                "part": "counts",
                **{flags[column]: 0 if column in grouped else 1 for column in names},
                **{column: grouped.get(column) for column in names},
                **_count(members, on=window.on, trend_start=window.trend_start),
            })
    if lists:
        result.append({"part": "lists", **_lists(rows, on=window.on, size=list_size)})
    return result


def _lists(rows: list[dict], *, on: date, size: int) -> dict:
    def order(*fields):
        return lambda row: tuple(row[field] for field in fields)

    overdue = sorted((r for r in rows if r["status_class"] == StatusClass.OVERDUE),
                     key=order("missed_due", "resolution_id", "sort_key", "id"))
    horizon = on + timedelta(days=90)
    upcoming = sorted((r for r in rows if r["status_class"] == StatusClass.IN_PROGRESS
                       and r["current_due"] and on <= r["current_due"] <= horizon),
                      key=order("current_due", "resolution_id", "sort_key", "id"))
    risk = sorted((r for r in rows if r["projected"] is not None and r["projected"] < 100),
                  key=order("projected", "current_due", "id"))[:size]
    unclear = sorted((r for r in rows if r["not_clear"]),
                     key=order("resolution_id", "sort_key", "id"))
    return {"overdue_ids": [r["id"] for r in overdue[:size]],
            "upcoming_ids": [r["id"] for r in upcoming[:size]],
            "risk_ids": [r["id"] for r in risk],
            "risk_projected": [r["projected"] for r in risk],
            "risk_latest": [r["latest"] for r in risk],
            "unclear_ids": [r["id"] for r in unclear[:size]]}


def at_risk_tasks(tasks: QuerySet[Task], *, on: date, which: str = AT_RISK, limit: int = 50,
                  offset: int = 0, **_ignored):
    """risk.at_risk_tasks, computed in Python."""
    rows = [row for row in classified_rows(tasks, on=on, before=on) if row["forecast"]]
    if which == AT_RISK:
        rows = [row for row in rows if row["projected"] is not None and row["projected"] < 100]
    else:
        rows = [row for row in rows if row["projected"] is None]
    rows.sort(key=lambda row: (row["projected"] if row["projected"] is not None else 0,
                               row["current_due"], row["resolution_id"], row["sort_key"],
                               row["id"]))
    return len(rows), [(row["id"], row["projected"], row["latest"])
                       for row in rows[offset:offset + limit]]


# --- Compliance ---------------------------------------------------------------------------------


def expected_bodies(tasks: QuerySet[Task], *, period: ReportingPeriod,
                    scope_path: str = "/") -> list[tuple[Task, Unit, bool]]:
    """(task, reporting body, reports as lead) expected in the period, as
    reports.compliance.expected_reports finds them, for the tasks of `tasks`."""
    ids = expecting_tasks(tasks, period=period).values("id")
    expected = []
    for task in (Task.objects.filter(pk__in=ids).select_related("lead_unit")
                 .prefetch_related("lead_unit__members",
                                   Prefetch("coordinating_units",
                                            queryset=Unit.objects.prefetch_related("members")))
                 .order_by("pk")):
        leads = {unit.pk for unit in units_expected_to_report(units=[task.lead_unit],
                                                            on=period.ends_on)}
        bodies = units_expected_to_report(units=[task.lead_unit,
                                                 *task.coordinating_units.all()],
                                          on=period.ends_on)
        expected += [(task, body, body.pk in leads) for body in bodies
                     if body.is_active and body.path.startswith(scope_path)]
    return expected


def _submitted(period: ReportingPeriod) -> dict[tuple[int, int], date]:
    if period.pk is None:  # not stored yet: nothing was submitted for it
        return {}
    return {(task_id, unit_id): timezone.localtime(submitted_at).date()
            for task_id, unit_id, submitted_at in ProgressReport.objects.filter(
                period=period, submitted_at__isnull=False).values_list(
                "task_id", "unit_id", "submitted_at")}


def _received(day: date | None, *, on: date, period: ReportingPeriod) -> tuple[bool, bool]:
    received = day is not None and day <= on
    return received, received and day <= period.submission_deadline


def compliance_counts(tasks: QuerySet[Task], *, period: ReportingPeriod, on: date,
                      scope_path: str = "/") -> dict:
    """compliance.compliance_counts, computed in Python."""
    submitted = _submitted(period)
    units: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    total = [0, 0, 0]
    lead_missing: dict[int, int] = defaultdict(int)
    for task, body, lead in expected_bodies(tasks, period=period, scope_path=scope_path):
        received, on_time = _received(submitted.get((task.pk, body.pk)), on=on, period=period)
        for counts in (units[body.pk], total):
            counts[0] += 1
            counts[1] += received
            counts[2] += on_time
        if lead and not received:
            lead_missing[task.lead_unit_id] += 1
        else:
            lead_missing.setdefault(task.lead_unit_id, 0)
    return {"total": counts_row(*total), "units": {pk: counts_row(*c) for pk, c in units.items()},
            "lead_missing": dict(lead_missing)}


def expected_reports_list(tasks: QuerySet[Task], *, period: ReportingPeriod, on: date,
                          scope_path: str = "/", unit_id: int | None = None,
                          lead_only: bool = False, received: str = "no", limit: int = 50,
                          offset: int = 0):
    """compliance.expected_reports_list, computed in Python."""
    submitted = _submitted(period)
    rows = []
    for task, body, lead in expected_bodies(tasks, period=period, scope_path=scope_path):
        day = submitted.get((task.pk, body.pk))
        got, on_time = _received(day, on=on, period=period)
        if not {"no": not got, "yes": got, "on_time": on_time, "any": True}[received]:
            continue
        if (unit_id is not None and body.pk != unit_id) or (lead_only and not lead):
            continue
        rows.append((task.resolution_id, task.sort_key, task.pk, body.path, body.pk, lead,
                     day if got else None))
    rows.sort(key=lambda row: row[:5])
    return len(rows), [(task_id, body_id, lead, day)
                       for _r, _s, task_id, _p, body_id, lead, day in rows[offset:offset + limit]]
