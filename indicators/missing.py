"""Which indicator values are due and not yet submitted (selectors: they never write).

For each indicator, the value due is that of the last period of its frequency that has ended
(on 15/12/2025: November for a monthly indicator, Q3 for a quarterly one, 2024 for a yearly
one). It is expected from the indicator's responsible unit (the national figure) and from each
unit of its breakdown that exists on the day. A value is missing while there is none, or it is
a draft, or it was returned: once submitted it is the leader's to decide, not missing.

The reminder job (indicators.jobs.remind_missing_values) and the secretariat's figure on the
indicator list read the same function, in a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch

from tasks.models import code_sort_key
from units.models import Unit

from .models import Indicator, IndicatorValue
from .periods import recent_periods

#: Days after a period's end from which its missing values are late (a second reminder).
DEFAULT_LATE_DAYS = 15
DUE, LATE = "due", "late"
_SENT = frozenset({IndicatorValue.State.SUBMITTED, IndicatorValue.State.APPROVED})


def late_days() -> int:
    return int(getattr(settings, "INDICATOR_VALUE_LATE_DAYS", DEFAULT_LATE_DAYS))


def due_period_end(frequency: str, on: date) -> date:
    """The last day of the latest period of `frequency` that has ended before `on`."""
    return recent_periods(frequency, today=on, count=2)[1]


def stage_of(period_end: date, on: date) -> str:
    """"due" until INDICATOR_VALUE_LATE_DAYS after the period's end, "late" from then."""
    return LATE if on > period_end + timedelta(days=late_days()) else DUE


@dataclass(frozen=True)
class MissingValue:
    indicator: Indicator
    #: The unit expected to enter it (the responsible unit for the national figure).
    unit: Unit
    #: Whether it is the national figure (else the unit's own value of the breakdown).
    national: bool
    period_end: date
    #: "none", "draft" or "returned".
    state: str


@dataclass
class UnitMissing:
    """What one unit has still to submit, by period."""

    unit: Unit
    values: list[MissingValue] = field(default_factory=list)

    @property
    def codes(self) -> str:
        return ", ".join(sorted({value.indicator.code for value in self.values},
                                key=code_sort_key))


def missing_values(*, on: date, indicators=None) -> list[MissingValue]:
    """Every value due on `on` and not submitted, indicator by indicator (national figure
    first, then the breakdown units in their order). Three queries whatever the number."""
    today_units = Unit.objects.existing_on(on).order_by("path")
    indicators = list((indicators if indicators is not None else Indicator.objects.all())
                      .select_related("responsible_unit", "resolution")
                      .prefetch_related(Prefetch("breakdown_units", today_units))
                      .order_by("resolution_id", "sort_key", "id"))
    ends = {due_period_end(indicator.frequency, on) for indicator in indicators}
    states = {(indicator_id, unit_id, end): state for indicator_id, unit_id, end, state in
              IndicatorValue.objects.filter(period_end__in=ends,
                                            indicator__in=[i.pk for i in indicators])
              .values_list("indicator_id", "unit_id", "period_end", "state")} if ends else {}
    missing = []
    for indicator in indicators:
        end = due_period_end(indicator.frequency, on)
        expected = [(indicator.responsible_unit, True)] if indicator.responsible_unit.exists_on(
            on) else []
        expected += [(unit, False) for unit in indicator.breakdown_units.all()]
        for unit, national in expected:
            state = states.get((indicator.pk, None if national else unit.pk, end), "none")
            if state not in _SENT:
                missing.append(MissingValue(indicator=indicator, unit=unit, national=national,
                                            period_end=end, state=state))
    return missing


def missing_by_unit(missing: list[MissingValue]) -> dict[tuple[int, str, date], UnitMissing]:
    """The missing values grouped by (unit, frequency, period end), in the order of the units'
    tree: one reminder each."""
    grouped: dict[tuple[int, str, date], UnitMissing] = {}
    for value in sorted(missing, key=lambda v: (v.unit.path, v.period_end)):
        key = (value.unit.pk, value.indicator.frequency, value.period_end)
        grouped.setdefault(key, UnitMissing(unit=value.unit)).values.append(value)
    return grouped


def missing_summary(missing: list[MissingValue]) -> dict:
    """What the secretariat reads: how many values are missing, from how many units, each
    unit's list (one line per unit and period)."""
    units = defaultdict(int)
    for value in missing:
        units[value.unit.pk] += 1
    return {"count": len(missing), "units": len(units),
            "rows": list(missing_by_unit(missing).values())}
