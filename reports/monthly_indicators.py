"""The indicators in the monthly report: each indicator of a tracked resolution (or of one a
tracked resolution implements) with its baseline, its latest approved national value up to the
cut-off, the target ahead of it and its track status on the cut-off, JSON-ready so that an
issued report keeps them as they stood. Three queries, whatever the number of indicators."""

from datetime import date

from django.db.models import Prefetch, Q

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from indicators.status import indicator_track
from tasks.models import Resolution


def _number(value) -> float | None:
    return None if value is None else float(value)


def monthly_indicator_data(*, cutoff: date) -> list[dict]:
    """[{"indicator_id", "resolution", "code", "name", "name_en", "measure", "measure_en",
    "frequency", "baseline_value", "baseline_year", "latest_value", "latest_period_end",
    "target_value", "target_year", "status"}] in the programme's order."""
    tracked = Resolution.objects.filter(is_tracked=True)
    indicators = (
        Indicator.objects.filter(Q(resolution__in=tracked)
                                 | Q(resolution__in=tracked.values("implements_id")))
        .select_related("resolution")
        .prefetch_related(
            Prefetch("targets", IndicatorTarget.objects.filter(unit__isnull=True)
                     .order_by("year", "id")),
            Prefetch("values", IndicatorValue.objects.filter(
                unit__isnull=True, state=IndicatorValue.State.APPROVED,
                period_end__lte=cutoff).order_by("period_end", "id")))
        .order_by("resolution__issued_on", "resolution__number", "sort_key", "id"))
    rows = []
    for indicator in indicators:
        track = indicator_track(indicator, on=cutoff)
        rows.append({
            "indicator_id": indicator.pk, "resolution": indicator.resolution.number,
            "code": indicator.code, "name": indicator.name, "name_en": indicator.name_en,
            "measure": indicator.measure, "measure_en": indicator.measure_en,
            "frequency": indicator.frequency,
            "baseline_value": _number(indicator.baseline_value),
            "baseline_year": indicator.baseline_year,
            "latest_value": track.latest.value if track.latest else None,
            "latest_period_end": track.latest.on.isoformat() if track.latest else None,
            "target_value": track.target.value if track.target else None,
            "target_year": track.target.year if track.target else None,
            "status": track.status,
        })
    return rows
