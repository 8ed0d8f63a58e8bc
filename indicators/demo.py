"""The demo's indicators: the aims of 72-NQ/TW as the press published them (facts), and a few
illustrative ones, with months of values that put the track statuses in every state.

Baselines, target years the press did not give, and every value are illustrative, and flagged
so. Values are made from the trajectory itself (a share of the expected value), so the statuses
stay the same whatever day the demo is loaded. Only for demonstration; idempotent.
"""

from datetime import date
from decimal import Decimal

from tasks.models import Resolution, Task
from units.models import Unit, User

from .models import Indicator, IndicatorValue
from .periods import recent_periods
from .services import (
    indicator_create,
    indicator_target_set,
    indicator_value_approve,
    indicator_value_save,
    indicator_value_submit,
)
from .status import points_of
from .trajectory import expected_on

ILLUSTRATIVE = "Số liệu minh họa (demo), không phải số liệu chính thức."
FIRST_PERIOD = date(2025, 10, 1)

#: code → definition, targets ((year, value, kind, illustrative)), contributing task codes,
#: and how its values run: a share of the expected value (None: no values).
INDICATORS = [
    {"code": "1", "name": "Tuổi thọ trung bình", "name_en": "Average life expectancy",
     "measure": "năm", "measure_en": "years", "direction": "at_least", "frequency": "yearly",
     "responsible": "BYT-KHTC", "baseline": ("74.7", 2024), "tasks": ["4.1"],
     "targets": [(2030, "75.5", "target", False)], "share": 1.0,
     "source": "Cục Thống kê (Bộ Tài chính)"},
    {"code": "2", "name": "Số năm sống khỏe", "name_en": "Healthy life years",
     "measure": "năm", "measure_en": "years", "direction": "at_least", "frequency": "yearly",
     "responsible": "BYT-KHTC", "baseline": ("65", 2024), "tasks": ["4.1"],
     "targets": [(2030, "68", "target", False)], "share": None, "source": "Bộ Y tế"},
    {"code": "3", "name": "Tỷ lệ bao phủ tiêm chủng mở rộng",
     "name_en": "Coverage of the expanded programme on immunisation", "measure": "%",
     "direction": "higher", "frequency": "monthly", "responsible": "BYT-PB",
     "baseline": ("90", 2024), "tasks": ["2.4", "2.5"],
     "targets": [(2030, "95", "target", False)], "share": 1.01,
     "breakdown": {"HN": (1.02, "97"), "HCM": (0.97, None), "NA": (0.85, "95"), "DNG": None},
     "source": "Hệ thống thông tin tiêm chủng quốc gia",
     "note": "Nghị quyết: trên 95% vào năm 2030."},
    {"code": "4", "name": "Tỷ lệ người dân có sổ sức khỏe điện tử",
     "name_en": "Share of people with an electronic health book", "measure": "%",
     "direction": "at_least", "frequency": "monthly", "responsible": "BYT-CNTT",
     "baseline": ("20", 2024), "tasks": ["5.2", "5.1"],
     "targets": [(2026, "60", "milestone", True), (2030, "100", "target", True)],
     "share": 0.97, "source": "Cơ sở dữ liệu quốc gia về y tế",
     "note": "Nghị quyết: mọi người dân có sổ sức khỏe điện tử; các mốc năm là minh họa."},
    {"code": "5", "name": "Tỷ lệ người dân được khám sức khỏe định kỳ hoặc khám sàng lọc miễn "
     "phí ít nhất mỗi năm một lần",
     "name_en": "Share of people with a free periodic check-up or screening at least once a "
     "year", "measure": "%", "direction": "at_least", "frequency": "quarterly",
     "responsible": "BYT-PB", "baseline": ("10", 2025), "tasks": ["2.4", "4.2"],
     "targets": [(2026, "40", "milestone", True), (2030, "100", "target", True)],
     "share": 0.8, "source": "Báo cáo của Sở Y tế các tỉnh",
     "note": "Nghị quyết: từ năm 2026, theo nhóm ưu tiên; các mốc là minh họa."},
    {"code": "6", "name": "Tỷ lệ miễn viện phí ở mức cơ bản trong phạm vi quyền lợi bảo hiểm y tế",
     "name_en": "Basic hospital fees exempted within health-insurance benefits",
     "measure": "%", "direction": "at_least", "frequency": "yearly", "responsible": "BYT-BHYT",
     "baseline": None, "tasks": ["4.4", "4.3"], "targets": [(2030, "100", "target", True)],
     "share": None, "source": "Bảo hiểm xã hội Việt Nam",
     "note": "Nghị quyết: theo lộ trình; năm đích là minh họa."},
    {"code": "MH1", "name": "Tỷ lệ bao phủ bảo hiểm y tế", "name_en": "Health-insurance coverage",
     "measure": "%", "direction": "at_least", "frequency": "monthly", "responsible": "BYT-BHYT",
     "baseline": ("94.2", 2024), "tasks": ["4.3"], "illustrative": True,
     "targets": [(2030, "99", "target", True)], "share": 0.999,
     "breakdown": {"HN": (1.0, None), "HCM": (0.93, None)},
     "source": "Bảo hiểm xã hội Việt Nam"},
    {"code": "MH2", "name": "Tỷ lệ chi tiêu y tế trực tiếp từ tiền túi của hộ gia đình",
     "name_en": "Out-of-pocket share of health spending", "measure": "%",
     "direction": "at_most", "frequency": "quarterly", "responsible": "BYT-KHTC",
     "baseline": ("40", 2024), "tasks": ["4.4", "6.1"], "illustrative": True,
     "targets": [(2030, "30", "target", True)], "share": 1.2,
     "source": "Tài khoản y tế quốc gia"},
]


