"""The indicator pages: what people see in both languages, refusals, the stale edit with both
versions, and query counts that do not grow with the rows."""

import calendar
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import IndicatorTarget, IndicatorValue
from indicators.services import indicator_value_save
from indicators.status import indicator_track
from tests.factories import TaskFactory, UnitFactory

from .conftest import approved_value, make_indicator

pytestmark = pytest.mark.django_db


def _page(client, user, url, lang="vi"):
    client.force_login(user)
    client.cookies["django_language"] = lang
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("lang", "words"), [
    ("vi", ["Chỉ tiêu", "Đúng lộ trình", "Xu hướng"]),
    ("en", ["Indicators", "On track", "Trend"])])
def test_the_list_shows_each_indicator_its_trend_and_status(client, indicator, reporter, lang,
                                                            words):
    approved_value(indicator, date(2025, 10, 31), 91)
    approved_value(indicator, date(2025, 11, 30), 92)
    html = _page(client, reporter, reverse("indicators:list") + "?on=15/12/2025", lang)
    for word in words:
        assert word in html
    assert 'class="sparkline"' in html
    assert "Tỷ lệ tiêm chủng 1" in html
    assert "Tỷ lệ tiêm chủng 1" in _page(client, reporter, reverse("indicators:list"), lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_indicator_page_shows_chart_targets_breakdown_and_tasks(client, indicator, provinces,
                                                                    reporter, lang):
    task = TaskFactory(code="2.5", title="Mở rộng tiêm chủng mở rộng",
                       lead_unit=indicator.responsible_unit, deadline=date(2099, 12, 31))
    indicator.tasks.set([task])
    IndicatorTarget.objects.create(indicator=indicator, unit=provinces[0], year=2030,
                                   value=Decimal("97"))
    approved_value(indicator, date(2025, 11, 30), 92)
    approved_value(indicator, date(2025, 11, 30), 96, unit=provinces[0])
    html = _page(client, reporter, reverse("indicators:detail", args=[indicator.pk]), lang)
    assert 'class="indicator-chart"' in html and 'class="breakdown-chart"' in html
    assert "Mở rộng tiêm chủng mở rộng" in html and "status-in_progress" in html
    assert provinces[0].name in html and provinces[1].name in html
    assert ("Lộ trình" if lang == "vi" else "Trajectory") in html


def test_a_unit_with_its_own_target_is_judged_against_it(indicator, provinces):
    """Hà Nội's own target is 99 by 2030; Nghệ An has none and follows the national 95."""
    IndicatorTarget.objects.create(indicator=indicator, unit=provinces[0], kind="baseline",
                                   year=2024, value=Decimal("96"))
    IndicatorTarget.objects.create(indicator=indicator, unit=provinces[0], year=2030,
                                   value=Decimal("99"))
    approved_value(indicator, date(2025, 12, 31), 95.5, unit=provinces[0])
    approved_value(indicator, date(2025, 12, 31), 95.5, unit=provinces[1])
    indicator.refresh_from_db()
    on = date(2026, 1, 10)
    hanoi = indicator_track(indicator, on=on, unit_id=provinces[0].pk)
    nghe_an = indicator_track(indicator, on=on, unit_id=provinces[1].pk)
    # Hà Nội: expected 96 + 3 × 365/2191 ≈ 96.5; 95.5 ≥ 96.5 × 0.95 → on track against 99.
    assert (hanoi.target.value, hanoi.status) == (99.0, "on_track")
    assert hanoi.expected == pytest.approx(96 + 3 * 365 / 2191)
    # Nghệ An: 95.5 already meets the national 95.
    assert (nghe_an.target.value, nghe_an.status) == (95.0, "on_track")
    national = indicator_track(indicator, on=on)
    assert national.status == "no_data"


def test_entering_is_refused_to_another_unit_and_the_form_to_the_wrong_role(
        client, indicator, other_reporter, secretariat):
    client.force_login(other_reporter)
    assert client.get(reverse("indicators:value_new", args=[indicator.pk])).status_code == 403
    assert client.get(reverse("indicators:create")).status_code == 403
    client.force_login(secretariat)
    assert client.get(reverse("indicators:create")).status_code == 200
    assert client.get(reverse("indicators:value_new", args=[indicator.pk])).status_code == 403


def test_a_draft_is_hidden_from_another_unit(client, indicator, reporter, other_reporter):
    value = indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                                 period_end=date(2025, 11, 30), expected_version=0,
                                 fields={"value": Decimal("93")}).value
    client.force_login(other_reporter)
    assert client.get(reverse("indicators:value", args=[value.pk])).status_code == 404


