"""Checking an annex of targets row by row: a plan of what would be created or changed, and every
error with the row's number and the reason, in the active language. Reads nothing but the
database and the file.

A row with a code is an indicator; a row under it without a code that names a unit (in the
reporting-unit column, or as a bulleted name "- Hà Nội") is that unit's own baseline and
targets; a row with neither figures nor units is a heading ("A. CHỈ TIÊU VỀ SỨC KHỎE") and is
passed over. An indicator is matched by its code within the resolution: importing the file
again changes nothing, an edited file updates what was edited.
"""

import re
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.text import localized
from tasks.exchange.cells import same_text
from tasks.exchange.matching import UnitIndex
from tasks.models import Resolution

from ..models import Direction, Frequency, Indicator, IndicatorTarget
from .cellvalues import (
    NotANumber,
    parse_direction,
    parse_figure,
    parse_frequency,
    parse_year,
    split_baseline,
)
from .columns import BY_KEY, TARGET_PREFIX, column_label
from .plans import IndicatorPlan, RowPlan, TargetSpec, file_error
from .reading import Table

_BULLET = re.compile(r"^\s*[-+•*–]\s*")
_TEXTS = {"name": None, "name_en": None, "measure": 40, "data_source": None, "note": None}


def _label(key: str) -> str:
    return column_label(key)


