"""The dashboard page and the lists behind its numbers: who may see them, what they link to,
their cost, and the cache that must never outlive the data."""

import re
import sys
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.dashboard.cache import data_version
from reports.models import ProgressReport
from reports.periods import period_open
from tasks.models import OccurrenceCompletion, Task
from tests.factories import ProgressReportFactory, TaskFactory, UnitFactory, UserFactory
from units.models import Unit, User

from ..dashboard_programme import ON
from .helpers import URL, _get, _headline_counts, _link, _touch


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    for url in (URL, reverse("dashboard_at_risk"), reverse("dashboard_reports")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [URL, reverse("dashboard_at_risk"),
                                 reverse("dashboard_reports")])
def test_reporters_are_refused(client, reporter, url):
    response = _get(client, reporter, url)
    assert response.status_code == 403


@pytest.mark.parametrize("role", [User.Role.LEADERSHIP, User.Role.SECRETARIAT, User.Role.ADMIN])
def test_roles_across_all_units_see_every_unit(client, db, department, other_unit, role):
    TaskFactory(code="1.1", lead_unit=department, title="Việc của vụ")
    TaskFactory(code="1.2", lead_unit=other_unit, title="Việc của bộ khác")
    response = _get(client, UserFactory(role=role, unit=None if role != "secretariat"
                                        else department))
    assert response.status_code == 200
    assert response.context["headline"]["total"] == 2
    body = response.content.decode()
    assert "Vụ Tổ chức cán bộ" in body and "Bộ Nội vụ" in body


def test_a_unit_leader_sees_their_units_tasks_only(client, leader, department, other_unit,
                                                   today):
    mine = TaskFactory(code="1.1", lead_unit=department, deadline=today - timedelta(days=3))
    TaskFactory(code="1.2", lead_unit=other_unit, deadline=today - timedelta(days=3))
    coordinated = TaskFactory(code="1.3", lead_unit=other_unit, coordinating_units=[department],
                              deadline=today + timedelta(days=30))
    response = _get(client, leader)
    assert response.status_code == 200
    assert response.context["headline"]["total"] == 2
    assert response.context["headline"]["classes"]["overdue"]["count"] == 1
    units = {row["unit_id"]: row for row in response.context["league"].rows}
    assert set(units) == {department.pk, other_unit.pk}  # the leads of the tasks they see
    assert units[other_unit.pk]["missing"] is None  # another unit's own reports: not theirs
    compliance = {row["unit_id"] for row in response.context["compliance"]["page"].rows}
    assert compliance == {department.pk}  # only their units' reporting
    assert mine.title in response.content.decode()
    assert coordinated.lead_unit.name in response.content.decode()
    # Another unit's task cannot be reached through the lists either.
    listed = _get(client, leader, reverse("dashboard_reports"), {"received": "any"})
    assert {row["task"].code for row in listed.context["rows"]} <= {"1.1", "1.3"}


def test_the_navigation_offers_the_dashboard_to_whom_it_is_for(client, reporter, leader):
    link = f'href="{URL}"'
    assert link not in _get(client, reporter, reverse("home")).content.decode()
    assert link in _get(client, leader, reverse("home")).content.decode()


def test_every_headline_number_opens_the_tasks_behind_it(client, leadership, department,
                                                         other_unit, today):
    TaskFactory(code="1.1", lead_unit=department, deadline=today - timedelta(days=3))
    TaskFactory(code="1.2", lead_unit=department, deadline=today + timedelta(days=10))
    TaskFactory(code="1.3", lead_unit=other_unit, deadline=today - timedelta(days=40),
                completed_on=today - timedelta(days=50))
    body = _get(client, leadership, params={"lead_unit": department.pk}).content.decode()
    href = _link(body, reverse("tasks:list"), lead_unit=department.pk, status="overdue")
    listed = client.get(href)
    assert {task.code for task in listed.context["page"]} == {"1.1"}
    href = _link(body, reverse("tasks:list"), lead_unit=department.pk,
                 status="in_progress", deadline_from=today.strftime("%d/%m/%Y"),
                 deadline_to=(today + timedelta(days=30)).strftime("%d/%m/%Y"),
                 ordering="deadline")
    assert {task.code for task in client.get(href).context["page"]} == {"1.2"}


def test_the_league_tables_numbers_open_their_lists(client, leadership, department,
                                                    other_unit, today):
    for number in range(3):
        TaskFactory(code=f"1.{number}", lead_unit=department,
                    deadline=today - timedelta(days=number + 1))
    TaskFactory(code="2.1", lead_unit=other_unit, deadline=today - timedelta(days=2))
    body = _get(client, leadership).content.decode()
    href = _link(body, reverse("tasks:list"), lead_unit=department.pk, status="overdue")
    assert client.get(href).context["page"].paginator.count == 3
    href = _link(body, reverse("dashboard_reports"), lead_unit=department.pk, role="lead",
                 received="no")
    missing = client.get(href)
    assert missing.status_code == 200 and missing.context["count"] == 3
    assert {row["unit"] for row in missing.context["rows"]} == {department}


