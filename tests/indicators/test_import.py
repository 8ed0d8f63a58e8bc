"""Importing indicators from an annex of targets: the annex's real shape is read, every bad row
is reported and nothing written, importing again updates rather than duplicates."""

from decimal import Decimal

import pytest
from django.utils.translation import override

from indicators.exchange.applying import import_apply
from indicators.exchange.cellvalues import NotANumber, parse_figure, parse_number
from indicators.exchange.checking import import_plan
from indicators.exchange.reading import table_read
from indicators.models import Indicator, IndicatorTarget
from tests.factories import UnitFactory
from units.models import Unit

from .annex import BELOW, ROWS, TOP, annex_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def annex_units(unit):
    return [unit, UnitFactory(code="HN", name="Ủy ban nhân dân Thành phố Hà Nội",
                              short_name="Hà Nội", kind="province"),
            UnitFactory(code="NA", name="Ủy ban nhân dân tỉnh Nghệ An", kind="province")]


def _plan(resolution, content, language="en"):
    with override(language):
        return import_plan(resolution=resolution,
                           table=table_read(content=content, name="a.xlsx"))


@pytest.mark.parametrize(("text", "value", "direction"), [
    ("75,5", "75.5", None), ("95%", "95", None), ("≥ 95%", "95", "at_least"),
    ("> 95 %", "95", "at_least"), ("≤ 10", "10", "at_most"), ("1.234,5", "1234.5", None),
    ("12.000", "12000", None), ("75.5", "75.5", None), ("Ít nhất 68", "68", "at_least"),
    ("Tối đa 15‰".replace("‰", ""), "15", "at_most")])
def test_numbers_are_read_as_vietnamese_writes_them(text, value, direction):
    figure = parse_figure(text)
    assert figure.value == Decimal(value)
    assert figure.direction == direction


