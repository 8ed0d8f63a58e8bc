"""What the dashboard's pages cost, and the cache that must never outlive the data."""

import re
import shutil
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.dashboard.cache import _code_version, data_version
from reports.models import ProgressReport
from reports.periods import period_open
from tasks.models import OccurrenceCompletion, Task
from tests.factories import ProgressReportFactory, TaskFactory, UnitFactory, UserFactory
from units.models import User

from ..dashboard_programme import ON
from .helpers import PAGES, URL, _get, _headline_counts, _touch


@pytest.mark.parametrize(("role", "url", "params"), [
    *((User.Role.LEADERSHIP, url, {}) for url in PAGES),
    (User.Role.LEADER, URL, {"status": ["overdue", "in_progress"]}),
    (User.Role.LEADER, PAGES[2], {"group": "1", "sort": "-tasks"}),
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
    UnitFactory(parent=department)  # as add() does: the choices change too (units)
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


def test_the_cache_key_follows_every_module_and_template_of_the_pages(settings, tmp_path):
    """A release that changes any module or template of the pages reads nothing an older one
    cached (checked on a copy of the sources)."""
    for folder in ("reports", "indicators", "templates/reports"):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    settings.BASE_DIR = tmp_path
    try:
        versions = set()
        for source in ("reports/views/dashboard_first.py", "reports/views/dashboard_links.py",
                       "reports/views/dashboard_sections.py", "reports/views/dashboard.py",
                       "templates/reports/dashboard/first.html",
                       "templates/reports/dashboard.html", "indicators/status.py"):
            _code_version.cache_clear()
            versions.add(_code_version())
            path = tmp_path / source
            path.write_text(path.read_text() + "\n")
        _code_version.cache_clear()
        versions.add(_code_version())
        assert len(versions) == 8
    finally:
        _code_version.cache_clear()


def test_the_filter_bar_is_kept_while_tasks_change_and_drawn_again_when_its_choices_do(
        client, leadership, today, monkeypatch):
    import importlib

    from tasks.views import listing
    dashboard_views = importlib.import_module("reports.views.dashboard")
    monkeypatch.setattr(listing, "UNIT_SELECT_LIMIT", 0)  # a national programme's units
    drawn = []
    frame = dashboard_views._frame
    monkeypatch.setattr(dashboard_views, "_frame",
                        lambda *args: drawn.append(1) or frame(*args))
    task = TaskFactory(code="1.1", deadline=today + timedelta(days=3))
    group = task.group
    client.force_login(leadership)

    def group_options():
        body = client.get(URL).content.decode()
        select = re.search(r'<select name="group".*?</select>', body, re.S)[0]
        return re.findall(r"<option[^>]*>([^<]+)</option>", select)

    assert any(group.name in option for option in group_options())
    assert len(drawn) == 1
    Task.objects.filter(pk=task.pk).update(title="Một tiêu đề khác")  # the data, not the choices
    assert any(group.name in option for option in group_options())
    assert len(drawn) == 1  # kept
    type(group).objects.filter(pk=group.pk).update(name="Nhóm đã đổi tên")  # no save()
    assert any("Nhóm đã đổi tên" in option for option in group_options())
    assert len(drawn) == 2


def test_a_write_in_the_browser_computes_leaderships_first_screen_for_the_next_look(
        client, leadership, secretariat, today, monkeypatch):
    """The writer pays: after a task is created through its page, leadership's first screen
    shows it without computing a figure (tasks.facts.writes_settled, reports first_screen_warm)."""
    import importlib

    from django.test import Client

    first = importlib.import_module("reports.dashboard.first")
    task = TaskFactory(code="1.1", deadline=today - timedelta(days=3))

    def overdue_card():
        body = _get(client, leadership).content.decode()
        return re.search(r'stat-overdue">.*?class="stat-number"[^>]*>(\d+)<', body, re.S)[1]

    assert overdue_card() == "1"
    writer = Client()
    writer.force_login(secretariat)
    response = writer.post(reverse("tasks:task_new", args=[task.resolution_id]), {
        "group": task.group_id, "code": "1.2", "title": "Ban hành Thông tư",
        "lead_unit": task.lead_unit_id, "competent_authority": "government",
        "responsible_official": "Vụ trưởng",
        "deadline_text": (today - timedelta(days=40)).strftime("%d/%m/%Y"),
        "outputs-TOTAL_FORMS": "0", "outputs-INITIAL_FORMS": "0"})
    assert response.status_code == 302

    def refused(*args, **kwargs):
        raise AssertionError("leadership's first screen was computed by the reader")

    monkeypatch.setattr(first, "headline_row", refused)
    assert overdue_card() == "2"
