"""The monthly report's section on the indicators: each indicator of the programme with its
baseline, its latest approved value up to the cut-off (with its period), the target ahead and its
track status on the cut-off, kept in the figures stored with the report, in both languages."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from reports.pdf import render_monthly_report_pdf
from tasks.models import Resolution
from tests.factories import ResolutionFactory, UnitFactory, UserFactory

from .helpers import build

pytestmark = pytest.mark.django_db

NAME = "Tỷ lệ người dân được khám sức khỏe định kỳ hoặc khám sàng lọc ít nhất một lần mỗi năm"


def _indicator(resolution, code: str, *, name: str = NAME, baseline=Decimal("40")) -> Indicator:
    indicator = Indicator.objects.create(
        resolution=resolution, code=code, name=name, name_en="People with a yearly check-up",
        measure="%", measure_en="%", frequency="quarterly", baseline_value=baseline,
        baseline_year=2024, responsible_unit=UnitFactory())
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=Decimal("100"))
    return indicator


def _approved(indicator, period_end: date, value) -> IndicatorValue:
    by = UserFactory()
    return IndicatorValue.objects.create(
        indicator=indicator, period_end=period_end, value=Decimal(str(value)), state="approved",
        created_by=by, submitted_by=by, submitted_at="2025-11-01T09:00:00+07:00",
        decided_by=by, decided_at="2025-11-02T09:00:00+07:00")


def _text(pdf: bytes) -> str:
    """The PDF's text read back with pypdf, its line breaks and runs of spaces made single."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
                    .split())


@pytest.fixture
def programme(scenario):
    """The scenario's 282/NQ-CP (tracked) implements 72-NQ/TW, whose indicator this is."""
    party = Resolution.objects.get(number="72-NQ/TW")
    indicator = _indicator(party, "3")
    _approved(indicator, date(2025, 3, 31), 20)  # far below the way from 40 to 100: off track
    _approved(indicator, date(2025, 9, 30), 21.5)
    _approved(indicator, date(2025, 12, 31), 99)  # after the cut-off (14/11/2025): not read
    return indicator


def test_the_figures_carry_each_indicator_on_the_cut_off(programme, november):
    ResolutionFactory(number="99/NQ-CP", is_tracked=False)  # neither tracked nor implemented
    _indicator(Resolution.objects.get(number="99/NQ-CP"), "X")
    [row] = build(november)["indicators"]
    assert row == {
        "indicator_id": programme.pk, "resolution": "72-NQ/TW", "code": "3", "name": NAME,
        "name_en": "People with a yearly check-up", "measure": "%", "measure_en": "%",
        "frequency": "quarterly", "baseline_value": 40.0, "baseline_year": 2024,
        "latest_value": 21.5, "latest_period_end": "2025-09-30", "target_value": 100.0,
        "target_year": 2030, "status": "off_track"}


def test_the_section_reads_in_vietnamese_and_in_english(programme, november):
    data = build(november)
    vietnamese = _text(render_monthly_report_pdf(data=data, language="vi", number="12/BC-BYT",
                                                 issued_on=date(2025, 11, 20)))
    assert "VII. CÁC CHỈ TIÊU VÀ TÌNH TRẠNG THỰC HIỆN" in vietnamese  # headings in capitals
    assert NAME in vietnamese
    for expected in ("72-NQ/TW · 3", "Chệch lộ trình", "21,5", "Quý III/2025", "40 (2024)",
                     "100 (2030)"):
        assert expected in vietnamese, expected
    english = _text(render_monthly_report_pdf(data=data, language="en", draft=True))
    assert "VII. INDICATORS AND THEIR TRACK STATUS" in english
    for expected in ("People with a yearly check-up", "Off track", "21.5", "Quarter III/2025"):
        assert expected in english, expected
    assert "CÁC CHỈ TIÊU" not in english


def test_an_issued_report_keeps_the_figures_it_was_issued_with(programme, november):
    data = build(november)
    IndicatorValue.objects.filter(indicator=programme).update(value=Decimal("95"))
    text = _text(render_monthly_report_pdf(data=data, language="vi", draft=True))
    assert "21,5" in text and "Chệch lộ trình" in text


def test_figures_stored_before_the_indicators_have_no_section(programme, november):
    data = build(november)
    del data["indicators"]
    # stored before the indicators, so before the further sections too
    del data["sections"], data["open_proposals"]
    assert "VII." not in _text(render_monthly_report_pdf(data=data, language="vi", draft=True))


def test_the_indicators_take_the_same_queries_for_3_and_30(scenario, november):
    party = Resolution.objects.get(number="72-NQ/TW")

    def add(count):
        for _ in range(count):
            indicator = _indicator(party, str(Indicator.objects.count() + 1))
            _approved(indicator, date(2025, 9, 30), 50)

    add(3)
    build(november)
    with CaptureQueriesContext(connection) as small:
        assert len(build(november)["indicators"]) == 3
    add(27)
    build(november)
    with CaptureQueriesContext(connection) as large:
        assert len(build(november)["indicators"]) == 30
    assert len(large.captured_queries) == len(small.captured_queries)
