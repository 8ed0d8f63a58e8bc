"""The report page in the browser: concurrent edits, evidence, the lead's view, my tasks, queries.

Every test goes through HTTP as a user would: what the page shows, what the database keeps, and
what is refused (403 for a step the user may not take, 404 for what is outside their scope)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports.evidence import evidence_add
from reports.models import EvidenceFile, ProgressReport
from reports.periods import period_open
from reports.selectors import count_to_submit
from reports.services import progress_report_submit
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
)

from .helpers import (
    PDF_BYTES,
    State,
    _count_queries,
    _draft,
    _english,
    _form,
    _pdf,
    _row_tasks,
    _the_report,
    _url,
)


def test_two_people_starting_the_same_new_report_do_not_silently_overwrite_each_other(
        client, reporter, leader, task, department, period):
    url = _url(task, department, period)
    client.force_login(reporter)
    reporters_version = client.get(url).context["form"]["version"].value()
    client.force_login(leader)
    leaders_version = client.get(url).context["form"]["version"].value()

    client.force_login(reporter)
    first = client.post(url, _form(task, version=reporters_version, results="Bản chuyên viên"))
    assert first.status_code == 302

    client.force_login(leader)
    second = client.post(url, _form(task, version=leaders_version, results="Bản lãnh đạo"))
    assert second.status_code == 200
    assert second.context["conflict"].results == "Bản chuyên viên"
    assert second.context["form"]["results"].value() == "Bản lãnh đạo"
    assert _the_report(task, department, period).results == "Bản chuyên viên"


def test_an_uploaded_pdf_is_kept_downloaded_under_its_name_and_removed_while_editable(
        client, reporter, task, department, period):
    url = _url(task, department, period)
    client.force_login(reporter)

    response = client.post(url, _form(task, files=_pdf("bien-ban-hop.pdf")))
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.report, evidence.original_name, evidence.content_type) == (
        _the_report(task, department, period), "bien-ban-hop.pdf", "application/pdf")
    assert "bien-ban-hop.pdf" in client.get(url).content.decode()

    download = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="bien-ban-hop.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF_BYTES

    removed = client.post(reverse("evidence_delete", args=[evidence.pk]))
    assert removed.status_code == 302
    assert removed["Location"] == url
    assert not EvidenceFile.objects.exists()


def test_evidence_cannot_be_removed_once_the_report_is_submitted(
        client, reporter, task, department, period):
    report = _draft(reporter, task, department, period)
    evidence = evidence_add(report=report, actor=reporter, uploaded=_pdf())
    progress_report_submit(report=report, actor=reporter)
    client.force_login(reporter)

    assert client.post(reverse("evidence_delete", args=[evidence.pk])).status_code == 403
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_a_text_file_named_pdf_is_refused_and_nothing_is_saved_but_the_text_is_kept(
        client, reporter, task, department, period):
    client.force_login(reporter)
    fake = SimpleUploadedFile("bao-cao.pdf", "Báo cáo tiến độ tháng 11".encode(),
                              content_type="application/pdf")

    response = client.post(_url(task, department, period), _form(
        task, results="Kết quả đã gõ", difficulties="Khó khăn đã gõ", files=fake))

    assert response.status_code == 200
    assert "files" in response.context["evidence_form"].errors
    assert not ProgressReport.objects.exists()
    assert not EvidenceFile.objects.exists()
    form = response.context["form"]
    assert (form["results"].value(), form["difficulties"].value()) == (
        "Kết quả đã gõ", "Khó khăn đã gõ")


def test_the_lead_unit_reads_the_coordinating_units_reports_of_the_period_beside_its_own(
        client, reporter, other_reporter, task, department, other_unit, period):
    third = UnitFactory(code="BTC", name="Bộ Tài chính", kind="ministry")
    task.coordinating_units.add(third)
    own = _draft(reporter, task, department, period)
    coordinating = _draft(other_reporter, task, other_unit, period, results="Góp ý của BNV")
    finance = ProgressReportFactory(task=task, unit=third, period=period,
                                    results="Góp ý của BTC")
    ProgressReportFactory(task=task, unit=third, period=ReportingPeriodFactory(year=2025,
                                                                                month=10),
                          results="Góp ý tháng trước")

    client.force_login(reporter)
    lead_page = client.get(_url(task, department, period))
    assert {report.pk for report in lead_page.context["beside"]} == {coordinating.pk, finance.pk}
    assert own.pk not in {report.pk for report in lead_page.context["beside"]}
    html = lead_page.content.decode()
    assert "Góp ý của BNV" in html and "Góp ý của BTC" in html
    assert "Góp ý tháng trước" not in html

    client.force_login(other_reporter)
    coordinating_page = client.get(_url(task, other_unit, period))
    assert coordinating_page.status_code == 200
    assert coordinating_page.context["beside"] == []
    assert "Góp ý của BTC" not in coordinating_page.content.decode()


def test_my_tasks_filter_by_group(client, reporter, department):
    first, second = TaskGroupFactory(), TaskGroupFactory()
    in_first = [TaskFactory(lead_unit=department, group=first) for _ in range(2)]
    TaskFactory(lead_unit=department, group=second)
    client.force_login(reporter)

    response = client.get(reverse("home"), {"group": first.pk})

    assert response.status_code == 200
    assert _row_tasks(response) == {task.pk for task in in_first}


def test_my_tasks_filter_by_this_periods_report_state(client, reporter, leader, department):
    period = period_open(on=timezone.localdate())
    earlier = ReportingPeriodFactory(year=2025, month=1)
    unreported = TaskFactory(lead_unit=department)
    reported_earlier_only = TaskFactory(lead_unit=department)
    ProgressReportFactory(task=reported_earlier_only, unit=department, period=earlier,
                          state=State.SUBMITTED, submitted_by=reporter,
                          submitted_at=timezone.now())
    drafted = TaskFactory(lead_unit=department)
    ProgressReportFactory(task=drafted, unit=department, period=period)
    submitted = TaskFactory(lead_unit=department)
    ProgressReportFactory(task=submitted, unit=department, period=period, state=State.SUBMITTED,
                          submitted_by=reporter, submitted_at=timezone.now())
    client.force_login(reporter)

    not_started = client.get(reverse("home"), {"state": "not_started"})
    assert _row_tasks(not_started) == {unreported.pk, reported_earlier_only.pk}
    assert _row_tasks(client.get(reverse("home"), {"state": "submitted"})) == {submitted.pk}
    assert _row_tasks(client.get(reverse("home"), {"state": "draft"})) == {drafted.pk}


def test_the_to_submit_count_counts_unreported_draft_and_returned_but_not_finished_tasks(
        client, reporter, leader, department):
    period = period_open(on=timezone.localdate())
    now = timezone.now()
    TaskFactory(lead_unit=department)  # no report yet
    ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department, period=period)
    ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department, period=period,
                          state=State.RETURNED, submitted_by=reporter, submitted_at=now,
                          decided_by=leader, decided_at=now, return_comment="Bổ sung số liệu")
    ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department, period=period,
                          state=State.SUBMITTED, submitted_by=reporter, submitted_at=now)
    ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department, period=period,
                          state=State.APPROVED, submitted_by=reporter, submitted_at=now,
                          decided_by=leader, decided_at=now)
    TaskFactory(lead_unit=department, deadline=date(2025, 10, 30),
                completed_on=period.starts_on.replace(day=1))  # completed before the period
    client.force_login(reporter)
    _english(client)

    response = client.get(reverse("home"))

    assert response.context["to_submit"] == 3
    summary = response.content.decode().split('id="to-submit">', 1)[1].split("</p>", 1)[0]
    assert "3 reports" in summary
    # The home page counts the rows it has read; every other page's navigation asks the
    # database: the two agree.
    assert count_to_submit(user=reporter, period=period) == 3


def test_the_lead_units_report_page_makes_as_many_queries_for_30_coordinating_reports_as_for_3(
        client, reporter, task, department, period):
    _draft(reporter, task, department, period)

    def add_coordinating_reports(count):
        for _ in range(count):
            coordinating = UnitFactory(kind="ministry")
            task.coordinating_units.add(coordinating)
            ProgressReportFactory(task=task, unit=coordinating, period=period,
                                  results="Góp ý của đơn vị phối hợp")

    task.coordinating_units.clear()
    add_coordinating_reports(3)
    client.force_login(reporter)
    url = _url(task, department, period)
    small = _count_queries(client, url)
    add_coordinating_reports(27)
    page = client.get(url)
    assert len(page.context["beside"]) == 30
    assert _count_queries(client, url) == small


def test_the_task_page_makes_as_many_queries_for_30_periods_of_reports_as_for_3(
        client, reporter, task, department):
    months = [(2023 + index // 12, index % 12 + 1) for index in range(30)]

    def add_reports(periods):
        for year, month in periods:
            _draft(reporter, task, department, ReportingPeriodFactory(year=year, month=month))

    add_reports(months[:3])
    client.force_login(reporter)
    url = reverse("task_detail", args=[task.pk])
    small = _count_queries(client, url)
    add_reports(months[3:])
    page = client.get(url)
    assert len(page.context["reports"]) == 30
    assert len(page.context["history"]) == 30
    assert _count_queries(client, url) == small


def test_an_outputs_issued_document_downloads_only_within_scope(
        client, reporter, other_reporter, department):
    from django.core.files.base import ContentFile

    from tasks.models import Output

    task = TaskFactory(lead_unit=department)
    output = Output.objects.get(task=task)
    output.issued_on, output.document_number = date(2025, 11, 5), "15/2025/TT-BYT"
    output.file.save("thong-tu-15.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    client.force_login(reporter)
    response = client.get(reverse("output_file", args=[output.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_reporter)
    assert client.get(reverse("output_file", args=[output.pk])).status_code == 404