def test_the_page_keeps_the_filters_in_every_link_and_in_the_form(client, leadership,
                                                                 department):
    task = TaskFactory(code="1.1", lead_unit=department)
    response = _get(client, leadership, params={"group": task.group_id, "sort": "-tasks"})
    body = response.content.decode()
    assert _link(body, reverse("tasks:list"), group=task.group_id, status="in_progress")
    assert f'<option value="{task.group_id}" selected>' in body


def test_a_filter_that_cannot_be_read_is_named_and_the_rest_apply(client, leadership):
    TaskFactory(code="1.1")
    response = _get(client, leadership, params={"deadline_from": "31/02/2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hạn từ" in body and "Nhập một ngày hợp lệ." in body
    assert response.context["headline"]["total"] == 1


def test_the_page_in_vietnamese_and_in_english(client, leadership):
    TaskFactory(code="1.1")
    body = _get(client, leadership).content.decode()
    assert "Bảng điều hành" in body and "Đã hoàn thành đúng hạn" in body
    assert "<title" in body and "<desc" in body and 'role="img"' in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(URL).content.decode()
    assert "Dashboard" in body and "Completed on time" in body and "Lead units" in body


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


def test_the_at_risk_list(client, leadership, department, today):
    period = period_open(on=today)
    task = TaskFactory(code="1.1", lead_unit=department, deadline=today + timedelta(days=60))
    TaskFactory(code="1.2", lead_unit=department, deadline=today + timedelta(days=60))
    ProgressReportFactory(task=task, unit=department, period=period, percent_complete=5,
                          state=ProgressReport.State.APPROVED,
                          submitted_at=timezone.now(), submitted_by=leadership,
                          decided_at=timezone.now(), decided_by=leadership)
    response = _get(client, leadership, reverse("dashboard_at_risk"), {"at_risk": "yes"})
    assert response.status_code == 200
    assert [row["task"].code for row in response.context["rows"]] == ["1.1"]
    assert response.context["rows"][0]["latest"] == 5
    no_trend = client.get(reverse("dashboard_at_risk"), {"at_risk": "no_trend"})
    assert [row["task"].code for row in no_trend.context["rows"]] == ["1.2"]


def test_the_reports_list_of_one_unit(client, leadership, department, other_unit, today):
    period = period_open(on=today)
    first = TaskFactory(code="1.1", lead_unit=department, coordinating_units=[other_unit])
    TaskFactory(code="1.2", lead_unit=department, coordinating_units=[other_unit])
    ProgressReportFactory(task=first, unit=other_unit, period=period,
                          state=ProgressReport.State.SUBMITTED, submitted_at=timezone.now(),
                          submitted_by=leadership, created_by=leadership)
    client.force_login(leadership)

    def listed(**params):
        response = client.get(reverse("dashboard_reports"),
                              {"reporting_unit": other_unit.pk, **params})
        return [(row["task"].code, row["unit"], row["lead"], row["submitted"])
                for row in response.context["rows"]], response.content.decode()

    missing, body = listed()
    assert missing == [("1.2", other_unit, False, None)]
    assert "Bộ Nội vụ" in body
    assert listed(received="yes")[0] == [("1.1", other_unit, False, today)]
    assert listed(received="on_time")[0] == [("1.1", other_unit, False, today)]
    assert [row[0] for row in listed(received="any")[0]] == ["1.1", "1.2"]
    assert listed(received="any")[1].count(today.strftime("%d/%m/%Y")) >= 1


def test_the_compliance_tables_numbers_open_their_lists(client, leadership, department,
                                                         other_unit):
    TaskFactory(code="1.1", lead_unit=department, coordinating_units=[other_unit])
    body = _get(client, leadership).content.decode()
    for received in ("any", "yes", "on_time", "no"):
        href = _link(body, reverse("dashboard_reports"), received=received,
                     reporting_unit=other_unit.pk)
        response = client.get(href)
        assert response.status_code == 200
        assert response.context["count"] == (0 if received in ("yes", "on_time") else 1)


@pytest.mark.parametrize(("role", "url", "params"), [
    (User.Role.LEADERSHIP, URL, {}),
    (User.Role.LEADER, URL, {"status": ["overdue", "in_progress"]}),
    (User.Role.LEADERSHIP, reverse("dashboard_at_risk"), {"at_risk": "yes"}),
    (User.Role.SECRETARIAT, reverse("dashboard_reports"), {"received": "any"}),
])
def test_queries_do_not_grow_with_the_number_of_tasks(client, department, other_unit, today,
                                                      role, url, params):
    user = UserFactory(role=role, unit=department)
    client.force_login(user)
    period = period_open(on=today)

    def add(count):
        for number in range(count):
            lead = UnitFactory(parent=department)
            # Overdue and in progress (at risk on one 10% report) in the small and the large.
            due = today + timedelta(days=-5 if number % 2 else 40)
            task = TaskFactory(lead_unit=lead, coordinating_units=[other_unit], deadline=due)
            ProgressReportFactory(task=task, unit=lead, period=period, percent_complete=10,
                                  state=ProgressReport.State.APPROVED,
                                  submitted_at=timezone.now(), submitted_by=user,
                                  decided_at=timezone.now(), decided_by=user, created_by=user)

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, params).status_code == 200
        return len(context.captured_queries)

    add(3)
    client.get(url, params)
    _touch()
    cold_small = count_queries()
    warm_small = count_queries()
    add(27)
    cold_large = count_queries()
    warm_large = count_queries()
    assert cold_large == cold_small
    assert warm_large == warm_small


def test_the_cache_serves_the_same_figures_until_the_data_changes(programme):
    first = _headline_counts()
    with CaptureQueriesContext(connection) as context:
        assert _headline_counts() == first
    assert len(context.captured_queries) == 1  # the data version only


@pytest.mark.parametrize("change", ["save", "bulk_update", "raw_sql", "occurrence",
                                    "members", "report_state", "report_delete"])
def test_any_change_to_what_the_figures_read_is_seen_at_once(programme, change):
    tasks, units = programme["tasks"], programme["units"]
    (before, at_risk) = _headline_counts()
    version = data_version()
    if change == "save":
        task = Task.objects.get(pk=tasks["A3"].pk)
        task.completed_on = ON
        task.save()
    elif change == "bulk_update":  # no save(), no signal
        Task.objects.filter(pk=tasks["A3"].pk).update(completed_on=ON)
    elif change == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tasks_task SET completed_on = %s WHERE id = %s",
                           [ON, tasks["A3"].pk])
    elif change == "occurrence":  # B2's February occurrence done: no longer overdue
        OccurrenceCompletion.objects.create(task=tasks["B2"], due="2026-02-28",
                                            completed_on="2026-03-01")
    elif change == "members":  # O reports for C's task too: unchanged status, new version
        units["C"].members.remove(units["O"])
    elif change == "report_state":  # A4's approvals withdrawn: no longer forecast
        ProgressReport.objects.filter(task=tasks["A4"]).update(
            state=ProgressReport.State.SUBMITTED)
    elif change == "report_delete":
        ProgressReport.objects.filter(task=tasks["A8"]).delete()
    assert data_version() != version
    after, risk_after = _headline_counts()
    if change in ("save", "bulk_update", "raw_sql", "occurrence"):
        assert after["overdue"] == before["overdue"] - 1
    if change in ("report_state", "report_delete"):
        assert risk_after == at_risk - 1


