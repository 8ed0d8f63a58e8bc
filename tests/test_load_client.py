"""The load test's clients (scripts/load) against the real pages.

`make load` is not part of `make test`; these tests keep its clients honest as the pages change:
the reporter finds its report on "my tasks", fills the report form as a browser would and
saves then submits it, and the leader finds and approves it. A client that filled a form wrongly
would show up in `make load` as failures that are not the site's.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from reports.models import ProgressReport
from reports.periods import period_open
from tests.factories import ProgressReportFactory, TaskFactory

_spec = importlib.util.spec_from_file_location(
    "load_pages", Path(settings.BASE_DIR) / "scripts" / "load" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)


@pytest.fixture
def started_from_completed(department):
    """A task whose report last period said "completed" with a date, so this period's form opens
    with that status and date filled in."""
    today = timezone.localdate()
    current = period_open(on=today)
    previous = period_open(on=current.starts_on - timedelta(days=1))
    task = TaskFactory(lead_unit=department, deadline=today + timedelta(days=60))
    ProgressReportFactory(task=task, unit=department, period=previous, percent_complete=100,
                          progress_status=ProgressReport.ProgressStatus.COMPLETED,
                          completion_date=previous.ends_on)
    return task


def _post(client, url, action, **changes):
    data = pages.form_with(client.get(url).content.decode(), action)
    assert data is not None, f"no form with a {action!r} button on {url}"
    return client.post(url, {**data, **changes, "action": action})


def test_the_reporter_and_the_leader_of_the_load_test_get_their_work_done(
        client, reporter, leader, started_from_completed):
    client.force_login(reporter)
    links = pages.REPORT_LINK.findall(client.get("/").content.decode())
    assert len(links) == 1
    url = links[0]
    entries = pages.reporter_entries(reporter.username)
    saved = _post(client, url, "save", **entries)
    assert saved.status_code == 302, saved.content.decode()
    report = ProgressReport.objects.get(task=started_from_completed,
                                        period=period_open(on=timezone.localdate()))
    assert (report.results, report.completion_date) == (entries["results"], None)
    assert _post(client, url, "submit").status_code == 302

    client.force_login(leader)
    assert pages.SUBMITTED_LINK.findall(client.get("/").content.decode()) == [url]
    assert _post(client, url, "approve", comment="").status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED


def test_the_completion_date_the_reporter_clears_would_be_refused_if_kept(
        client, reporter, started_from_completed):
    """Why the reporter clears the date: "on track" with a completion date is refused."""
    client.force_login(reporter)
    url = pages.REPORT_LINK.findall(client.get("/").content.decode())[0]
    entries = {**pages.reporter_entries(reporter.username)}
    del entries["completion_date"]
    refused = _post(client, url, "save", **entries)
    assert refused.status_code == 200
    assert "Chỉ nhập ngày hoàn thành đối với nhiệm vụ đã hoàn thành" in refused.content.decode()


def test_the_anonymous_reader_finds_the_issued_periods_and_their_open_data(client, department,
                                                                           monkeypatch):
    from tests.factories import ReportingPeriodFactory
    from tests.public.conftest import build_programme, issue

    monkeypatch.setattr("reports.monthly._render", lambda **kwargs: b"%PDF-1.7 test")
    period = ReportingPeriodFactory(year=2025, month=11)
    resolution, _tasks = build_programme(department=department, period=period)
    issue(period)
    programmes = pages.PUBLIC_PROGRAMME_LINK.findall(client.get("/public/").content.decode())
    assert programmes == [f"/public/{resolution.pk}/"]
    page = client.get(programmes[0]).content.decode()
    periods = pages.PUBLIC_PERIOD_LINK.findall(page)
    assert f"/public/{resolution.pk}/2025-11/" in periods
    for period_url in periods:
        assert client.get(period_url).status_code == 200
        for data in (".json", ".csv"):
            assert client.get(period_url.rstrip("/") + data).status_code == 200
