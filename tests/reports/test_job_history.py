"""What the reporting jobs write goes through services that leave a history record, and a second
run writes nothing more."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.drafts import monthly_report_request_draft
from reports.jobs import build_monthly_report_data, record_late_reports, sweep_monthly_drafts
from reports.lateness import report_lateness_record
from reports.models import MonthlyReportData, ProgressReport, ReportLateness
from tasks.models import Task
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def november(db):
    return ReportingPeriodFactory(year=2025, month=11)  # reports due by 17/11/2025


def test_late_reports_are_recorded_with_history_once(november, reporter, department):
    tasks = [TaskFactory(lead_unit=department) for _ in range(3)]
    assert record_late_reports(on="2025-11-18")["recorded"] == 3
    history = ReportLateness.history.all()
    assert history.count() == 3
    assert {(row.history_type, row.history_change_reason) for row in history} == {
        ("+", "Tác vụ định kỳ ghi nhận báo cáo chậm nộp")}

    assert record_late_reports(on="2025-11-19")["recorded"] == 0
    assert ReportLateness.history.count() == 3  # nothing more

    sent = datetime(2025, 11, 19, 9, tzinfo=HANOI)
    ProgressReportFactory(task=tasks[0], unit=department, period=november, created_by=reporter,
                          state=ProgressReport.State.SUBMITTED, submitted_by=reporter,
                          submitted_at=sent)
    assert record_late_reports(on="2025-11-20")["updated"] == 1
    filled = ReportLateness.history.filter(history_type="~").get()
    assert (filled.task_id, filled.submitted_at, filled.history_change_reason) == (
        tasks[0].pk, sent, "Tác vụ định kỳ ghi nhận thời điểm nộp muộn")
    assert record_late_reports(on="2025-11-21")["updated"] == 0
    assert ReportLateness.history.count() == 4


def test_recording_lateness_takes_the_same_queries_for_3_tasks_and_30(november):
    def queries(n: int) -> int:
        unit = UnitFactory()
        for _ in range(n):
            TaskFactory(lead_unit=unit)
        with CaptureQueriesContext(connection) as captured:
            new, _filled = report_lateness_record(period=november)
        assert len(new) == n
        ReportLateness.objects.all().delete()
        Task.objects.all().delete()
        return len(captured.captured_queries)

    assert queries(3) == queries(30)


def test_the_monthly_figures_built_by_the_job_are_in_the_history(november):
    TaskFactory()
    assert build_monthly_report_data(on="2025-11-18")["built"] == 1
    steps = list(MonthlyReportData.history.order_by("history_date", "history_id")
                 .values_list("history_type", "history_change_reason", "progress"))
    assert steps == [("+", "Tác vụ định kỳ đã tổng hợp số liệu", 0),
                     ("~", "Đã chuẩn bị bản dự thảo", 100)]
    assert build_monthly_report_data(on="2025-11-19")["built"] == 0
    assert MonthlyReportData.history.count() == 2


def test_a_draft_request_records_who_asked(november, secretariat,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        record = monthly_report_request_draft(period=november, actor=secretariat)
    assert record.progress == MonthlyReportData.QUEUED
    step = MonthlyReportData.history.get()
    assert (step.history_user, step.history_change_reason) == (
        secretariat, "Đã yêu cầu chuẩn bị bản dự thảo")


def test_the_draft_sweep_records_what_it_changes(november, settings):
    settings.CELERY_TASK_TIME_LIMIT = 30 * 60
    now = timezone.now()
    waiting = MonthlyReportData.objects.create(
        period=november, data={}, progress=MonthlyReportData.QUEUED,
        queued_at=now - timedelta(hours=1))
    abandoned = MonthlyReportData.objects.create(
        period=ReportingPeriodFactory(year=2025, month=10), data={}, progress=40,
        queued_at=now - timedelta(hours=2),
        taken_up_at=now - timedelta(hours=1))
    abandoned.draft_pdf.save("draft-2025-10.pdf", ContentFile(b"%PDF-1.4"))
    gone = MonthlyReportData.objects.create(
        period=ReportingPeriodFactory(year=2025, month=9), data={}, progress=40,
        queued_at=now - timedelta(hours=2),
        taken_up_at=now - timedelta(hours=1))
    before = MonthlyReportData.history.count()
    assert sweep_monthly_drafts() == {"queued_again": 1, "abandoned": 2}
    steps = {(row.id, row.history_type, row.history_change_reason) for row in
             MonthlyReportData.history.order_by("history_id")[before:]}
    assert steps == {(waiting.pk, "~", "Đưa bản dự thảo vào hàng đợi lại"),
                     (abandoned.pk, "~", "Bản dự thảo bị bỏ dở do tiến trình xử lý đã dừng"),
                     (gone.pk, "-", "Bản dự thảo bị bỏ dở do tiến trình xử lý đã dừng")}
