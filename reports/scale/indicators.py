"""The indicators of the scale programme: about 200 across the resolutions, half of them broken
down by 34 provinces, each with a baseline, a milestone and a target, and five years of values
(the national figure and every province's), most approved, the latest ones still on their way.
Written with COPY, like the rest of the scale programme; nothing through the services."""

import random
from datetime import date, datetime
from decimal import Decimal

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from tasks.models import code_sort_key

from .bulk import MARK, allocate_ids, at, copy_rows

#: Provinces of a broken-down indicator (the provinces and cities after the 2025 merger).
PROVINCES = 34
YEARS = 5
MEASURES = [("%", "%"), ("người", "people"), ("giường/vạn dân", "beds per 10,000"),
            ("tuổi", "years"), ("cơ sở", "facilities")]


def _copy(model, rows: list[dict]) -> int:
    """COPY rows given by field name (attname) into the model's table."""
    fields = model._meta.concrete_fields
    return copy_rows(model._meta.db_table, tuple(f.column for f in fields),
                     (tuple(row[f.attname] for f in fields) for row in rows))


def _value(rng: random.Random, start: float, goal: float, share: float, pace: float) -> Decimal:
    """A value `share` of the way from `start` to `goal` at `pace` (1: on the line), noisy."""
    figure = start + (goal - start) * share * pace * rng.uniform(0.9, 1.1)
    return Decimal(str(round(max(figure, 0), 1)))


def write_indicators(rng: random.Random, *, count: int, resolutions, groups: dict,
                     provinces: list[int], responsible: list[int], today: date, now: datetime,
                     users: dict) -> dict:
    """`count` indicators over `resolutions`, with their targets and values; returns the number
    of each kind of row written."""
    ids = allocate_ids(Indicator, count)
    provinces = provinces[:PROVINCES]
    indicators, targets, breakdown, values = [], [], [], []
    first_year = today.year - YEARS
    plans = []
    for index, pk in enumerate(ids):
        resolution = resolutions[index % len(resolutions)]
        group = groups[resolution.pk][index % len(groups[resolution.pk])]
        measure, measure_en = MEASURES[index % len(MEASURES)]
        lower = index % 7 == 0
        start = rng.uniform(20, 80)
        goal = start * (0.6 if lower else rng.uniform(1.15, 1.4))
        code = f"{index // len(resolutions) + 1}"
        broken_down = index % 2 == 0
        indicators.append({
            "id": pk, "resolution_id": resolution.pk, "group_id": group.pk, "code": code,
            "name": f"Chỉ tiêu quy mô số {index + 1}: tỷ lệ đạt chuẩn y tế cơ sở",
            "name_en": f"Scale indicator no. {index + 1}: share meeting the standard",
            "measure": measure, "measure_en": measure_en,
            "direction": "lower" if lower else "higher",
            "baseline_value": Decimal(str(round(start, 1))), "baseline_year": first_year,
            "baseline_source": f"{MARK}: Niên giám thống kê y tế", "baseline_illustrative": True,
            "frequency": "yearly", "responsible_unit_id": responsible[index % len(responsible)],
            "data_source": "Tổng cục Thống kê", "is_illustrative": True,
            "note": f"{MARK}: dữ liệu đo hiệu năng", "sort_key": code_sort_key(code)[:80],
            "created_at": now, "updated_at": now, "version": 1})
        milestones = [("milestone", today.year + 1, 0.6)] if today.year + 1 < 2030 else []
        for kind, year, share in (*milestones, ("target", max(2030, today.year + 1), 1.0)):
            targets.append({"id": None, "indicator_id": pk, "unit_id": None, "kind": kind,
                            "year": year,
                            "value": Decimal(str(round(start + (goal - start) * share, 1))),
                            "is_illustrative": True, "note": "", "updated_at": now})
        units = [None, *provinces] if broken_down else [None]
        if broken_down:
            breakdown += [(pk, unit) for unit in provinces]
        # Most keep pace; some fall behind, a few stall: every track status appears.
        pace = rng.choice([1.0, 1.0, 1.0, 0.7, 0.3])
        plans.append((pk, units, start, goal, pace))
    target_ids = iter(allocate_ids(IndicatorTarget, len(targets)))
    for row in targets:
        row["id"] = next(target_ids)
    value_count = sum(len(units) for _pk, units, *_rest in plans) * YEARS
    value_ids = iter(allocate_ids(IndicatorValue, value_count))
    span = max(2030, today.year + 1) - first_year
    for pk, units, start, goal, pace in plans:
        for offset in range(YEARS):
            year = first_year + offset
            latest = offset == YEARS - 1
            state = rng.choice(["approved", "submitted", "draft"]) if latest else "approved"
            for unit in units:
                decided = state == "approved"
                when = at(date(year + 1, 1, 20), 10)
                values.append({
                    "id": next(value_ids), "indicator_id": pk, "unit_id": unit,
                    "period_end": date(year, 12, 31),
                    "value": _value(rng, start, goal, (offset + 1) / span, pace),
                    "is_final": decided, "source_note": "Tổng cục Thống kê",
                    "evidence_link": "", "evidence_note": "", "state": state,
                    "created_by_id": users["reporter"], "created_at": when, "updated_at": when,
                    "submitted_by_id": None if state == "draft" else users["reporter"],
                    "submitted_at": None if state == "draft" else when,
                    "decided_by_id": users["leader"] if decided else None,
                    "decided_at": at(date(year + 1, 1, 25), 15) if decided else None,
                    "return_comment": "", "reopen_reason": "", "version": 1})
    _copy(Indicator, indicators)
    _copy(IndicatorTarget, targets)
    copy_rows(Indicator.breakdown_units.through._meta.db_table, ("indicator_id", "unit_id"),
              breakdown)
    _copy(IndicatorValue, values)
    return {"indicators": len(indicators), "targets": len(targets), "values": len(values)}
