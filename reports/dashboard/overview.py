"""The dashboard's figures, assembled from the counting statement and the compliance query.

`dashboard_headline` is the one place the headline numbers come from (the page and the REST
`stats` endpoint); `dashboard_overview` adds everything else the page shows. Both take a task
queryset already filtered (scope and filters) and the day to compute for, and run a fixed number
of queries whatever the number of tasks.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet

from core.text import localized
from tasks.deadlines import month_end
from tasks.models import Task, TaskFacts, TaskGroup
from tasks.rules import Clarity, StatusClass
from units.models import Unit

from ..models import ReportingPeriod
from ..periods import period_dates, period_key_for
from ..rates import rate
from .cache import cached, queryset_identity
from .compliance import compliance_counts
from .figures import CLARITIES, STATUSES, Window, figures_rows, headline_row

#: Months of the deadline timeline before and after the current one, and of the trend.
TIMELINE_BEFORE, TIMELINE_AFTER, TREND_MONTHS = 3, 12, 12
#: Tasks named in each list of the page (the full list is a link away).
LIST_SIZE = 10
#: Rows per page of the league and compliance tables.
TABLE_PAGE = 25
#: Horizons of "deadlines coming", in days.
HORIZONS = (30, 60, 90)

LEAGUE_SORTS = {
    "unit": "name", "tasks": "tasks", "on_time": "completed_on_time",
    "late": "completed_late", "overdue": "overdue", "at_risk": "at_risk",
    "missing": "missing",
}
COMPLIANCE_SORTS = {
    "unit": "name", "expected": "expected", "received": "received", "on_time": "on_time",
    "missing": "missing", "received_rate": "received_rate", "on_time_rate": "on_time_rate",
}


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous_cutoff(*, on: date) -> date:
    """The cut-off of the last reporting period that ended before `on` ("the last period"):
    the stored period's own date when there is one, else the configured one."""
    stored = (ReportingPeriod.objects.filter(ends_on__lt=on).order_by("-ends_on")
              .values_list("ends_on", flat=True).first())
    if stored:
        return stored
    year, month = period_key_for(on, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return period_dates(year, month, cutoff_day=settings.REPORTING_CUTOFF_DAY,
                        submission_days=settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF)[1]


def dashboard_window(*, on: date) -> Window:
    this_month = _month_start(on)
    last = _add_months(this_month, TIMELINE_AFTER)
    return Window(on=on, before=previous_cutoff(on=on),
                  timeline_start=_add_months(this_month, -TIMELINE_BEFORE),
                  timeline_end=month_end(last.year, last.month),
                  trend_start=_add_months(this_month, -(TREND_MONTHS - 1)))


def _classes(row: dict) -> dict:
    total = row["total"]
    return {status: {"count": row[f"now_{status}"],
                     "percent": rate(row[f"now_{status}"], total),
                     "previous": row[f"before_{status}"],
                     "change": row[f"now_{status}"] - row[f"before_{status}"]}
            for status in STATUSES}


def _headline(row: dict, window: Window) -> dict:
    return {"on": window.on, "previous_on": window.before, "total": row["total"],
            "classes": _classes(row), "at_risk": row["at_risk"],
            "not_forecast": row["no_trend"]}


def _empty_row() -> dict:
    return {"total": 0, "at_risk": 0, "no_trend": 0, "not_clear": 0, "done_before_trend": 0,
            **{f"now_{s}": 0 for s in STATUSES}, **{f"before_{s}": 0 for s in STATUSES},
            **{f"lacks_{c}": 0 for c in CLARITIES},
            **{f"due_{days}": 0 for days in HORIZONS}}


def dashboard_headline(*, tasks: QuerySet[Task], on: date) -> dict:
    """The headline of the tasks of `tasks` on the day `on`: how many, and per status class
    {"count", "percent" (of all, one decimal), "previous" (on the last period's cut-off),
    "change"}; how many are at risk, and how many in progress could not be forecast.

    `tasks` is any task queryset (filtered, scoped).
    Returns {"on", "previous_on", "total", "classes": {status: {...}}, "at_risk",
    "not_forecast"}. Cached until the data changes; a few small queries when it is.
    """
    def compute():
        window = dashboard_window(on=on)
        return _headline(headline_row(tasks, window=window), window)

    return cached("headline", {"tasks": queryset_identity(tasks), "on": on}, compute)


@dataclass
class Page:
    """One page of a sorted table."""

    rows: list
    number: int
    count: int
    pages: int
    sort: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _page(rows: list[dict], *, sort: str, sorts: dict, default: str, page: int) -> Page:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in sorts:
        key, descending = default.lstrip("-"), default.startswith("-")
    field = sorts[key]

    def order(row):
        value = row[field]
        return (value is None, value if field != "name" else value.lower())

    # Name as the tie-breaker: the same order on every request.
    rows = sorted(rows, key=lambda row: row["name"].lower())
    present = [row for row in rows if row[field] is not None]
    absent = [row for row in rows if row[field] is None]
    present.sort(key=order, reverse=descending)
    rows = present + absent
    pages = max(1, -(-len(rows) // TABLE_PAGE))
    number = min(max(1, page), pages)
    start = (number - 1) * TABLE_PAGE
    return Page(rows[start:start + TABLE_PAGE], number, len(rows), pages,
                f"{'-' if descending else ''}{key}")


def _units(ids) -> dict[int, dict]:
    return {pk: {"id": pk, "name": localized(name, name_en), "path": path}
            for pk, name, name_en, path in Unit.objects.filter(pk__in=list(ids))
            .values_list("pk", "name", "name_en", "path")}


def _league(unit_rows: dict[int, dict], lead_missing: dict[int, int], *, scope_path: str,
            units: dict[int, dict], sort: str, page: int) -> Page:
    rows = []
    for unit_id, row in unit_rows.items():
        unit = units[unit_id]
        in_scope = unit["path"].startswith(scope_path)
        rows.append({
            "unit_id": unit_id, "name": unit["name"], "tasks": row["total"],
            "completed_on_time": row["now_completed_on_time"],
            "completed_late": row["now_completed_late"], "overdue": row["now_overdue"],
            "in_progress": row["now_in_progress"], "at_risk": row["at_risk"],
            # Another unit's own reports are its business: counted only within the scope.
            "missing": lead_missing.get(unit_id, 0) if in_scope else None,
        })
    return _page(rows, sort=sort, sorts=LEAGUE_SORTS, default="-overdue", page=page)


def _compliance(compliance: dict, *, units: dict[int, dict], sort: str, page: int) -> Page:
    rows = [{"unit_id": unit_id, "name": units[unit_id]["name"], **row}
            for unit_id, row in compliance["units"].items()]
    return _page(rows, sort=sort, sorts=COMPLIANCE_SORTS, default="received_rate", page=page)


def _groups(group_rows: dict[int, dict]) -> tuple[list[dict], list[dict]]:
    """Per task group and per resolution (the sum of its groups), in programme order."""
    groups = list(TaskGroup.objects.filter(pk__in=list(group_rows)).select_related("resolution")
                  .order_by("resolution__issued_on", "resolution__number", "number"))
    by_group, by_resolution = [], {}
    for group in groups:
        row = group_rows[group.pk]
        by_group.append({"group": group, "total": row["total"], "classes": _classes(row),
                         "at_risk": row["at_risk"]})
        summed = by_resolution.setdefault(group.resolution_id, {
            "resolution": group.resolution, **_empty_row()})
        for key, value in row.items():
            if key in summed and isinstance(value, int) and key != "resolution":
                summed[key] += value
    resolutions = [{"resolution": row["resolution"], "total": row["total"],
                    "classes": _classes(row), "at_risk": row["at_risk"]}
                   for row in by_resolution.values()]
    return by_group, resolutions


def _timeline(rows: list[dict], groups: list[dict], window: Window) -> dict:
    months = []
    month = window.timeline_start
    while month <= window.timeline_end:
        months.append(month)
        month = _add_months(month, 1)
    cells = {(row["group_id"], row["due_month"]): row for row in rows}
    lines = []
    for entry in groups:
        group = entry["group"]
        line = []
        for month in months:
            row = cells.get((group.pk, month))
            line.append({"month": month, "end": month_end(month.year, month.month),
                         "total": row["total"] if row else 0,
                         "counts": {s: row[f"now_{s}"] if row else 0 for s in STATUSES}})
        lines.append({"group": group, "cells": line})
    return {"months": months, "lines": lines, "this_month": _month_start(window.on)}


def _trend(rows: list[dict], total_row: dict, window: Window) -> list[dict]:
    by_month = {row["done_month"]: row for row in rows}
    done = total_row["done_before_trend"]
    trend = []
    month = window.trend_start
    while month <= window.on:
        row = by_month.get(month)
        on_time = row["now_completed_on_time"] if row else 0
        late = row["now_completed_late"] if row else 0
        done += on_time + late
        trend.append({"month": month, "end": min(month_end(month.year, month.month), window.on),
                      "on_time": on_time, "late": late, "completed": done,
                      "share": rate(done, total_row["total"])})
        month = _add_months(month, 1)
    return trend


def _listed(lists: dict, *, on: date) -> dict[str, list]:
    """The tasks the page names, fetched at once, in each list's order, described by their
    facts on `on` (status, due dates, clarities)."""
    wanted = {name: list(lists.get(f"{name}_ids") or []) for name in
              ("overdue", "upcoming", "risk", "unclear")}
    ids = {pk for group in wanted.values() for pk in group}
    if not ids:
        return {name: [] for name in wanted}
    tasks = {task.pk: task for task in Task.objects.filter(pk__in=ids)
             .select_related("lead_unit", "group", "resolution")}
    facts = {fact.task_id: fact for fact in TaskFacts.objects.filter(day=on, task_id__in=ids)}
    projected = dict(zip(wanted["risk"], lists.get("risk_projected") or [], strict=False))
    latest = dict(zip(wanted["risk"], lists.get("risk_latest") or [], strict=False))
    for task in tasks.values():
        fact = facts[task.pk]
        task.status_class = fact.status
        task.status_label = StatusClass(task.status_class).label
        task.current_due, task.missed_due = fact.current_due, fact.missed_due
        if task.missed_due:
            task.days_overdue = (on - task.missed_due).days
        if task.current_due:
            task.days_left = (task.current_due - on).days
        task.gaps = [Clarity(c) for c in CLARITIES if getattr(fact, f"lacks_{c}")]
        if task.pk in projected:
            task.projected = round(projected[task.pk] or 0)
            task.latest = round(latest.get(task.pk) or 0)
    return {name: [tasks[pk] for pk in group] for name, group in wanted.items()}


def _figures(*, tasks: QuerySet[Task], on: date, period: ReportingPeriod,
             scope_path: str) -> dict:
    window = dashboard_window(on=on)
    rows = figures_rows(tasks, window=window, lists=True, list_size=LIST_SIZE,
                        sets=["total", "group", "unit", "timeline", "trend"])
    counted = [row for row in rows if row["part"] == "counts"]
    total = next((row for row in counted if row["g_group"] and row["g_unit"]
                  and row["g_due"] and row["g_done"]), None) or _empty_row()
    lists = next((row for row in rows if row["part"] == "lists"), {})
    group_rows = {row["group_id"]: row for row in counted
                  if not row["g_group"] and row["g_due"]}
    unit_rows = {row["lead_unit_id"]: row for row in counted if not row["g_unit"]}
    timeline_rows = [row for row in counted if not row["g_group"] and not row["g_due"]
                     and row["due_month"] is not None]
    trend_rows = [row for row in counted if not row["g_done"] and row["done_month"] is not None]

    compliance = compliance_counts(tasks, period=period, on=on, scope_path=scope_path)
    by_group, by_resolution = _groups(group_rows)
    return {
        "headline": _headline(total, window),
        "window": window,
        "by_group": by_group,
        "by_resolution": by_resolution,
        "unit_rows": unit_rows,
        "compliance_rows": compliance,
        "units": _units(set(unit_rows) | set(compliance["units"])),
        "deadlines": {days: total[f"due_{days}"] for days in HORIZONS},
        "timeline": _timeline(timeline_rows, by_group, window),
        "trend": _trend(trend_rows, total, window),
        "clarity": {"counts": {Clarity(c): total[f"lacks_{c}"] for c in CLARITIES},
                    "not_clear": total["not_clear"]},
        "lists": _listed(lists, on=on),
        "horizons": [on + timedelta(days=days) for days in HORIZONS],
    }


def overview_parts(*, tasks: QuerySet[Task], on: date, period: ReportingPeriod,
                   scope_path: str) -> dict:
    """What the overview's figures are computed from, for their cache key."""
    return {"tasks": queryset_identity(tasks), "on": on, "scope": scope_path,
            "period": [period.pk, period.starts_on, period.ends_on, period.submission_deadline]}


def dashboard_overview(*, tasks: QuerySet[Task], on: date, period: ReportingPeriod,
                       scope_path: str = "/", league_sort: str = "",
                       league_page: int = 1, compliance_sort: str = "",
                       compliance_page: int = 1) -> dict:
    """Everything the dashboard shows for the tasks of `tasks` on `on`: the headline, by group
    and by resolution, the league table of lead units (sorted, one page), deadlines coming and
    overdue tasks, the deadline timeline by group, the monthly completion trend, reporting
    compliance of `period` by unit (reporting units under `scope_path` only), the six
    clarities, and the tasks at risk.

    Cached until the data changes (see cache.py); a fixed number of queries when it is not.
    """
    figures = cached("overview", overview_parts(tasks=tasks, on=on, period=period,
                                                scope_path=scope_path),
                     lambda: _figures(tasks=tasks, on=on, period=period, scope_path=scope_path))
    compliance = figures["compliance_rows"]
    return {
        **figures,
        "period": period,
        "league": _league(figures["unit_rows"], compliance["lead_missing"],
                          scope_path=scope_path, units=figures["units"], sort=league_sort,
                          page=league_page),
        "compliance": {"total": compliance["total"],
                       "page": _compliance(compliance, units=figures["units"],
                                           sort=compliance_sort, page=compliance_page)},
    }
