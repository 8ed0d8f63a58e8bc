"""The workbook to fill in: the annex's columns, the resolution's indicators as they stand (so
it can be edited and imported back), how to write each cell, and the list of units."""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tasks.exchange.writing import SheetSpec, xlsx_bytes
from tasks.models import Resolution
from units.models import Unit

from ..models import Indicator, IndicatorTarget
from .columns import (
    BASELINE,
    BREAKDOWN,
    CODE,
    DIRECTION,
    FREQUENCY,
    MEASURE,
    NAME,
    NOTE,
    RESPONSIBLE,
    SERIAL,
    SOURCE,
)

DEFAULT_YEARS = (2030, 2045)
_DIRECTION_WORDS = {"higher": "Tăng", "lower": "Giảm", "at_least": "Ít nhất",
                    "at_most": "Tối đa"}
_FREQUENCY_WORDS = {"monthly": "Hằng tháng", "quarterly": "Hằng quý", "yearly": "Hằng năm"}


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _baseline(value, year) -> str:
    return f"{_number(value)} ({year})" if value is not None and year else ""


def _rows(indicators: list[Indicator], years: list[int]) -> list[list]:
    rows = []
    for serial, indicator in enumerate(indicators, start=1):
        national = {t.year: t for t in indicator.targets.all() if t.unit_id is None}
        rows.append([serial, indicator.code, indicator.name, indicator.measure,
                     _baseline(indicator.baseline_value, indicator.baseline_year),
                     *[_number(national[y].value) if y in national else "" for y in years],
                     _DIRECTION_WORDS[indicator.direction],
                     _FREQUENCY_WORDS[indicator.frequency], indicator.responsible_unit.name,
                     indicator.data_source, "", indicator.note])
        for unit in indicator.breakdown_units.all():
            own = {t.year: t for t in indicator.targets.all() if t.unit_id == unit.pk}
            base = next((t for t in own.values() if t.kind == IndicatorTarget.Kind.BASELINE),
                        None)
            rows.append(["", "", "", "", _baseline(base.value, base.year) if base else "",
                         *[_number(own[y].value) if y in own and own[y] is not base else ""
                           for y in years], "", "", "", "", unit.name, ""])
    return rows


def import_template(*, resolution: Resolution) -> tuple[bytes, str]:
    """(content, file name) of the template for the resolution."""
    indicators = list(Indicator.objects.filter(resolution=resolution)
                      .select_related("responsible_unit")
                      .prefetch_related(Prefetch("targets", IndicatorTarget.objects.order_by(
                          "year")), Prefetch("breakdown_units", Unit.objects.order_by("path"))))
    years = sorted({t.year for i in indicators for t in i.targets.all()
                    if t.kind != IndicatorTarget.Kind.BASELINE}) or list(DEFAULT_YEARS)
    header = [str(c.label) for c in (SERIAL, CODE, NAME, MEASURE, BASELINE)]
    header += [_("Target %(year)s") % {"year": year} for year in years]
    header += [str(c.label) for c in (DIRECTION, FREQUENCY, RESPONSIBLE, SOURCE, BREAKDOWN,
                                      NOTE)]
    rows = _rows(indicators, years) or [
        [1, "1", "Tuổi thọ trung bình", "năm", "73,7 (2024)", "≥ 75,5", "", "Ít nhất",
         "Hằng năm", "Bộ Y tế", "Cục Thống kê", "", _("Example: replace it.")]]
    guide = [
        [_("Indicator code"), _("Required. Each indicator is matched by its code within the "
                                "resolution: importing again updates it.")],
        [_("Baseline (year)"), _("The value and its year: 73,7 (2024). A comma is the decimal "
                                 "mark; 95% and ≥ 95% are read as 95.")],
        [_("Target %(year)s") % {"year": "…"}, _("One column per year (\"Mục tiêu 2030\"). "
                                                 "≥ or \"ít nhất\" make the target a floor, ≤ "
                                                 "or \"tối đa\" a ceiling.")],
        [str(DIRECTION.label), "Tăng · Giảm · Ít nhất · Tối đa"],
        [str(FREQUENCY.label), "Hằng tháng · Hằng quý · Hằng năm"],
        [str(RESPONSIBLE.label), _("A unit's name, short name or code, as in the list of "
                                   "units.")],
        [str(BREAKDOWN.label), _("On the rows under an indicator, without a code: a unit "
                                 "reporting its own value, with its own baseline and "
                                 "targets.")],
    ]
    units = [[unit.code, unit.name, unit.short_name] for unit in
             Unit.objects.filter(is_active=True).order_by("path").only("code", "name",
                                                                        "short_name")]
    title = _("Annex: indicators of %(resolution)s") % {"resolution": resolution.number}
    content = xlsx_bytes([
        SheetSpec(title=_("Indicators"), header=header, rows=rows,
                  widths=[6, 10, 50, 12, 16, *[12] * len(years), 12, 12, 26, 26, 24, 24],
                  heading=[title, resolution.display_title]),
        SheetSpec(title=_("How to fill in"), header=[_("Column"), _("What to write")],
                  rows=guide, widths=[24, 90]),
        SheetSpec(title=_("Units"), header=[_("Code"), _("Name"), _("Short name")],
                  rows=units, widths=[14, 60, 24]),
    ])
    name = "chi-tieu-" + "".join(c if c.isalnum() else "-" for c in resolution.number) + ".xlsx"
    return content, name
