"""The lists behind the dashboard's numbers that the task list cannot show: tasks at risk,
reports expected this period."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from reports.models import ProgressReport
from reports.periods import period_open
from tests.factories import ProgressReportFactory, TaskFactory

from .helpers import _get


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


def test_the_lists_carry_the_dashboards_pages_and_filter_bar(client, leadership, department):
    task = TaskFactory(code="1.1", lead_unit=department)
    for url in (reverse("dashboard_at_risk"), reverse("dashboard_reports")):
        body = _get(client, leadership, url, {"group": task.group_id}).content.decode()
        assert '<details class="filter-bar" open>' in body
        assert f'href="{reverse("dashboard_units")}?group={task.group_id}"' in body
