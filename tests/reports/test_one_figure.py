"""One figure, one answer: the dashboard, the API's stats/, the task list and the monthly report
count the same tasks in each status class, on a hand-built programme, on several days (the
cut-offs of its periods and a day between them). Each reads the per-task facts (tasks.facts);
this checks that no page counts in a way of its own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.compliance import monthly_report_data
from reports.dashboard.figures import STATUSES, headline_row
from reports.dashboard.first import dashboard_tasks
from reports.dashboard.overview import dashboard_window
from tasks.models import Task
from tests.factories import UserFactory
from units.models import User

from .dashboard_programme import ON, build

pytestmark = pytest.mark.django_db


def _dashboard(day) -> dict:
    row = headline_row(dashboard_tasks(Task.objects.all(), data=None, on=day).qs,
                       window=dashboard_window(on=day))
    return {status: row[f"now_{status}"] for status in STATUSES}


def _stats(client, day) -> dict:
    response = client.get("/api/v1/stats/", {"on": day.isoformat()})
    assert response.status_code == 200
    return response.json()["counts"]


def _task_list(client, monkeypatch, day) -> dict:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    counts = {}
    for status in STATUSES:
        response = client.get(reverse("tasks:list"), {"status": status})
        counts[status] = response.context["page"].paginator.count
    monkeypatch.undo()
    return counts


def _monthly(period) -> dict:
    data = monthly_report_data(period=period, on=period.ends_on)
    return {status: sum(group["counts"][status] for group in data["by_group"])
            for status in STATUSES}


def test_every_page_counts_the_same_tasks_in_each_class_on_every_day(client, monkeypatch):
    programme = build()
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    periods = sorted(programme["periods"].values(), key=lambda period: period.ends_on)
    days = [*(period.ends_on for period in periods), ON]
    seen = set()
    for day in days:
        dashboard = _dashboard(day)
        assert sum(dashboard.values()) == Task.objects.count()
        assert _stats(client, day) == dashboard, day
        assert _task_list(client, monkeypatch, day) == dashboard, day
        seen.add(tuple(sorted(dashboard.items())))
    for period in periods:
        assert _monthly(period) == _dashboard(period.ends_on), period
    assert len(seen) > 2  # the days differ: the agreement is not that of empty pages