def _figure(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _unit_name(unit) -> str:
    return localized(unit.name, unit.name_en)


class _Checker:
    def __init__(self, *, resolution: Resolution, table: Table):
        self.resolution = resolution
        self.table = table
        self.present = set(table.columns)
        self.years = sorted(int(key[len(TARGET_PREFIX):]) for key in table.columns
                            if key.startswith(TARGET_PREFIX))
        self.plan = IndicatorPlan(resolution=resolution, columns=table.columns,
                                  ignored=table.ignored)
        self.units = UnitIndex.load()
        targets = IndicatorTarget.objects.order_by("year", "id")
        self.existing = {indicator.code: indicator for indicator in (
            Indicator.objects.filter(resolution=resolution).select_related("responsible_unit")
            .prefetch_related(Prefetch("targets", targets), "breakdown_units"))}
        self.seen: dict[str, int] = {}
        self.current: RowPlan | None = None

    def error(self, row, message: str, code: str = "") -> None:
        self.plan.add_error(row, message, code)

    def run(self, progress: Callable[[float], None] | None = None) -> IndicatorPlan:
        rows = self.table.rows
        for index, row in enumerate(rows):
            self.check_row(row)
            if progress and index % 50 == 0:
                progress(index / len(rows))
        if not self.plan.rows and not self.plan.errors:
            self.plan.errors.append(file_error(_("The file has a header but no indicator rows.")))
        self.plan.not_in_file = len(self.existing.keys() - self.seen.keys())
        return self.plan

    # Rows ------------------------------------------------------------------------------------

    def _value(self, row, key: str) -> str:
        return row.values.get(key, "") if key in self.present else ""

    def check_row(self, row) -> None:
        code = " ".join(self._value(row, "code").split()) or (
            "" if "code" in self.present else " ".join(self._value(row, "serial").split()))
        code = code.rstrip(".") if code.rstrip(".").replace(".", "").isdigit() else code
        name = self._value(row, "name")
        figures = [self._value(row, "baseline")] + [
            self._value(row, f"{TARGET_PREFIX}{year}") for year in self.years]
        breakdown_text = self._value(row, "breakdown_unit")
        if not code and self.current is not None and (breakdown_text or _BULLET.match(name)):
            self.plan.breakdown_rows += 1
            self.check_breakdown(row, breakdown_text or _BULLET.sub("", name).strip())
            return
        if not any(figures) and not self._value(row, "measure") and not self._value(
                row, "responsible_unit") and not breakdown_text:
            self.plan.headings += 1
            return
        if not code:
            self.current = None
            self.error(row, _("The indicator code is missing: every indicator needs one (for "
                              "example \"1.2\"), to be matched when the file is imported again."))
            return
        self.check_indicator(row, code)

    def check_indicator(self, row, code: str) -> None:
        # Rows of units under a refused indicator are still checked, against a plan never kept.
        self.current = RowPlan(number=row.number, code=code)
        if len(code) > 20:
            self.error(row, _("The code \"%(code)s\" is too long (20 characters at most).")
                       % {"code": code}, code)
            return
        if code in self.seen:
            self.error(row, _("Code %(code)s is already used in row %(row)s.")
                       % {"code": code, "row": self.seen[code]}, code)
            return
        self.seen[code] = row.number
        indicator = self.existing.get(code)
        plan = RowPlan(number=row.number, code=code, indicator=indicator)
        fields = self._texts(row, code, indicator)
        baseline = self._baseline(row, code)
        if baseline is not None:
            fields["baseline_value"], fields["baseline_year"] = baseline
        targets, hints = self._targets(row, code)
        fields.update(self._choices(row, code, indicator, hints))
        responsible = self._responsible(row, code, indicator)
        if responsible is not None:
            fields["responsible_unit"] = responsible
        self._fields_plan(plan, fields)
        self._targets_plan(plan, targets, unit=None)
        self.plan.rows.append(plan)
        self.current = plan

    def check_breakdown(self, row, text: str) -> None:
        parent = self.current
        units, unknown, ambiguous = self.units.find_list(text)
        if unknown or ambiguous or len(units) != 1:
            self.error(row, _("Unit not found: \"%(name)s\". Write its name or code as it is in "
                              "the list of units.") % {"name": text} if not ambiguous else
                       _("\"%(name)s\" could be several units (%(codes)s): write the unit's "
                         "code.") % {"name": text, "codes": ", ".join(
                             unit.code for unit in ambiguous[0][1])}, parent.code)
            return
        unit = units[0]
        if unit.pk in parent.breakdown_rows:
            self.error(row, _("%(unit)s is already given for indicator %(code)s in row "
                              "%(row)s.") % {"unit": _unit_name(unit), "code": parent.code,
                                             "row": parent.breakdown_rows[unit.pk]}, parent.code)
            return
        parent.breakdown_rows[unit.pk] = row.number
        known = parent.indicator is not None and any(
            u.pk == unit.pk for u in parent.indicator.breakdown_units.all())
        if not known:
            parent.breakdown_add.append(unit)
            parent.change(str(_("Units reporting their own value")), "",
                          "+ " + _unit_name(unit))
        targets, _hints = self._targets(row, parent.code)
        baseline = self._baseline(row, parent.code, default_year=parent.fields.get(
            "baseline_year") or getattr(parent.indicator, "baseline_year", None))
        if baseline is not None:
            if baseline[1] in {target[0] for target in targets}:
                self.error(row, _("The baseline year %(year)s is also a target year.")
                           % {"year": baseline[1]}, parent.code)
                return
            targets.append((baseline[1], baseline[0], IndicatorTarget.Kind.BASELINE))
        self._targets_plan(parent, targets, unit=unit)

    # Cells -----------------------------------------------------------------------------------

    def _texts(self, row, code: str, indicator) -> dict:
        texts = {}
        for name, limit in _TEXTS.items():
            text = self._value(row, name)
            if limit and len(text) > limit:
                self.error(row, _("%(column)s is too long (%(max)s characters at most).")
                           % {"column": _label(name), "max": limit}, code)
            elif text:
                texts[name] = text
        if indicator is None:
            if "name" not in texts:
                self.error(row, _("The indicator's name is missing."), code)
            if "measure" not in texts:
                self.error(row, _("The unit of measure is missing (for example \"%\", "
                                  "\"năm\", \"người\")."), code)
        return texts

    def _baseline(self, row, code: str, default_year=None):
        """(value, year) of the row's baseline; None when there is none or after an error."""
        text, year = split_baseline(self._value(row, "baseline"))
        year_text = self._value(row, "baseline_year")
        if year is None and year_text:
            year = parse_year(year_text)
            if year is None:
                self.error(row, _("\"%(text)s\" is not a year (write it as 2024).")
                           % {"text": year_text}, code)
                return None
        if not text:
            return None
        try:
            value = parse_figure(text).value
        except NotANumber:
            self.error(row, _("The baseline \"%(text)s\" is not a number (write it as 73,7 or "
                              "95%%).") % {"text": text}, code)
            return None
        year = year or self.table.baseline_year or default_year
        if year is None:
            self.error(row, _("Give the year of the baseline: \"73,7 (2024)\", or a column "
                              "\"Năm cơ sở\"."), code)
            return None
        return value, year

    def _targets(self, row, code: str) -> tuple[list[tuple], list[str]]:
        targets, hints = [], []
        for year in self.years:
            text = self._value(row, f"{TARGET_PREFIX}{year}")
            if not text:
                continue
            try:
                figure = parse_figure(text)
            except NotANumber:
                self.error(row, _("The target for %(year)s, \"%(text)s\", is not a number "
                                  "(write it as 75,5, 95%% or ≥ 95%%).")
                           % {"year": year, "text": text}, code)
                continue
            targets.append((year, figure.value, IndicatorTarget.Kind.TARGET))
            if figure.direction:
                hints.append(figure.direction)
        return targets, hints

    def _choices(self, row, code: str, indicator, hints: list[str]) -> dict:
        fields = {}
        text = self._value(row, "direction")
        direction = parse_direction(text) if text else None
        if text and direction is None:
            self.error(row, _("\"%(text)s\" is not a direction: write \"Tăng\", \"Giảm\", "
                              "\"Ít nhất\" or \"Tối đa\".") % {"text": text}, code)
        elif direction is None and len(set(hints)) == 1:
            direction = hints[0]
        if direction is None and indicator is None:
            direction = Direction.HIGHER
        if direction is not None:
            fields["direction"] = direction
        text = self._value(row, "frequency")
        frequency = parse_frequency(text) if text else None
        if text and frequency is None:
            self.error(row, _("\"%(text)s\" is not a frequency: write \"Hằng tháng\", \"Hằng "
                              "quý\" or \"Hằng năm\".") % {"text": text}, code)
        if frequency is None and indicator is None:
            frequency = Frequency.YEARLY
        if frequency is not None:
            fields["frequency"] = frequency
        return fields

    def _responsible(self, row, code: str, indicator):
        text = self._value(row, "responsible_unit")
        if not text:
            if indicator is None:
                self.error(row, _("The lead unit (responsible for the figure) is missing."),
                           code)
            return None
        units, unknown, ambiguous = self.units.find_list(text)
        for name in unknown:
            self.error(row, _("Unit not found: \"%(name)s\". Write its name or code as it is "
                              "in the list of units.") % {"name": name}, code)
        for name, candidates in ambiguous:
            self.error(row, _("\"%(name)s\" could be several units (%(codes)s): write the "
                              "unit's code.") % {"name": name, "codes": ", ".join(
                                  unit.code for unit in candidates)}, code)
        if unknown or ambiguous:
            return None
        if len(units) != 1:
            self.error(row, _("An indicator has one lead unit; this cell names %(count)s.")
                       % {"count": len(units)}, code)
            return None
        return units[0]

    # What changes ----------------------------------------------------------------------------

    def _fields_plan(self, plan: RowPlan, fields: dict) -> None:
        indicator = plan.indicator
        labels = {"baseline_value": _label("baseline"), "baseline_year": _label("baseline_year"),
                  "responsible_unit": _label("responsible_unit")}
        shown = {"direction": dict(Direction.choices), "frequency": dict(Frequency.choices)}
        for name, value in fields.items():
            old = getattr(indicator, name) if indicator is not None else None
            if name in _TEXTS and indicator is not None and same_text(old, value):
                continue
            if name == "responsible_unit":
                if old is not None and old.pk == value.pk:
                    continue
                old, value_text = (_unit_name(old) if old else ""), _unit_name(value)
            elif name == "baseline_value":
                if old is not None and old == value:
                    continue
                old, value_text = _figure(old), _figure(value)
            elif name in shown:
                if old == value:
                    continue
                old, value_text = shown[name].get(old, ""), shown[name][value]
            else:
                if old == value:
                    continue
                value_text = value
            plan.fields[name] = value
            plan.change(labels.get(name) or _label(name), old or "", value_text)

    def _targets_plan(self, plan: RowPlan, targets: list[tuple], *, unit) -> None:
        existing = {}
        if plan.indicator is not None:
            existing = {target.year: target for target in plan.indicator.targets.all()
                        if target.unit_id == (unit.pk if unit else None)}
        for year, value, kind in targets:
            current = existing.get(year)
            if current is not None and kind != IndicatorTarget.Kind.BASELINE:
                kind = current.kind  # a milestone stays a milestone
            if current is not None and current.value == value and current.kind == kind:
                continue
            plan.targets.append(TargetSpec(
                year=year, value=value, kind=kind, unit=unit,
                note=current.note if current else "",
                is_illustrative=current.is_illustrative if current else False))
            label = (_("Baseline %(year)s") if kind == IndicatorTarget.Kind.BASELINE
                     else _("Target %(year)s")) % {"year": year}
            if unit is not None:
                label = f"{label} · {_unit_name(unit)}"
            plan.change(label, _figure(current.value) if current else "", _figure(value))


def import_plan(*, resolution: Resolution, table: Table,
                progress: Callable[[float], None] | None = None) -> IndicatorPlan:
    """What importing the annex into the resolution would do, and every error, by row."""
    return _Checker(resolution=resolution, table=table).run(progress)


__all__ = ["BY_KEY", "import_plan"]
