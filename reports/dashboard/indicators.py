"""The indicators on the dashboard: how many are on track, at risk, off track or without data on
a day, and each one's figures, for the dashboard's resolution, group and unit filters (the unit
read as the unit responsible for the figure). Indicators are the programme's public aims: every
reader of the dashboard sees every one. A fixed number of queries (the indicators, their
targets, their approved national values), cached until they change: keyed by the indicators'
version and the choices version (core.versions), not by the data version, so that the changes to
tasks and reports of a reporting rush leave them cached."""

from datetime import date

from django.db.models import QuerySet

from core import versions
from indicators.models import Indicator
from indicators.selectors import indicator_list_with_series
from indicators.status import TrackStatus, indicator_track, tolerance
from units.models import Unit

from .cache import cache_key, cached, queryset_identity

#: The order of the counts and of the list: what needs attention first.
ORDER = [TrackStatus.OFF_TRACK, TrackStatus.AT_RISK, TrackStatus.ON_TRACK, TrackStatus.NO_DATA]


def filtered_indicators(*, user, filters) -> QuerySet[Indicator]:
    """The indicators the user reads that the dashboard's filters (a tasks.filters.TaskFilter)
    choose: by resolution, task group, lead unit (responsible unit) and unit (the responsible
    unit or one under it). Invalid filters choose nothing, as they do for tasks."""
    indicators = indicator_list_with_series(user=user)
    if not filters.is_bound:
        return indicators
    if not filters.is_valid():
        return indicators.none()
    data = filters.form.cleaned_data
    if data.get("resolution"):
        indicators = indicators.filter(resolution=data["resolution"])
    if data.get("group"):
        indicators = indicators.filter(group=data["group"])
    if data.get("lead_unit"):
        indicators = indicators.filter(responsible_unit_id=data["lead_unit"])
    if data.get("unit"):
        path = Unit.objects.filter(pk=data["unit"]).values_list("path", flat=True).first()
        indicators = (indicators.filter(responsible_unit__path__startswith=path) if path
                      else indicators.none())
    return indicators


def _row(indicator: Indicator, *, on: date) -> dict:
    track = indicator_track(indicator, on=on)
    return {
        "pk": indicator.pk, "code": indicator.code, "name": indicator.display_name,
        "resolution": indicator.resolution.number, "measure": indicator.display_measure,
        "responsible": indicator.responsible_unit.display_name,
        "status": track.status,
        "latest": track.latest.value if track.latest else None,
        "latest_on": track.latest.on if track.latest else None,
        "expected": track.expected,
        "target": track.target.value if track.target else None,
        "target_year": track.target.year if track.target else None,
    }


def dashboard_indicators(*, indicators: QuerySet[Indicator], on: date) -> dict:
    """{"counts": [(status, count)] off track first, "total", "off_track", "rows": [{"pk",
    "code", "name", "resolution", "measure", "responsible", "status", "latest", "latest_on",
    "expected", "target", "target_year"}] off track first, then at risk, on track, no data}
    for the indicators of `indicators` (indicator_list_with_series) on `on`."""
    def compute():
        rows = [_row(indicator, on=on) for indicator in indicators]
        rank = {status.value: place for place, status in enumerate(ORDER)}
        rows.sort(key=lambda row: rank[row["status"]])  # stable: the indicators' own order
        counts = {status.value: 0 for status in ORDER}
        for row in rows:
            counts[row["status"]] += 1
        return {"counts": list(counts.items()), "total": len(rows),
                "off_track": counts[TrackStatus.OFF_TRACK.value], "rows": rows}

    parts = {"indicators": queryset_identity(indicators), "on": on, "tolerance": tolerance()}
    own, choices = versions.current("indicators"), versions.current("choices")
    if own is None or choices is None:
        return compute()
    return cached("indicators", parts, compute,
                  key=cache_key("indicators", version=f"{own}/{choices}", parts=parts))