def test_editing_a_draft_does_not_change_the_figures_nor_the_version(programme):
    draft = ProgressReport.objects.get(state=ProgressReport.State.DRAFT, unit__code="D1")
    version = data_version()
    draft.percent_complete = 80
    draft.results = "Bổ sung kết quả."
    draft.save()
    assert data_version() == version


def test_figures_of_work_rolled_back_are_never_served(programme):
    before = _headline_counts()
    with pytest.raises(RuntimeError), transaction.atomic():
        Task.objects.filter(pk=programme["tasks"]["A3"].pk).update(completed_on=ON)
        assert _headline_counts() != before  # computed (and cached) inside the transaction
        raise RuntimeError
    assert _headline_counts() == before


def test_the_page_works_when_the_cache_does_not(client, leadership, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    TaskFactory(code="1.1")
    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    assert _get(client, leadership).status_code == 200


def test_collective_units_are_listed_by_name(client, leadership):
    designation = UnitFactory(code="DS", name="Các bộ, ngành", kind=Unit.Kind.COLLECTIVE)
    TaskFactory(code="1.1", lead_unit=designation)
    assert "Các bộ, ngành" in _get(client, leadership).content.decode()


def test_the_cached_page_shows_any_change_at_once(client, leadership, today):
    task = TaskFactory(code="1.1", deadline=today - timedelta(days=3))
    TaskFactory(code="1.2", deadline=today + timedelta(days=3))

    def overdue_card():
        body = client.get(URL).content.decode()
        return re.search(r'stat-overdue">.*?class="stat-number"[^>]*>(\d+)<', body, re.S)[1]

    client.force_login(leadership)
    assert overdue_card() == "1"
    assert overdue_card() == "1"  # drawn from the cache
    Task.objects.filter(pk=task.pk).update(completed_on=today)  # no save(), no signal
    assert overdue_card() == "0"


def test_each_sorting_is_its_own_page(client, leadership, department, other_unit, today):
    TaskFactory(code="1.1", lead_unit=department, deadline=today - timedelta(days=3))
    TaskFactory(code="1.2", lead_unit=other_unit)
    client.force_login(leadership)
    by_overdue = client.get(URL, {"sort": "-overdue"}).content.decode()
    by_name = client.get(URL, {"sort": "-unit"}).content.decode()
    assert by_overdue.index("Vụ Tổ chức cán bộ") < by_overdue.index("Bộ Nội vụ</th>")
    assert by_name.index("Vụ Tổ chức cán bộ") < by_name.index("Bộ Nội vụ</th>")
    by_name_ascending = client.get(URL, {"sort": "unit"}).content.decode()
    league = by_name_ascending[by_name_ascending.index('id="league"'):]
    assert league.index("Bộ Nội vụ") < league.index("Vụ Tổ chức cán bộ")
