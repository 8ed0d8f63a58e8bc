"""The trajectory of an indicator and whether it is on track, as pure functions of plain data.

The expected value on a date runs straight from the baseline through each milestone to each
target (linear between points, by days); each point stands at the end of its year. Before the
first point there is no expected value; after the last, the last target stands.

Whether the indicator is on track on a date (the rule shown on the indicator pages):

1. No approved value on or before the date, or no target: **no data**.
2. The latest approved value already meets the target ahead (the next target after the value's
   period, else the last target): **on track**.
3. Otherwise two tests: the *gap*: the latest approved value is not worse than the expected value
   on its period by more than the tolerance (a share of the expected value, the setting
   INDICATOR_TOLERANCE); and the *forecast*: the straight line fitted to the approved values
   (least squares, at least two of them) reaches the target by its year. Both pass: **on track**;
   one fails: **at risk**; both fail: **off track**. With a single value there is no forecast:
   the gap decides (on track or off track). With no expected value yet, the forecast decides
   (on track or at risk); with neither, **no data**.
"""

from dataclasses import dataclass
from datetime import date

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on_track", "at_risk", "off_track", "no_data"
HIGHER_IS_BETTER = frozenset({"higher", "at_least"})

BASELINE, MILESTONE, TARGET = "baseline", "milestone", "target"


@dataclass(frozen=True)
class Point:
    """A point of the trajectory: a baseline, a milestone or a target, at the end of `year`."""

    year: int
    value: float
    kind: str = TARGET

    @property
    def on(self) -> date:
        return date(self.year, 12, 31)


@dataclass(frozen=True)
class Observation:
    """An approved value, at the end of the period it measures."""

    on: date
    value: float


@dataclass(frozen=True)
class Track:
    status: str
    expected: float | None = None
    latest: Observation | None = None
    target: Point | None = None
    forecast: float | None = None
    gap_ok: bool | None = None
    forecast_ok: bool | None = None


def path_of(points) -> list[Point]:
    """The trajectory's points in order of date (one a year: a later kind wins a tie, so a target
    outranks a milestone of the same year)."""
    rank = {BASELINE: 0, MILESTONE: 1, TARGET: 2}
    by_year: dict[int, Point] = {}
    for point in sorted(points, key=lambda p: (p.year, rank.get(p.kind, 2))):
        by_year[point.year] = point
    return [by_year[year] for year in sorted(by_year)]


def expected_on(points, on: date) -> float | None:
    """The expected value on `on`: linear between the points around it; None before the first
    point; the last point's value after it."""
    path = path_of(points)
    if not path or on < path[0].on:
        return None
    for before, after in zip(path, path[1:], strict=False):
        if before.on <= on <= after.on:
            span = (after.on - before.on).days
            share = (on - before.on).days / span
            return before.value + share * (after.value - before.value)
    return path[-1].value


def meets(value: float, goal: float, direction: str) -> bool:
    """Whether `value` reaches `goal` when `direction` says which way is better."""
    return value >= goal if direction in HIGHER_IS_BETTER else value <= goal


def forecast_on(observations, on: date) -> float | None:
    """The value on `on` of the least-squares line through the observations (by days); None with
    fewer than two distinct dates."""
    rows = [(o.on.toordinal(), o.value) for o in observations]
    if len({x for x, _y in rows}) < 2:
        return None
    n = len(rows)
    mean_x = sum(x for x, _y in rows) / n
    mean_y = sum(y for _x, y in rows) / n
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in rows)
             / sum((x - mean_x) ** 2 for x, _y in rows))
    return mean_y + slope * (on.toordinal() - mean_x)


def target_ahead(points, after: date) -> Point | None:
    """The first target whose year ends on or after `after`, else the last target."""
    targets = [p for p in path_of(points) if p.kind == TARGET]
    for point in targets:
        if point.on >= after:
            return point
    return targets[-1] if targets else None


def track_status(*, points, observations, on: date, direction: str,
                 tolerance: float) -> Track:
    """Whether the indicator is on track on `on` (the rule in this module's docstring), with the
    figures the rule read."""
    seen = sorted((o for o in observations if o.on <= on), key=lambda o: o.on)
    latest = seen[-1] if seen else None
    target = target_ahead(points, latest.on if latest else on)
    if latest is None or target is None:
        return Track(NO_DATA, expected=expected_on(points, on), target=target)
    if meets(latest.value, target.value, direction):
        return Track(ON_TRACK, expected=expected_on(points, latest.on), latest=latest,
                     target=target, gap_ok=True, forecast_ok=True)
    expected = expected_on(points, latest.on)
    forecast = forecast_on(seen, target.on)
    gap_ok = None
    if expected is not None:
        allowance = tolerance * abs(expected)
        goal = expected - allowance if direction in HIGHER_IS_BETTER else expected + allowance
        gap_ok = meets(latest.value, goal, direction)
    forecast_ok = None if forecast is None else meets(forecast, target.value, direction)
    tests = [test for test in (gap_ok, forecast_ok) if test is not None]
    if not tests:
        status = NO_DATA
    elif all(tests):
        status = ON_TRACK
    elif len(tests) == 1:
        status = OFF_TRACK if gap_ok is False else AT_RISK
    elif any(tests):
        status = AT_RISK
    else:
        status = OFF_TRACK
    return Track(status, expected=expected, latest=latest, target=target, forecast=forecast,
                 gap_ok=gap_ok, forecast_ok=forecast_ok)