def indicators_demo_load(*, today: date) -> int:
    """Create the demo's indicators and their values (idempotent); how many values were added."""
    resolution = Resolution.objects.filter(number="72-NQ/TW").first()
    secretariat = User.objects.filter(username="secretariat").first()
    if resolution is None or secretariat is None:
        return 0
    units = {unit.code: unit for unit in Unit.objects.all()}
    tasks = {task.code: task for task in Task.objects.filter(resolution__number="282/NQ-CP")}
    added = 0
    for row in INDICATORS:
        indicator = Indicator.objects.filter(resolution=resolution, code=row["code"]).first()
        if indicator is None:
            indicator = _create(row, resolution, secretariat, units, tasks)
        if not IndicatorValue.objects.filter(indicator=indicator).exists() and row["share"]:
            added += _values(indicator, row, units, today)
    return added


def _create(row, resolution, actor, units, tasks) -> Indicator:
    baseline = row["baseline"]
    breakdown = [units[code] for code in row.get("breakdown", {}) if code in units]
    indicator = indicator_create(
        actor=actor, resolution=resolution, code=row["code"], name=row["name"],
        name_en=row["name_en"], measure=row["measure"], measure_en=row.get("measure_en", ""),
        direction=row["direction"], frequency=row["frequency"],
        responsible_unit=units[row["responsible"]],
        baseline_value=Decimal(baseline[0]) if baseline else None,
        baseline_year=baseline[1] if baseline else None,
        baseline_source=ILLUSTRATIVE if baseline else "", baseline_illustrative=bool(baseline),
        data_source=row["source"], is_illustrative=row.get("illustrative", False),
        note=row.get("note", ""), breakdown_units=breakdown,
        tasks=[tasks[code] for code in row["tasks"] if code in tasks])
    for year, value, kind, illustrative in row["targets"]:
        indicator_target_set(actor=actor, indicator=indicator, year=year, value=Decimal(value),
                             kind=kind, is_illustrative=illustrative or row.get("illustrative",
                                                                                 False))
    for code, plan in row.get("breakdown", {}).items():
        if plan and plan[1] and code in units:
            indicator_target_set(actor=actor, indicator=indicator, unit=units[code], year=2030,
                                 value=Decimal(plan[1]), is_illustrative=True)
    return indicator


def _people(unit):
    prefix = unit.code.lower()
    found = {u.username: u for u in User.objects.filter(
        username__in=[f"{prefix}.reporter", f"{prefix}.leader"])}
    return found.get(f"{prefix}.reporter"), found.get(f"{prefix}.leader")


def _values(indicator, row, units, today) -> int:
    periods = [end for end in recent_periods(indicator.frequency, today=today, count=40)
               if FIRST_PERIOD <= end < today][::-1]
    series = [(None, row["share"], indicator.responsible_unit)]
    series += [(units[code], plan[0], units[code]) for code, plan in row.get("breakdown",
                                                                              {}).items()
               if plan and code in units]
    added = 0
    for unit, share, reporting in series:
        reporter, leader = _people(reporting)
        if reporter is None or leader is None:
            continue
        points = points_of(indicator, unit.pk if unit else None)
        for number, end in enumerate(periods):
            expected = expected_on(points, end)
            if expected is None:
                continue
            value = indicator_value_save(
                actor=reporter, indicator=indicator, unit=unit, period_end=end,
                expected_version=0, fields={
                    "value": Decimal(f"{expected * share:.2f}"), "source_note": ILLUSTRATIVE,
                    "is_final": number < len(periods) - 2}).value
            added += 1
            last = number == len(periods) - 1
            if last and indicator.code in ("3", "MH1"):
                indicator_value_submit(value=value, actor=reporter)  # awaiting approval
            elif not (last and indicator.code == "4"):  # "4" keeps its latest as a draft
                indicator_value_submit(value=value, actor=reporter)
                indicator_value_approve(value=value, actor=leader)
        indicator.refresh_from_db()
    return added

