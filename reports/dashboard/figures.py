"""Every figure of the dashboard that counts tasks, read from the per-task facts.

The facts (tasks.TaskFacts, see facts.py) hold each task's status class on the day asked for and
on the previous period's cut-off, its due dates, its six clarities and its forecast, computed
once; the counts here are plain grouped queries over those narrow rows (portable: PostgreSQL and
SQLite alike), per grouping asked for (in total, per task group, per lead unit, per group and
month of the due date, per month of completion), and a few ordered queries pick the tasks the
page lists. A fixed number of queries, whatever the number of tasks.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from tasks.models import Task
from tasks.rules import Clarity, StatusClass

from .facts import task_facts

STATUSES = [status.value for status in StatusClass]
CLARITIES = [clarity.value for clarity in Clarity]
HORIZON_DAYS = (30, 60, 90)

#: The groupings, by what they count: the columns each groups by.
SETS = {
    "total": (),
    "group": ("group_id",),
    "unit": ("lead_unit_id",),
    "timeline": ("group_id", "due_month"),
    "trend": ("done_month",),
}
#: Each column rows may be grouped by, and its flag: 0 on a row grouped by it, 1 otherwise.
DIMENSIONS = {"group_id": "g_group", "lead_unit_id": "g_unit", "due_month": "g_due",
              "done_month": "g_done"}


@dataclass(frozen=True)
class Window:
    """The dates the figures are computed for."""

    on: date
    before: date  # the previous period's cut-off ("change since the last period")
    timeline_start: date
    timeline_end: date
    trend_start: date


def _counts(window: Window, *, both_days: bool) -> dict:
    """The counts of one row; with `both_days`, over the rows of `on` and `before` (the
    statuses on `before` counted apart), else over the rows of `on` alone."""
    now = Q(day=window.on) if both_days else Q()
    on = window.on
    counts = {"total": Count("pk", filter=now) if both_days else Count("pk")}
    for status in STATUSES:
        counts[f"now_{status}"] = Count("pk", filter=now & Q(status=status))
        if both_days:
            counts[f"before_{status}"] = Count("pk", filter=Q(day=window.before, status=status))
    for clarity in CLARITIES:
        counts[f"lacks_{clarity}"] = Count("pk", filter=now & Q(**{f"lacks_{clarity}": True}))
    counts.update(
        at_risk=Count("pk", filter=now & Q(projected__lt=100)),
        no_trend=Count("pk", filter=now & Q(forecast=True, projected__isnull=True)),
        not_clear=Count("pk", filter=now & Q(not_clear=True)),
        done_before_trend=Count("pk", filter=now & Q(completed_on__lt=window.trend_start)),
        **{f"due_{days}": Count("pk", filter=now & Q(
            status=StatusClass.IN_PROGRESS, current_due__range=(on, on + timedelta(days=days))))
           for days in HORIZON_DAYS})
    return counts


def _rows(facts: QuerySet, *, name: str, window: Window) -> list[dict]:
    columns = SETS[name]
    if name == "timeline":
        facts = facts.filter(day=window.on, current_due__range=(
            window.timeline_start, window.timeline_end)).annotate(
            due_month=TruncMonth("current_due"))
    elif name == "trend":
        facts = facts.filter(day=window.on, completed_on__range=(
            window.trend_start, window.on)).annotate(done_month=TruncMonth("completed_on"))
    both = name in ("total", "group", "unit")
    if not both:
        facts = facts.filter(day=window.on)
    counts = _counts(window, both_days=both)
    if columns:
        found = list(facts.order_by().values(*columns).annotate(**counts))
    else:
        found = [facts.aggregate(**counts)]
    for row in found:
        row["part"] = "counts"
        for column, flag in DIMENSIONS.items():
            row[flag] = 0 if column in columns else 1
            row.setdefault(column, None)
        for status in STATUSES:
            row.setdefault(f"before_{status}", 0)
    return [row for row in found if row["total"] or not columns]


def _lists(facts: QuerySet, *, window: Window, size: int) -> dict:
    on = facts.filter(day=window.on)

    def ids(queryset, *order):
        return list(queryset.order_by(*order).values_list("task_id", flat=True)[:size])

    risk = list(on.filter(projected__lt=100).order_by("projected", "current_due", "task_id")
                .values_list("task_id", "projected", "latest")[:size])
    return {
        "part": "lists",
        "overdue_ids": ids(on.filter(status=StatusClass.OVERDUE),
                           "missed_due", "resolution_id", "sort_key", "task_id"),
        "upcoming_ids": ids(on.filter(status=StatusClass.IN_PROGRESS, current_due__range=(
            window.on, window.on + timedelta(days=max(HORIZON_DAYS)))),
            "current_due", "resolution_id", "sort_key", "task_id"),
        "risk_ids": [row[0] for row in risk],
        "risk_projected": [row[1] for row in risk],
        "risk_latest": [row[2] for row in risk],
        "unclear_ids": ids(on.filter(not_clear=True), "resolution_id", "sort_key", "task_id"),
    }


def figures_rows(tasks: QuerySet[Task], *, window: Window, sets: list[str], lists: bool,
                 list_size: int = 10) -> list[dict]:
    """The counting rows (`part` = "counts"), one per group of each grouping in `sets` (those
    counting no task left out), and with `lists` one more (`part` = "lists") holding the ids
    of the tasks to list."""
    if tasks.query.is_empty():
        return []
    facts = task_facts(tasks, days=[window.on, window.before])
    rows = [row for name in sets for row in _rows(facts, name=name, window=window)]
    if lists:
        rows.append(_lists(facts, window=window, size=list_size))
    return rows


def headline_row(tasks: QuerySet[Task], *, window: Window,
                 facts: QuerySet | None = None) -> dict:
    """The counts of the headline alone (the classes on both days, at risk, no trend) in the
    shape of a total counting row: one small grouped query (`facts`: task_facts of the tasks
    on both days, when the caller has it)."""
    row = {"total": 0, "at_risk": 0, "no_trend": 0,
           **{f"now_{s}": 0 for s in STATUSES}, **{f"before_{s}": 0 for s in STATUSES}}
    if tasks.query.is_empty():
        return row
    if facts is None:
        facts = task_facts(tasks, days=[window.on, window.before])
    for found in facts.order_by().values("day", "status").annotate(
            count=Count("pk"), at_risk=Count("pk", filter=Q(projected__lt=100)),
            no_trend=Count("pk", filter=Q(forecast=True, projected__isnull=True))):
        if found["day"] == window.on:
            row[f"now_{found['status']}"] += found["count"]
            row["total"] += found["count"]
            row["at_risk"] += found["at_risk"]
            row["no_trend"] += found["no_trend"]
        else:
            row[f"before_{found['status']}"] += found["count"]
    return row


def behind_by_unit(tasks: QuerySet[Task], *, on: date, size: int,
                   facts: QuerySet | None = None) -> list[dict]:
    """The lead units that can be among the `size` most behind on `on` (most tasks overdue or
    at risk, then most overdue; the rows tied with the last are all there, for the caller to
    break the tie by name): {"lead_unit_id", "overdue", "at_risk", "behind"}, most behind
    first. Two queries, however many units are behind: the threshold, then the units reaching
    it."""
    if tasks.query.is_empty():
        return []
    facts = (task_facts(tasks, days=[on]) if facts is None else facts).filter(
        Q(status=StatusClass.OVERDUE) | Q(projected__lt=100), day=on)
    grouped = facts.order_by().values("lead_unit_id").annotate(
        overdue=Count("pk", filter=Q(status=StatusClass.OVERDUE)),
        at_risk=Count("pk", filter=Q(projected__lt=100)), behind=Count("pk"))
    top = list(grouped.order_by("-behind", "-overdue").values_list("behind", "overdue")[:size])
    behind, overdue = top[-1] if len(top) == size else (0, 0)
    rows = list(grouped.filter(Q(behind__gt=behind) | Q(behind=behind, overdue__gte=overdue)))
    rows.sort(key=lambda row: (-row["behind"], -row["overdue"], row["lead_unit_id"]))
    return rows


def due_between(tasks: QuerySet[Task], *, on: date, until: date, size: int,
                facts: QuerySet | None = None) -> dict:
    """The tasks in progress on `on` whose due date falls from `on` to `until`: {"count",
    "ids" (id and due date of the first `size` by due date, in programme order)}. Two
    queries."""
    if tasks.query.is_empty():
        return {"count": 0, "ids": []}
    due = (task_facts(tasks, days=[on]) if facts is None else facts).filter(
        day=on, status=StatusClass.IN_PROGRESS, current_due__range=(on, until))
    return {"count": due.count(),
            "ids": list(due.order_by("current_due", "resolution_id", "sort_key", "task_id")
                        .values_list("task_id", "current_due")[:size])}
