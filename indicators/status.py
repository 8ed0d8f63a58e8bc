"""An indicator's trajectory and track status read from its rows: the glue between the models
and the pure rules of indicators.trajectory.

Reads `indicator.targets.all()` and `indicator.values.all()`: prefetch them (approved values
only, see indicators.selectors) for many indicators.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import trajectory
from .models import IndicatorTarget, IndicatorValue


class TrackStatus(models.TextChoices):
    ON_TRACK = trajectory.ON_TRACK, _("On track")
    AT_RISK = trajectory.AT_RISK, _("At risk")
    OFF_TRACK = trajectory.OFF_TRACK, _("Off track")
    NO_DATA = trajectory.NO_DATA, _("No data")


def tolerance() -> float:
    return float(getattr(settings, "INDICATOR_TOLERANCE", 0.05))


def points_of(indicator, unit_id: int | None = None) -> list[trajectory.Point]:
    """The trajectory's points: the national baseline and targets; for a unit, its own targets
    (and baseline) when it has any target of its own, else the national ones."""
    targets = list(indicator.targets.all())
    own = [t for t in targets if unit_id is not None and t.unit_id == unit_id]
    if own and any(t.kind == IndicatorTarget.Kind.TARGET for t in own):
        return [trajectory.Point(t.year, float(t.value), t.kind) for t in own]
    points = [trajectory.Point(t.year, float(t.value), t.kind) for t in targets
              if t.unit_id is None]
    if indicator.baseline_value is not None:
        points.append(trajectory.Point(indicator.baseline_year, float(indicator.baseline_value),
                                       trajectory.BASELINE))
    return points


def observations_of(indicator, unit_id: int | None = None) -> list[trajectory.Observation]:
    """The approved values of the national figure (or of one unit), oldest first."""
    return sorted((trajectory.Observation(v.period_end, float(v.value))
                   for v in indicator.values.all()
                   if v.unit_id == unit_id and v.state == IndicatorValue.State.APPROVED),
                  key=lambda o: o.on)


def indicator_track(indicator, *, on: date, unit_id: int | None = None) -> trajectory.Track:
    return trajectory.track_status(
        points=points_of(indicator, unit_id), observations=observations_of(indicator, unit_id),
        on=on, direction=indicator.direction, tolerance=tolerance())


def status_label(status: str) -> str:
    return TrackStatus(status).label
