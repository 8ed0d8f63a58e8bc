"""The monthly report: preview, draft as a job, issue and freeze, versions, who may do what."""

import hashlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import IssuedMonthlyReport, MonthlyReportData
from reports.monthly import monthly_report_issue
from tests.factories import ProgressReportFactory, ReportingPeriodFactory, TaskFactory, UserFactory
from units.models import User


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def programme(period, department):
    tasks = [TaskFactory(lead_unit=department, title="Thông tư hướng dẫn trạm y tế cấp xã"),
             TaskFactory(lead_unit=department, title="Đề án sắp xếp bệnh viện tuyến tỉnh")]
    ProgressReportFactory(task=tasks[0], unit=department, period=period)
    return tasks


@pytest.fixture
def leadership(db):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


def test_an_issued_report_downloads_as_the_same_bytes_every_time(
        client, secretariat, period, programme):
    client.force_login(secretariat)
    response = client.post(reverse("monthly_report_issue", args=[2025, 11]),
                           {"number": "15/BC-BYT"})
    assert response.status_code == 302
    report = IssuedMonthlyReport.objects.get()
    first = _body(client.get(reverse("issued_report", args=[report.pk])))
    second = _body(client.get(reverse("issued_report", args=[report.pk])))
    assert first == second
    assert hashlib.sha256(first).hexdigest() == report.sha256
    english = _body(client.get(reverse("issued_report_en", args=[report.pk])))
    assert hashlib.sha256(english).hexdigest() == report.sha256_en != report.sha256
    text = _pdf_text(first)
    assert "15/BC-BYT" in text
    assert "DỰ THẢO" not in text
    assert report.data["status"]["total"] == 2


def test_a_reissue_needs_a_reason_and_leaves_the_first_version_as_it_was(
        secretariat, period, programme):
    first = monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    first_bytes = first.pdf.open("rb").read()
    from django.core.exceptions import ValidationError
    with pytest.raises(ValidationError) as refused:
        monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    assert "reason" in refused.value.message_dict
    TaskFactory(lead_unit=programme[0].lead_unit, title="Nhiệm vụ bổ sung")
    second = monthly_report_issue(period=period, actor=secretariat, number="16/BC-BYT",
                                  reason="Bổ sung nhiệm vụ mới giao")
    assert (second.version, second.reason) == (2, "Bổ sung nhiệm vụ mới giao")
    first.refresh_from_db()
    assert first.pdf.open("rb").read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    assert (first.data["status"]["total"], second.data["status"]["total"]) == (2, 3)


def test_the_page_lists_versions_with_who_issued_them(client, secretariat, period, programme):
    monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    client.force_login(secretariat)
    page = client.get(reverse("monthly_reports")).content.decode()
    assert "15/BC-BYT" in page and str(secretariat) in page


def test_a_preview_says_draft_on_every_page(client, leadership, period, programme):
    client.force_login(leadership)
    response = client.get(reverse("monthly_report_preview", args=[2025, 11]))
    assert response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert all("DỰ THẢO" in page.extract_text() for page in pages)
    english = client.get(reverse("monthly_report_preview", args=[2025, 11]) + "?lang=en")
    assert "DRAFT" in _pdf_text(english.content)