def test_a_stale_edit_shows_both_versions_and_keeps_what_was_typed(client, indicator, reporter,
                                                                   leader):
    value = indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                                 period_end=date(2025, 11, 30), expected_version=0,
                                 fields={"value": Decimal("93"), "source_note": "Lần 1"}).value
    indicator_value_save(actor=leader, indicator=indicator, unit=None, period_end=value.period_end,
                         expected_version=1, fields={"value": Decimal("91,5".replace(",", ".")),
                                                     "source_note": "Của lãnh đạo"})
    client.force_login(reporter)
    response = client.post(reverse("indicators:value", args=[value.pk]), {
        "action": "save", "version": "1", "value": "94,25", "is_final": "0",
        "source_note": "Của chuyên viên"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="their-version"' in html and "Của lãnh đạo" in html and "91,5" in html
    assert "Của chuyên viên" in html and "94,25" in html
    value.refresh_from_db()
    assert value.value == Decimal("91.5")


def test_entering_and_approving_in_the_browser_forms(client, indicator, reporter, leader):
    client.force_login(reporter)
    response = client.post(reverse("indicators:value_new", args=[indicator.pk]), {
        "unit": "national", "period": "2025-11", "value": "93,5", "is_final": "1",
        "source_note": "Cục Phòng bệnh", "action": "submit"})
    value = IndicatorValue.objects.get()
    assert response.status_code == 302
    assert (value.value, value.state, value.is_final) == (Decimal("93.5"), "submitted", True)
    client.force_login(leader)
    client.post(reverse("indicators:value", args=[value.pk]),
                {"action": "approve", "version": str(value.version), "comment": ""})
    value.refresh_from_db()
    assert value.state == "approved"


def _add(resolution, responsible, provinces, count, start):
    for number in range(start, start + count):
        indicator = make_indicator(resolution, responsible, code=str(number))
        indicator.breakdown_units.set(provinces)
        IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("93"),
                                       kind="milestone")
        indicator.tasks.set([TaskFactory()])
        for month in (10, 11):
            approved_value(indicator, date(2025, month, 30 if month == 11 else 31), 91)
            approved_value(indicator, date(2025, month, 30 if month == 11 else 31), 92,
                           unit=provinces[0])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_as_many_queries_for_3_indicators_as_for_30(client, resolution,
                                                                   department, provinces,
                                                                   reporter):
    client.force_login(reporter)
    _add(resolution, department, provinces, 3, 1)
    few = _count(client, reverse("indicators:list"))
    _add(resolution, department, provinces, 27, 4)
    assert _count(client, reverse("indicators:list")) == few


def test_the_indicator_page_takes_as_many_queries_for_3_rows_as_for_30(client, indicator,
                                                                       resolution, department,
                                                                       reporter):
    client.force_login(reporter)
    url = reverse("indicators:detail", args=[indicator.pk])

    def grow(count, first):
        units = [UnitFactory(kind="province") for _ in range(count)]
        indicator.breakdown_units.add(*units)
        indicator.tasks.add(*[TaskFactory(lead_unit=department) for _ in range(count)])
        for unit in units:
            IndicatorTarget.objects.create(indicator=indicator, unit=unit, year=2030,
                                           value=Decimal("96"))
            approved_value(indicator, date(2025, 11, 30), 92, unit=unit)
        for month in range(first, first + count):
            year, mon = 2020 + month // 12, month % 12 + 1
            approved_value(indicator, date(year, mon, calendar.monthrange(year, mon)[1]), 90)

    grow(3, 0)
    client.get(url)  # the per-task facts of today are computed once
    few = _count(client, url)
    grow(27, 3)
    client.get(url)
    assert _count(client, url) == few


def test_the_task_page_names_the_indicators_it_contributes_to(client, indicator, department,
                                                              reporter):
    task = TaskFactory(lead_unit=department)
    indicator.tasks.set([task])
    html = _page(client, reporter, reverse("task_detail", args=[task.pk]))
    assert "Chỉ tiêu mà nhiệm vụ đóng góp" in html and indicator.name in html