@pytest.mark.parametrize("text", ["khoảng 75", "75,5,5", "", "n/a"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(NotANumber):
        parse_number(text)


def test_the_annex_is_read_through_its_title_merged_header_and_numbering(resolution, annex_units):
    table = table_read(content=annex_workbook(), name="phu-luc.xlsx")
    assert table.header_row == 4
    assert {"code", "name", "measure", "baseline", "target:2030", "target:2045", "direction",
            "frequency", "responsible_unit", "data_source", "breakdown_unit"} <= set(
        table.columns)
    assert table.rows[0].values["code"].startswith("CHỈ TIÊU")  # the heading, passed over
    assert table.rows[1].values["target:2030"] == "≥ 75,5"


def test_importing_creates_indicators_targets_and_breakdowns(resolution, annex_units,
                                                             secretariat):
    plan = _plan(resolution, annex_workbook())
    assert plan.ok, plan.errors
    assert plan.counts()["create"] == 3 and plan.headings == 1 and plan.breakdown_rows == 2
    import_apply(plan=plan, actor=secretariat)

    life = Indicator.objects.get(resolution=resolution, code="1.1")
    assert (life.name, life.measure, life.direction, life.frequency) == (
        "Tuổi thọ trung bình", "năm", "at_least", "yearly")
    assert (life.baseline_value, life.baseline_year) == (Decimal("73.7"), 2024)
    assert {(t.year, t.value) for t in life.targets.all()} == {
        (2030, Decimal("75.5")), (2045, Decimal("77"))}
    assert life.responsible_unit == annex_units[0]

    vaccination = Indicator.objects.get(code="1.2")
    assert vaccination.direction == "at_least"  # "> 95%" says the target is a floor
    assert vaccination.frequency == "monthly" and vaccination.baseline_value == Decimal("90")
    assert {u.code for u in vaccination.breakdown_units.all()} == {"HN", "NA"}
    hanoi = {(t.kind, t.year, t.value) for t in vaccination.targets.filter(unit__code="HN")}
    assert hanoi == {("baseline", 2024, Decimal("92")), ("target", 2030, Decimal("97"))}
    assert vaccination.targets.get(unit__code="NA", kind="baseline").value == Decimal("88.5")

    mortality = Indicator.objects.get(code="1.3")
    assert (mortality.direction, mortality.frequency, mortality.baseline_year) == (
        "lower", "quarterly", 2023)


def test_importing_again_updates_and_never_duplicates(resolution, annex_units, secretariat):
    import_apply(plan=_plan(resolution, annex_workbook()), actor=secretariat)
    again = _plan(resolution, annex_workbook())
    assert again.ok and again.counts()["unchanged"] == 3 and not again.report()["rows"]

    rows = [list(row) for row in ROWS]
    rows[1][5] = "≥ 76"        # the 2030 target of 1.1
    rows[5][9] = "Bộ Y tế"     # the same lead unit, written another way
    edited = _plan(resolution, annex_workbook(rows))
    assert edited.ok, edited.errors
    assert edited.counts()["update"] == 1 and edited.counts()["unchanged"] == 2
    changes = edited.report()["rows"][0]["changes"]
    assert [(c["old"], c["new"]) for c in changes] == [("75,5", "76")]
    import_apply(plan=edited, actor=secretariat)
    assert Indicator.objects.filter(resolution=resolution).count() == 3
    assert IndicatorTarget.objects.get(indicator__code="1.1", year=2030).value == Decimal("76")


def test_a_real_percentage_cell_and_a_one_line_header_are_read(resolution, annex_units,
                                                               secretariat):
    top = ["TT", "Chỉ tiêu", "ĐVT", "Giá trị cơ sở năm 2024", "Mục tiêu đến năm 2030",
           "Cơ quan chủ trì"]
    rows = [[1, "Tỷ lệ người dân có sổ sức khỏe điện tử", "%", "60%", 0.955, "Bộ Y tế"]]
    content = annex_workbook(rows, top=top, below=None, percent_column=5)
    plan = _plan(resolution, content)
    assert plan.ok, plan.errors
    import_apply(plan=plan, actor=secretariat)
    book = Indicator.objects.get(code="1")
    assert (book.baseline_value, book.baseline_year) == (Decimal("60"), 2024)
    assert book.targets.get().value == Decimal("95.5")


def test_every_bad_row_is_reported_and_nothing_is_written(resolution, annex_units, secretariat):
    rows = [
        [1, "1.1", "Tuổi thọ trung bình", "năm", "73,7", "khoảng 75", None, "Lên xuống",
         "Thỉnh thoảng", "Bộ Không Có", None, None],
        [2, "1.1", "Trùng mã", "%", "90 (2024)", "95", None, None, None, "Bộ Y tế", None, None],
        [None, None, "- Tỉnh Không Có", None, None, "97", None, None, None, None, None, None],
        [3, "1.3", "", "", None, "15", None, None, None, None, None, None],
        [None, None, "Không mã", "%", None, "15", None, None, None, "Bộ Y tế", None, None],
    ]
    plan = _plan(resolution, annex_workbook(rows))
    found = {(error["row"], error["message"]) for error in plan.errors}
    first = 7  # title (3 lines), header (2), numbering: the rows start on line 7
    expected = [
        (first, "Give the year of the baseline"), (first, "The target for 2030"),
        (first, "\"Lên xuống\" is not a direction"), (first, "\"Thỉnh thoảng\" is not a freq"),
        (first, "Unit not found: \"Bộ Không Có\""),
        (first + 1, "Code 1.1 is already used in row 7"),
        (first + 2, "Unit not found: \"Tỉnh Không Có\""),
        (first + 3, "The indicator's name is missing"), (first + 3, "The unit of measure"),
        (first + 3, "The lead unit (responsible for the figure) is missing"),
        (first + 4, "The indicator code is missing")]
    for row, start in expected:
        assert any(r == row and message.startswith(start) for r, message in found), (row, start)
    assert len(plan.errors) == len(expected)
    with pytest.raises(ValueError):
        import_apply(plan=plan, actor=secretariat)
    assert not Indicator.objects.exists() and not Unit.objects.filter(code="").exists()


def test_headers_are_found_whatever_their_case_and_spacing(resolution, annex_units):
    top = [text.upper() if text else text for text in TOP]
    top[1] = "  mã   chỉ  tiêu "
    top[7] = "Chiều (tăng/giảm / ít nhất / tối đa)"
    top[8] = "Tần suất (tháng, quý, năm)"
    top[9] = "Don vi chu tri"  # typed without diacritics
    plan = _plan(resolution, annex_workbook(top=top, below=BELOW))
    assert plan.ok and plan.counts()["create"] == 3
    assert {"direction", "frequency", "code", "responsible_unit"} <= set(plan.columns)
    assert plan.rows[2].fields["direction"] == "lower"


def test_a_baseline_merged_over_its_value_and_year_is_read(resolution, annex_units,
                                                           secretariat):
    top = ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Giá trị cơ sở", None,
           "Mục tiêu đến năm 2030", "Đơn vị chủ trì"]
    below = [None, None, None, "Giá trị", "Năm", None, None]
    rows = [[1, "Số năm sống khỏe mạnh", "năm", "63,7", 2024, "68", "Bộ Y tế"]]
    plan = _plan(resolution, annex_workbook(rows, top=top, below=below))
    assert plan.ok, plan.errors
    import_apply(plan=plan, actor=secretariat)
    healthy = Indicator.objects.get(code="1")
    assert (healthy.baseline_value, healthy.baseline_year) == (Decimal("63.7"), 2024)
    assert healthy.targets.get().year == 2030