def test_the_draft_is_prepared_as_a_job_with_its_progress(
        client, secretariat, period, programme, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monthly_report_prepare", args=[2025, 11]))
    record = MonthlyReportData.objects.get(period=period)
    assert record.progress == 100 and record.draft_pdf
    assert "DỰ THẢO" in _pdf_text(_body(client.get(reverse("monthly_report_draft",
                                                           args=[2025, 11]))))
    progress = client.get(reverse("monthly_report_progress", args=[2025, 11])).content.decode()
    assert reverse("monthly_report_draft", args=[2025, 11]) in progress


@pytest.mark.parametrize("role", [User.Role.REPORTER, User.Role.LEADER])
def test_unit_users_cannot_read_or_issue_the_monthly_report(client, department, period,
                                                            programme, secretariat, role):
    report = monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    client.force_login(UserFactory(role=role, unit=department))
    assert client.get(reverse("monthly_reports")).status_code == 403
    assert client.get(reverse("issued_report", args=[report.pk])).status_code == 403
    assert client.get(reverse("monthly_report_preview", args=[2025, 11])).status_code == 403
    assert client.post(reverse("monthly_report_issue", args=[2025, 11]),
                       {"number": "x", "reason": "y"}).status_code == 403
    assert client.get("/api/v1/monthly-reports/").status_code == 403


def test_leadership_reads_but_does_not_issue(client, leadership, period, programme):
    client.force_login(leadership)
    assert client.get(reverse("monthly_reports")).status_code == 200
    assert client.post(reverse("monthly_report_issue", args=[2025, 11]),
                       {"number": "15/BC-BYT"}).status_code == 403
    assert not IssuedMonthlyReport.objects.exists()


def test_the_api_lists_issued_reports_and_downloads_the_same_bytes(
        client, leadership, secretariat, period, programme):
    report = monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    client.force_login(leadership)
    listing = client.get("/api/v1/monthly-reports/").json()
    assert listing["results"][0]["sha256"] == report.sha256
    assert listing["results"][0]["period"] == "2025-11"
    pdf = _body(client.get(f"/api/v1/monthly-reports/{report.pk}/pdf/"))
    assert hashlib.sha256(pdf).hexdigest() == report.sha256
    pdf_en = _body(client.get(f"/api/v1/monthly-reports/{report.pk}/pdf/?lang=en"))
    assert hashlib.sha256(pdf_en).hexdigest() == report.sha256_en


def test_the_api_list_takes_the_same_queries_for_3_and_30_reports(
        client, leadership, secretariat, programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def issue(count, start):
        for month in range(start, start + count):
            period = ReportingPeriodFactory(year=2020 + month // 12, month=month % 12 + 1)
            IssuedMonthlyReport.objects.create(
                period=period, version=1, number=f"{month}/BC-BYT", issued_on=date(2025, 1, 1),
                data={}, pdf="x.pdf", sha256="0" * 64, pdf_en="y.pdf", sha256_en="1" * 64,
                issued_by=secretariat)

    client.force_login(leadership)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/monthly-reports/").status_code == 200
        return len(context.captured_queries)

    issue(3, 0)
    small = count()
    issue(27, 3)
    assert count() == small


def test_the_command_renders_a_period_to_a_file(tmp_path, period, programme):
    out = tmp_path / "report.pdf"
    call_command("render_monthly_report", "2025-11", "--out", str(out), "--lang", "en")
    assert "DRAFT" in _pdf_text(out.read_bytes())
    with pytest.raises(CommandError):
        call_command("render_monthly_report", "2025-13", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("render_monthly_report", "1999-01", "--out", str(out))


def test_the_scheduled_job_stores_the_draft_after_the_deadline(period, programme, secretariat):
    from reports.jobs import build_monthly_report_data

    build_monthly_report_data(on="2025-11-18")
    record = MonthlyReportData.objects.get(period=period)
    assert record.generated_by_job and record.draft_pdf and record.progress == 100


def test_a_refused_reissue_keeps_what_was_typed_and_says_why(client, secretariat, period,
                                                             programme):
    monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    client.force_login(secretariat)
    response = client.post(reverse("monthly_report_issue", args=[2025, 11]),
                           {"number": "16/BC-BYT", "reason": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="16/BC-BYT"' in page
    assert "lý do ban hành phiên bản mới" in page  # the refusal, in Vietnamese, beside the field
    assert IssuedMonthlyReport.objects.count() == 1


def _due_period():
    """A period whose reports were due before today: its monthly report is the one due now."""
    from datetime import timedelta

    from django.utils import timezone

    month = timezone.localdate().replace(day=1) - timedelta(days=40)
    return ReportingPeriodFactory(year=month.year, month=month.month)


def test_the_page_puts_the_report_due_now_first_and_folds_earlier_periods_away(
        client, secretariat, period, programme):
    due = _due_period()
    client.force_login(secretariat)
    page = client.get(reverse("monthly_reports")).content.decode()
    current = page[page.index('id="current"'):page.index('id="issued-title"')]
    assert f"Hiện tại: báo cáo của kỳ {due}" in current
    assert "Bước tiếp theo:" in current and 'id="issue-current"' in current
    older = page[page.index("<details"):page.index("</details>")]
    assert f"Kỳ báo cáo {period}" in older  # 11/2025, long past: folded away
    assert "Chưa ban hành báo cáo tháng nào" in page  # the empty list says what to do

    MonthlyReportData.objects.create(period=due, data={"status": {}}, progress=100)
    page = client.get(reverse("monthly_reports")).content.decode()
    assert "đã có bản dự thảo: xem trước, rồi ban hành báo cáo" in page


def test_issued_reports_are_listed_as_versions_with_number_date_and_files(
        client, secretariat, period, programme):
    first = monthly_report_issue(period=period, actor=secretariat, number="15/BC-BYT")
    client.force_login(secretariat)
    page = client.get(reverse("monthly_reports")).content.decode()
    listed = page[page.index('id="issued-title"'):]
    assert "15/BC-BYT" in listed and first.issued_on.strftime("%d/%m/%Y") in listed
    assert reverse("issued_report", args=[first.pk]) in listed
    assert reverse("issued_report_en", args=[first.pk]) in listed


def test_the_page_takes_the_same_queries_for_3_and_30_periods(client, secretariat, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(secretariat)

    def add(months):
        for year, month in months:
            ReportingPeriodFactory(year=year, month=month)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("monthly_reports")).status_code == 200
        return len(context.captured_queries)

    months = [(2023 + index // 12, index % 12 + 1) for index in range(30)]
    add(months[:3])
    small = count()
    add(months[3:])
    assert count() == small
