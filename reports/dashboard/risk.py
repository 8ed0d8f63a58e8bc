"""At risk: tasks in progress whose monthly progress, on its trend, will not reach 100% by the
due date. The one implementation of the forecast: it fills the forecast columns of the per-task
facts (tasks.facts) when they are computed, and every figure reads them there.

The method, as the dashboard explains it:

- Only tasks in progress with a one-off deadline (a day, month, quarter or year) are forecast.
  An overdue task is already late (never "at risk"); a completed one is done; an ongoing or
  unspecified task has no deadline to miss; a recurring task is judged occurrence by occurrence
  by its status class.
- The points are the percent complete in the lead unit's *approved* reports of the last
  `RISK_PERIODS` reporting periods (up to the current one), one point per period at its
  cut-off day; for a collective lead, its members' approved reports that period.
- Two points or more: the least-squares straight line through them, read at the due date.
  One point: the line from 0% at the task's start (its resolution's issue date, else the day the
  task was entered) to that point. No point: not forecast (counted apart, "no trend").
- At risk when that projected percentage is below 100. A lead whose latest approved report
  says 100% is not at risk (the completion is being recorded). Flat progress below 100% is at
  risk; so is a falling one.
"""

from collections import defaultdict
from datetime import date

from tasks.deadlines import ONE_OFF_KINDS
from tasks.rules import StatusClass
from units.models import Unit

from ..models import ProgressReport, ReportingPeriod

#: How many recent reporting periods the trend reads.
RISK_PERIODS = 6

#: Days are counted from this date in the regression (any fixed day would do).
EPOCH = date(2000, 1, 1)

#: Which forecast a list shows: at risk, or in progress with no approved report to go by.
AT_RISK, NO_TREND = "yes", "no_trend"


def risk_periods(*, on: date) -> list[ReportingPeriod]:
    """The recent periods the trend reads: the `RISK_PERIODS` last ones begun by `on`."""
    return list(ReportingPeriod.objects.filter(starts_on__lte=on)
                .order_by("-starts_on")[:RISK_PERIODS])


def forecast(points: list[tuple[int, float]], *, start: date, due: date) -> dict:
    """{"projected", "latest"} from the points (x: days since EPOCH, y: percent); both None
    without a point. Rounded, so that the order is the same on any machine."""
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


def _bodies(lead_ids: set[int]) -> dict[int, set[int]]:
    """For each lead unit, the bodies whose reports are its own: itself, or a collective
    designation's members."""
    bodies = {pk: {pk} for pk in lead_ids}
    collective = set(Unit.objects.filter(pk__in=lead_ids, kind=Unit.Kind.COLLECTIVE)
                     .values_list("pk", flat=True))
    for pk in collective:
        bodies[pk] = set()
    for designation, member in Unit.members.through.objects.filter(
            from_unit_id__in=collective).values_list("from_unit_id", "to_unit_id"):
        bodies[designation].add(member)
    return bodies


def forecast_facts(*, day: date, facts: list) -> None:
    """Fill the forecast columns of new per-task facts on `day` (three queries)."""
    candidates = [fact for fact in facts if fact.status == StatusClass.IN_PROGRESS
                  and fact.deadline_kind in ONE_OFF_KINDS]
    if not candidates:
        return
    periods = {period.pk: (period.ends_on - EPOCH).days for period in risk_periods(on=day)}
    bodies = _bodies({fact.lead_unit_id for fact in candidates})
    leads = {fact.task_id: bodies[fact.lead_unit_id] for fact in candidates}
    points: dict[int, list[tuple[int, float]]] = defaultdict(list)
    if periods:
        reports = ProgressReport.objects.filter(
            state=ProgressReport.State.APPROVED, period_id__in=list(periods),
            task_id__in=list(leads)).values_list("task_id", "unit_id", "period_id",
                                                 "percent_complete")
        for task_id, unit_id, period_id, percent in reports.iterator(chunk_size=5000):
            if unit_id in leads[task_id]:
                points[task_id].append((periods[period_id], float(percent)))
    for fact in candidates:
        guess = forecast(points.get(fact.task_id, []), start=fact.start, due=fact.current_due)
        fact.forecast = True
        fact.projected, fact.latest = guess["projected"], guess["latest"]
