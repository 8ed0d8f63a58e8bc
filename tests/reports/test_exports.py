"""A period's progress reports exported to Excel and CSV, within the reader's scope."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ProgressReport
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def reports(period, department, other_unit, reporter):
    task = TaskFactory(lead_unit=department, coordinating_units=[other_unit], code="2.5")
    lead = ProgressReportFactory(task=task, unit=department, period=period, created_by=reporter,
                                 results="=SUM(A1:A9) đã hoàn thành", percent_complete=100,
                                 progress_status=ProgressReport.ProgressStatus.COMPLETED,
                                 completion_date=date(2025, 11, 10))
    helper = ProgressReportFactory(task=task, unit=other_unit, period=period,
                                   created_by=reporter, results="Đã góp ý dự thảo.")
    elsewhere = ProgressReportFactory(period=period, results="Việc của đơn vị khác.")
    return lead, helper, elsewhere


def url(period, file_format="csv"):
    return reverse("period_reports_export", args=[period.year, period.month]) + (
        f"?format={file_format}")


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_secretariat_exports_every_report_of_the_period(client, secretariat, period,
                                                            reports):
    client.force_login(secretariat)
    rows = csv_rows(client.get(url(period)))
    assert rows[0][:5] == ["Kỳ báo cáo", "Nghị quyết", "Mã nhiệm vụ", "Nhiệm vụ",
                           "Đơn vị báo cáo"]
    assert len(rows) == 4
    lead = next(row for row in rows if row[4] == "Vụ Tổ chức cán bộ")
    assert lead[5] == "cơ quan chủ trì" and lead[13] == "10/11/2025"
    assert lead[9] == "'=SUM(A1:A9) đã hoàn thành"  # inert in a spreadsheet

    sheet = load_workbook(io.BytesIO(client.get(url(period, "xlsx")).content)).active
    cell = next(cell for row in sheet.iter_rows() for cell in row
                if cell.value == "=SUM(A1:A9) đã hoàn thành")
    assert cell.data_type == "s" and cell.quotePrefix
    completed = next(row for row in sheet.iter_rows() if row[4].value == "Vụ Tổ chức cán bộ")
    assert completed[13].number_format == "DD/MM/YYYY"


def test_headers_follow_the_language(client, secretariat, period, reports):
    client.force_login(secretariat)
    client.cookies["django_language"] = "en"
    rows = csv_rows(client.get(url(period), HTTP_ACCEPT_LANGUAGE="en"))
    assert rows[0][:3] == ["Period", "Resolution", "Task code"]


def test_a_reporter_exports_only_the_reports_they_may_read(client, period, reports,
                                                           other_reporter):
    client.force_login(other_reporter)  # of the coordinating ministry
    rows = csv_rows(client.get(url(period)))
    assert [row[4] for row in rows[1:]] == ["Bộ Nội vụ"]
    assert client.get(url(period, "pdf")).status_code == 404


def test_the_lead_reads_its_coordinating_units_reports(client, period, reports, leader):
    client.force_login(leader)
    rows = csv_rows(client.get(url(period)))
    assert sorted(row[4] for row in rows[1:]) == ["Bộ Nội vụ", "Vụ Tổ chức cán bộ"]


def test_a_large_export_is_prepared_by_a_job(client, settings, secretariat, period, reports,
                                             django_capture_on_commit_callbacks):
    settings.TASK_EXPORT_INLINE_ROWS = 1
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url(period, "xlsx"))
    download = client.get(response.url + "download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 2 + 3


def test_the_export_costs_the_same_for_3_and_30_reports(client, period):
    reader = UserFactory(role=User.Role.LEADERSHIP)
    collective = UnitFactory(kind="collective")
    collective.members.set([UnitFactory(), UnitFactory()])

    def add(count):
        for index in range(count):
            task = TaskFactory(lead_unit=collective if index % 2 else UnitFactory())
            unit = collective.members.first() if index % 2 else task.lead_unit
            ProgressReportFactory(task=task, unit=unit, period=period)

    client.force_login(reader)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(period, "xlsx")).status_code == 200
        return len(queries)

    add(3)
    few = count()
    add(27)
    assert count() == few
