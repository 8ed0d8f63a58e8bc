"""The sections behind the first screen: each page's figures and the lists they open, the
sorting and paging of the long tables, the filters kept on every link, the addresses of the
one-page dashboard, both languages."""

import sys
from datetime import timedelta

import pytest
from django.urls import reverse

from reports.dashboard.overview import TABLE_PAGE
from tests.factories import TaskFactory, UnitFactory
from units.models import Unit

from ..dashboard_programme import EXPECTED
from .helpers import SECTIONS, URL, _get, _link, section

TASKS = reverse("tasks:list")


def test_each_section_shows_its_figures(client, leadership, programme, on_programme_day):
    client.force_login(leadership)
    groups = client.get(section("groups"))
    assert [entry["group"].name for entry in groups.context["by_group"]] == [
        "Nhóm một", "Nhóm hai", "Nhóm ba"]
    assert groups.content.decode().count('class="chart"') == 2
    units = client.get(section("units")).context["league"].rows
    assert {row["name"]: row["overdue"] for row in units} == {
        "Vụ D1": 2, "Vụ D2": 1, "Bộ O": 0, "Các bộ C": 0}
    deadlines = client.get(section("deadlines"))
    assert [entry["count"] for entry in deadlines.context["deadline_links"]] == [
        EXPECTED["deadlines"][days] for days in (30, 60, 90)]
    assert [task.code for task in deadlines.context["lists"]["overdue"]] == [
        code for code, _days in EXPECTED["overdue"]]
    timeline = client.get(section("timeline")).content.decode()
    assert timeline.count('class="chart"') == 2 and "03/2026" in timeline
    compliance = client.get(section("compliance")).context["compliance"]
    assert {row["name"]: (row["expected"], row["received"], row["on_time"])
            for row in compliance["page"].rows} == {
        "Vụ D1": EXPECTED["compliance"]["D1"], "Vụ D2": EXPECTED["compliance"]["D2"],
        "Bộ O": EXPECTED["compliance"]["O"]}
    clarity = client.get(section("clarity"))
    assert {task.code for task in clarity.context["lists"]["unclear"]} == EXPECTED["not_clear"]


def test_every_number_of_a_section_opens_the_tasks_behind_it(client, leadership, department,
                                                             other_unit, today):
    TaskFactory(code="1.1", lead_unit=department, deadline=today - timedelta(days=3))
    TaskFactory(code="1.2", lead_unit=department, deadline=today + timedelta(days=10))
    TaskFactory(code="1.3", lead_unit=other_unit, deadline=today - timedelta(days=40),
                completed_on=today - timedelta(days=50))
    params = {"lead_unit": department.pk}
    body = _get(client, leadership, section("deadlines"), params).content.decode()
    href = _link(body, TASKS, lead_unit=department.pk, status="in_progress",
                 deadline_from=today.strftime("%d/%m/%Y"),
                 deadline_to=(today + timedelta(days=30)).strftime("%d/%m/%Y"),
                 ordering="deadline")
    assert {task.code for task in client.get(href).context["page"]} == {"1.2"}
    body = _get(client, leadership, section("groups"), params).content.decode()
    href = _link(body, TASKS, lead_unit=department.pk, status="overdue")
    assert {task.code for task in client.get(href).context["page"]} == {"1.1"}


def test_the_league_tables_numbers_open_their_lists(client, leadership, department,
                                                    other_unit, today):
    for number in range(3):
        TaskFactory(code=f"1.{number}", lead_unit=department,
                    deadline=today - timedelta(days=number + 1))
    TaskFactory(code="2.1", lead_unit=other_unit, deadline=today - timedelta(days=2))
    body = _get(client, leadership, section("units")).content.decode()
    href = _link(body, TASKS, lead_unit=department.pk, status="overdue")
    assert client.get(href).context["page"].paginator.count == 3
    href = _link(body, reverse("dashboard_reports"), lead_unit=department.pk, role="lead",
                 received="no")
    missing = client.get(href)
    assert missing.status_code == 200 and missing.context["count"] == 3
    assert {row["unit"] for row in missing.context["rows"]} == {department}


def test_the_compliance_tables_numbers_open_their_lists(client, leadership, department,
                                                         other_unit):
    TaskFactory(code="1.1", lead_unit=department, coordinating_units=[other_unit])
    body = _get(client, leadership, section("compliance")).content.decode()
    for received in ("any", "yes", "on_time", "no"):
        href = _link(body, reverse("dashboard_reports"), received=received,
                     reporting_unit=other_unit.pk)
        response = client.get(href)
        assert response.status_code == 200
        assert response.context["count"] == (0 if received in ("yes", "on_time") else 1)


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_keeps_the_filters_in_its_links_and_its_form(client, leadership,
                                                                   department, name):
    task = TaskFactory(code="1.1", lead_unit=department)
    body = _get(client, leadership, section(name), {"group": task.group_id}).content.decode()
    assert f'<option value="{task.group_id}" selected>' in body
    assert '<details class="filter-bar" open>' in body
    assert 'aria-current="page"' in body
    assert _link(body, URL, group=task.group_id)
    for other in SECTIONS:
        assert _link(body, section(other), group=task.group_id)
    assert _link(body, reverse("dashboard_at_risk"), group=task.group_id, at_risk="yes")


