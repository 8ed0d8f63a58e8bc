"""At risk: tasks in progress whose monthly progress, on its trend, will not reach 100% by the
due date. The forecast is computed by the database for any number of tasks at once.

The method, as the dashboard explains it:

- Only tasks in progress with a one-off deadline (a day, month, quarter or year) are forecast.
  An overdue task is already late (never "at risk"); a completed one is done; an ongoing or
  unspecified task has no deadline to miss; a recurring task is judged occurrence by occurrence
  by its status class.
- The points are the percent complete in the lead unit's *approved* reports of the last
  `RISK_PERIODS` reporting periods (up to the current one), one point per period at its
  cut-off day; for a collective lead, the mean of its members' approved reports that period.
- Two points or more: the least-squares straight line through them, read at the due date.
  One point: the line from 0% at the task's start (its resolution's issue date, else the day the
  task was entered) to that point. No point: not forecast (counted apart, "no trend").
- At risk when that projected percentage is below 100. A lead whose latest approved report
  says 100% is not at risk (the completion is being recorded). Flat progress below 100% is at
  risk; so is a falling one.
"""

from datetime import date

from django.db.models import DateField
from django.db.models.functions import Coalesce, TruncDate

from units.selectors import UNIT_BODIES_SQL

from ..models import ReportingPeriod

#: How many recent reporting periods the trend reads.
RISK_PERIODS = 6

#: Days are counted from this date in the regression (any fixed day would do).
EPOCH = date(2000, 1, 1)

#: The forecast of each candidate task. Reads a relation `candidates` (id, lead_unit_id,
#: current_due, start) and the parameters %(risk_ids)s and %(risk_days)s
#: (the recent periods' ids and cut-off days, see `risk_params`) and %(risk_epoch)s. Yields
#: `risk` (id, projected, latest): `projected` is NULL when the task is not forecast.
RISK_CTES = """
risk_bodies AS (
    -- the lead reports itself; a collective lead reports through its members
    SELECT c.id AS task_id, ub.body_id AS unit_id FROM candidates c
    JOIN (""" + UNIT_BODIES_SQL + """) ub ON ub.unit_id = c.lead_unit_id
),
risk_points AS (
    -- one point per approved lead report: x, the period's cut-off in days; y, its percent
    SELECT r.task_id,
           (%(risk_days)s::int[])[array_position(%(risk_ids)s::bigint[], r.period_id)] AS x,
           r.percent_complete::float AS y
    FROM risk_bodies b
    JOIN reports_progressreport r
        ON r.task_id = b.task_id AND r.unit_id = b.unit_id AND r.state = 'approved'
        AND r.period_id = ANY(%(risk_ids)s::bigint[])
),
risk_trend AS (
    SELECT task_id, regr_slope(y, x) AS slope, regr_intercept(y, x) AS intercept,
           MIN(x) AS first_x,
           -- the latest period and its lowest percent (a collective lead is done when all its
           -- members are), read from one maximum: x * 1000 + (100 - y), y being 0 to 100
           MAX(x * 1000 + (100 - y)) AS latest_key
    FROM risk_points GROUP BY task_id
),
risk_last AS (
    SELECT *, floor(latest_key / 1000)::int AS latest_x,
           100 - (latest_key - floor(latest_key / 1000) * 1000) AS latest
    FROM risk_trend
),
risk AS (
    SELECT c.id, t.latest, round((
        CASE
            WHEN t.task_id IS NULL THEN NULL
            WHEN t.latest >= 100 THEN 100
            WHEN t.first_x = t.latest_x THEN CASE  -- one period: from 0%% at the start
                WHEN t.latest_x <= c.start - %(risk_epoch)s::date THEN t.latest
                ELSE t.latest * (c.current_due - c.start)
                     / (t.latest_x - (c.start - %(risk_epoch)s::date))
                END
            ELSE t.intercept + t.slope * (c.current_due - %(risk_epoch)s::date)
        END)::numeric, 6)::float AS projected  -- rounded: the same order on any machine
    FROM candidates c
    LEFT JOIN risk_last t ON t.task_id = c.id
)
"""


def risk_periods(*, on: date) -> list[ReportingPeriod]:
    """The recent periods the trend reads: the `RISK_PERIODS` last ones begun by `on`."""
    return list(ReportingPeriod.objects.filter(starts_on__lte=on)
                .order_by("-starts_on")[:RISK_PERIODS])


def risk_params(*, periods: list[ReportingPeriod]) -> dict:
    """The parameters of RISK_CTES for these periods."""
    return {"risk_ids": [period.pk for period in periods],
            "risk_days": [(period.ends_on - EPOCH).days for period in periods],
            "risk_epoch": EPOCH}


def forecast_annotations() -> dict:
    """What the forecast reads of each task besides its status: when it started."""
    return {
        "start": Coalesce("resolution__issued_on", TruncDate("created_at"),
                          output_field=DateField()),
    }


#: The tasks the forecast reads (a relation `t` of task rows with their status), and those it
#: forecasts: in progress with a one-off deadline.
CANDIDATES_CTE = """
WITH t AS MATERIALIZED ({tasks}),
candidates AS (
    SELECT id, lead_unit_id, current_due, start FROM t
    WHERE status_class = 'in_progress' AND deadline_kind = ANY(%(one_off)s)
),
"""

AT_RISK_LIST_SQL = CANDIDATES_CTE + RISK_CTES + """
SELECT risk.id, risk.projected, risk.latest, COUNT(*) OVER () AS total
FROM risk JOIN t ON t.id = risk.id
WHERE {condition}
ORDER BY risk.projected, t.current_due, t.resolution_id, t.sort_key, risk.id
LIMIT %(limit)s OFFSET %(offset)s
"""

#: Which forecast the list shows: at risk, or in progress with no approved report to go by.
AT_RISK, NO_TREND = "yes", "no_trend"
