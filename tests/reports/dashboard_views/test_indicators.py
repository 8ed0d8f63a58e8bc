"""The dashboard's indicators: the section counting them by track status, off track first, each
opening its page, for the dashboard's filters; and the first screen's count of those off track,
seen again as soon as a value is approved."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator, IndicatorValue
from indicators.services import indicator_value_approve
from indicators.status import TrackStatus, indicator_track
from reports.dashboard.cache import data_version
from tests.factories import ResolutionFactory, TaskGroupFactory, UnitFactory, UserFactory
from tests.indicators.conftest import approved_value, make_indicator
from units.models import User

from .helpers import URL, _get, _link

SECTION = reverse("dashboard_indicators")


def _recent() -> date:
    """The end of last month: a period already measured, whatever the day."""
    return timezone.localdate().replace(day=1) - timedelta(days=1)


@pytest.fixture
def four(db, department, other_unit):
    """One indicator of each track status today (baseline 90 in 2024, 95 by 2030)."""
    resolution = ResolutionFactory(number="72-NQ/TW")
    recent = _recent()
    last = recent - timedelta(days=365)
    on_track = make_indicator(resolution, department, code="1", name="Tỷ lệ bao phủ bảo hiểm")
    approved_value(on_track, recent, 96)
    at_risk = make_indicator(resolution, department, code="2", name="Số giường bệnh")
    approved_value(at_risk, last, 91.5)
    approved_value(at_risk, recent, 91.6)
    off_track = make_indicator(resolution, other_unit, code="3",
                               name="Tỷ lệ người dân được khám sức khỏe định kỳ")
    approved_value(off_track, recent, 70)
    no_data = make_indicator(resolution, other_unit, code="4", name="Tuổi thọ trung bình")
    return {"on_track": on_track, "at_risk": at_risk, "off_track": off_track,
            "no_data": no_data, "resolution": resolution}


def test_the_counts_are_the_track_statuses_and_off_track_comes_first(client, leadership,
                                                                       four):
    response = _get(client, leadership, SECTION)
    figures = response.context["indicators"]
    today = timezone.localdate()
    expected = {status.value: 0 for status in TrackStatus}
    for key in ("on_track", "at_risk", "off_track", "no_data"):
        found = indicator_track(type(four[key]).objects.get(pk=four[key].pk), on=today).status
        assert found == key  # the hand-built indicators are what they are named
        expected[found] += 1
    assert dict(figures["counts"]) == expected
    assert [status for status, _count in figures["counts"]] == [
        "off_track", "at_risk", "on_track", "no_data"]
    assert [row["code"] for row in figures["rows"]] == ["3", "2", "1", "4"]
    body = response.content.decode()
    assert "Chỉ tiêu của các nghị quyết" in body
    assert body.index("Tỷ lệ người dân được khám sức khỏe định kỳ") < body.index(
        "Số giường bệnh") < body.index("Tỷ lệ bao phủ bảo hiểm")
    page = reverse("indicators:detail", args=[four["off_track"].pk])
    assert f'href="{page}"' in body
    assert client.get(page).status_code == 200


def test_the_section_in_english(client, leadership, four):
    client.force_login(leadership)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(SECTION).content.decode()
    assert "Indicators of the resolutions" in body
    assert "Off track" in body and "Chỉ tiêu của các nghị quyết" not in body
    first = client.get(URL).content.decode()
    assert "indicator off track, of 4" in first


def test_the_filters_choose_by_resolution_group_and_responsible_unit(client, leadership,
                                                                      department, four):
    other = ResolutionFactory(number="20-NQ/TW")
    group = TaskGroupFactory(resolution=other)
    elsewhere = make_indicator(other, department, code="9", name="Chỉ tiêu khác", group=group)
    approved_value(elsewhere, _recent(), 50)

    def codes(**params):
        return [row["code"] for row in
                _get(client, leadership, SECTION, params).context["indicators"]["rows"]]

    assert sorted(codes()) == ["1", "2", "3", "4", "9"]
    assert sorted(codes(resolution=four["resolution"].pk)) == ["1", "2", "3", "4"]
    assert codes(group=group.pk) == ["9"]
    assert sorted(codes(lead_unit=department.pk)) == ["1", "2", "9"]
    assert sorted(codes(unit=department.parent_id)) == ["1", "2", "9"]
    assert codes(unit=UnitFactory(code="XX").pk) == []


def test_a_unit_leader_opens_it_and_a_reporter_is_refused(client, leader, reporter, four):
    assert _get(client, leader, SECTION).status_code == 200
    assert _get(client, reporter, SECTION).status_code == 403


@pytest.mark.parametrize("url", [SECTION, URL])
def test_queries_do_not_grow_with_the_number_of_indicators(client, leadership, department,
                                                           url):
    client.force_login(leadership)
    resolution = ResolutionFactory(number="72-NQ/TW")
    maker = UserFactory(username="maker", role=User.Role.LEADER, unit=department)
    made = []

    def add(count):
        for number in range(len(made), len(made) + count):
            indicator = make_indicator(resolution, department, code=str(number + 1))
            approved_value(indicator, _recent(), 60 + number, by=maker)
            made.append(indicator)

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add(3)
    client.get(url)  # the frame drawn, the session read once
    Indicator.objects.filter(pk=made[0].pk).update(note="Đã cập nhật")  # a new data version
    cold_small = count_queries()
    warm_small = count_queries()
    add(27)
    cold_large = count_queries()
    warm_large = count_queries()
    assert cold_large == cold_small
    assert warm_large == warm_small


def test_the_first_screen_counts_those_off_track_and_sees_an_approval_at_once(
        client, leadership, department, four):
    link = 'class="stat-number track-off_track" href="/dashboard/indicators/">{}</a>'
    body = _get(client, leadership).content.decode()
    panel = body[body.index('id="indicators-off-track"'):]
    assert link.format(1) in panel and "chỉ tiêu chệch lộ trình, trên tổng số 4" in panel
    assert _link(panel, SECTION)
    # A low first figure of the indicator without data, submitted then approved: two off track.
    unit = four["no_data"].responsible_unit
    maker = UserFactory(username="reporter2", role=User.Role.REPORTER, unit=unit)
    value = IndicatorValue.objects.create(
        indicator=four["no_data"], period_end=_recent(), value=Decimal("60"),
        state="submitted", created_by=maker, submitted_by=maker, submitted_at=timezone.now())
    version = data_version()
    assert link.format(1) in _get(client, leadership).content.decode()  # not approved yet
    assert data_version() == version  # a value on its way changes no figure
    leader = UserFactory(username="leader2", role=User.Role.LEADER, unit=unit)
    indicator_value_approve(value=value, actor=leader)
    assert data_version() != version
    assert link.format(2) in _get(client, leadership).content.decode()


def test_the_first_screen_follows_the_filters(client, leadership, department, four):
    body = _get(client, leadership, URL, {"lead_unit": department.pk}).content.decode()
    panel = body[body.index('id="indicators-off-track"'):]
    assert 'href="/dashboard/indicators/?lead_unit=' in panel
    assert '">0</a>' in panel


def test_a_change_to_tasks_leaves_the_indicator_figures_cached_and_a_rename_does_not(
        client, leadership, four):
    """During a reporting rush tasks and reports change every minute: the indicators' figures
    are not computed again for those, but are for any change they show (here a unit's name)."""
    from tasks.models import Task
    from tests.factories import TaskFactory

    def indicator_queries():
        with CaptureQueriesContext(connection) as context:
            body = _get(client, leadership, SECTION).content.decode()
        return body, [q["sql"] for q in context.captured_queries
                      if 'FROM "indicators_indicatorvalue"' in q["sql"]]

    task = TaskFactory()
    indicator_queries()
    Task.objects.filter(pk=task.pk).update(title="Một nhiệm vụ vừa sửa")
    _body, queries = indicator_queries()
    assert queries == []  # the page drawn again, its indicator figures read from the cache
    unit = four["off_track"].responsible_unit
    type(unit).objects.filter(pk=unit.pk).update(name="Vụ Kế hoạch - Tài chính (mới)")
    body, queries = indicator_queries()
    assert queries and "Vụ Kế hoạch - Tài chính (mới)" in body
