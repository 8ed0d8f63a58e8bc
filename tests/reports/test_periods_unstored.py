"""Pages read the reporting period, they never create it: before the daily job has stored this
month's period, home, the task page, the dashboard and the report page show it all the same, and
the first report saved stores it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ProgressReport, ReportingPeriod
from reports.periods import period_for_date, period_open
from tasks.deadlines import DeadlineKind
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(department):
    return TaskFactory(lead_unit=department, deadline_kind=DeadlineKind.DAY,
                       deadline=timezone.localdate().replace(year=timezone.localdate().year + 1))


def _report_url(task, unit, period):
    return reverse("report", args=[task.pk, unit.pk, period.year, period.month])


def test_the_selector_gives_an_unsaved_period_with_its_dates_and_writes_nothing(settings):
    settings.REPORTING_CUTOFF_DAY = 14
    settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF = 3
    period = period_for_date(on=date(2025, 11, 20))
    assert period.pk is None
    assert (period.year, period.month, period.starts_on, period.ends_on,
            period.submission_deadline) == (2025, 12, date(2025, 11, 15), date(2025, 12, 14),
                                            date(2025, 12, 17))
    assert not ReportingPeriod.objects.exists()
    stored = period_open(on=date(2025, 11, 20))
    assert period_for_date(on=date(2025, 11, 20)).pk == stored.pk


def test_get_pages_do_not_create_the_period_and_saving_a_report_does(
        client, reporter, secretariat, department, task):
    period = period_for_date(on=timezone.localdate())
    client.force_login(reporter)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert _report_url(task, department, period) in home.content.decode()
    page = client.get(reverse("task_detail", args=[task.pk]))
    assert page.status_code == 200
    assert _report_url(task, department, period) in page.content.decode()
    assert client.get(_report_url(task, department, period)).status_code == 200
    client.force_login(secretariat)
    for name in ("dashboard", "dashboard_reports", "dashboard_at_risk"):
        assert client.get(reverse(name)).status_code == 200, name
    assert not ReportingPeriod.objects.exists()

    client.force_login(reporter)
    rows = list(task.outputs.order_by("pk"))
    response = client.post(_report_url(task, department, period), {
        "action": "save", "percent_complete": "20", "progress_status": "on_track",
        "results": "Đã lập kế hoạch triển khai.", "difficulties": "", "proposals": "",
        "next_steps": "", "completion_date": "", "version": "",
        "outputs-TOTAL_FORMS": str(len(rows)), "outputs-INITIAL_FORMS": str(len(rows)),
        "outputs-MIN_NUM_FORMS": "0", "outputs-MAX_NUM_FORMS": "1000",
        **{f"outputs-{i}-{name}": value for i, output in enumerate(rows) for name, value in
           {"output_id": str(output.pk), "status": "drafting", "document_number": "",
            "issued_on": ""}.items()},
    })
    assert response.status_code == 302
    stored = ReportingPeriod.objects.get()
    assert (stored.year, stored.month, stored.starts_on, stored.submission_deadline) == (
        period.year, period.month, period.starts_on, period.submission_deadline)
    assert ProgressReport.objects.get().period == stored


def test_a_refused_save_does_not_store_the_period(client, reporter, department, task):
    period = period_for_date(on=timezone.localdate())
    client.force_login(reporter)
    rows = list(task.outputs.order_by("pk"))
    response = client.post(_report_url(task, department, period), {
        "action": "save", "percent_complete": "100", "progress_status": "on_track",
        "results": "", "difficulties": "", "proposals": "", "next_steps": "",
        "completion_date": "2025-01-01", "version": "",
        "outputs-TOTAL_FORMS": str(len(rows)), "outputs-INITIAL_FORMS": str(len(rows)),
        "outputs-MIN_NUM_FORMS": "0", "outputs-MAX_NUM_FORMS": "1000",
        **{f"outputs-{i}-{name}": value for i, output in enumerate(rows) for name, value in
           {"output_id": str(output.pk), "status": "drafting", "document_number": "",
            "issued_on": ""}.items()},
    })
    assert response.status_code == 200
    assert not ReportingPeriod.objects.exists()


def test_a_month_neither_stored_nor_current_has_no_report_page(client, reporter, department,
                                                               task):
    client.force_login(reporter)
    assert client.get(reverse("report", args=[task.pk, department.pk, 2001, 3])).status_code \
        == 404
    assert not ReportingPeriod.objects.exists()