def test_the_lead_units_are_sorted_and_paged(client, leadership, today):
    for number in range(TABLE_PAGE + 3):
        TaskFactory(lead_unit=UnitFactory(name=f"Sở {number:02d}"))
    client.force_login(leadership)
    first = client.get(section("units"), {"sort": "unit"})
    assert len(first.context["league"].rows) == TABLE_PAGE
    body = first.content.decode()
    assert "Trang 1/2" in body
    following = _link(body, "", sort="unit", units_page=2)
    second = client.get(section("units") + following)
    assert [row["name"] for row in second.context["league"].rows] == [
        f"Sở {number:02d}" for number in range(TABLE_PAGE, TABLE_PAGE + 3)]
    assert _link(second.content.decode(), "", sort="unit", units_page=1)


def test_each_sorting_is_its_own_page(client, leadership, department, other_unit, today):
    TaskFactory(code="1.1", lead_unit=department, deadline=today - timedelta(days=3))
    TaskFactory(code="1.2", lead_unit=other_unit)
    client.force_login(leadership)
    url = section("units")
    by_overdue = client.get(url, {"sort": "-overdue"}).content.decode()
    by_name = client.get(url, {"sort": "-unit"}).content.decode()
    assert by_overdue.index("Vụ Tổ chức cán bộ") < by_overdue.index("Bộ Nội vụ</th>")
    assert by_name.index("Vụ Tổ chức cán bộ") < by_name.index("Bộ Nội vụ</th>")
    by_name_ascending = client.get(url, {"sort": "unit"}).content.decode()
    league = by_name_ascending[by_name_ascending.index('id="league"'):]
    assert league.index("Bộ Nội vụ") < league.index("Vụ Tổ chức cán bộ")


@pytest.mark.parametrize(("params", "name"), [
    ({"sort": "-tasks"}, "units"), ({"units_page": "2"}, "units"),
    ({"compliance_sort": "unit"}, "compliance"), ({"compliance_page": "2"}, "compliance"),
])
def test_an_address_of_the_one_page_dashboard_opens_the_table_it_asked_for(
        client, leadership, params, name):
    response = _get(client, leadership, params={**params, "group": "7"})
    assert response.status_code == 302
    assert response["Location"].startswith(section(name) + "?")
    assert "group=7" in response["Location"]


def test_a_filter_that_cannot_be_read_is_named_and_the_rest_apply(client, leadership):
    TaskFactory(code="1.1")
    response = _get(client, leadership, params={"deadline_from": "31/02/2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hạn từ" in body and "Nhập một ngày hợp lệ." in body
    assert response.context["headline"]["total"] == 1


def test_the_sections_in_vietnamese_and_in_english(client, leadership):
    TaskFactory(code="1.1")
    body = _get(client, leadership, section("groups")).content.decode()
    assert "Bảng điều hành" in body and "Đã hoàn thành đúng hạn" in body
    assert "<title" in body and "<desc" in body and 'role="img"' in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    titles = {"groups": "By task group and by resolution", "units": "Lead units",
              "deadlines": "Deadlines and overdue tasks",
              "timeline": "Deadlines and completion over time",
              "compliance": "Reporting compliance this period",
              "clarity": "The six clarities"}
    for name, title in titles.items():
        body = client.get(section(name)).content.decode()
        assert f"<title>{title} · Dashboard · Programme Tracker</title>" in body, name
        assert "Completed on time" in body or name in ("compliance", "clarity", "deadlines")


def test_a_programme_with_thousands_of_units_asks_for_the_lead_units_name(
        client, leadership, monkeypatch):
    module = sys.modules["tasks.views.listing"]  # the unit filters the dashboard shares
    TaskFactory(code="1.1", lead_unit=UnitFactory(name="Sở Y tế Huế"))
    TaskFactory(code="1.2", lead_unit=UnitFactory(name="Sở Tài chính Huế"))
    body = _get(client, leadership).content.decode()
    assert 'name="lead_unit" id="id_lead_unit"' in body  # a few units: a list
    monkeypatch.setattr(module, "UNIT_SELECT_LIMIT", 1)
    response = client.get(URL, {"lead_unit_name": "y tế"})
    body = response.content.decode()
    assert 'name="lead_unit_name"' in body and 'id="id_lead_unit"' not in body
    assert response.context["headline"]["total"] == 1


def test_collective_units_are_listed_by_name(client, leadership):
    designation = UnitFactory(code="DS", name="Các bộ, ngành", kind=Unit.Kind.COLLECTIVE)
    TaskFactory(code="1.1", lead_unit=designation)
    assert "Các bộ, ngành" in _get(client, leadership, section("units")).content.decode()
