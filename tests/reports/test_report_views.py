"""The monthly report in the browser: the report page, the task page, evidence and my tasks.

Every test goes through HTTP as a user would: what the page shows, what the database keeps, and
what is refused (403 for a step the user may not take, 404 for what is outside their scope).
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.evidence import evidence_add
from reports.models import EvidenceFile, ProgressReport
from reports.periods import period_open
from reports.services import (
    progress_report_approve,
    progress_report_save_draft,
    progress_report_submit,
)
from tasks.deadlines import DeadlineKind
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import User

State = ProgressReport.State
Progress = ProgressReport.ProgressStatus

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def task(department, other_unit):
    """A task the department leads and the other ministry coordinates, due 31/12/2025, with one
    promised output ("Thông tư hướng dẫn")."""
    return TaskFactory(lead_unit=department, coordinating_units=[other_unit],
                       deadline_kind=DeadlineKind.DAY, deadline=date(2025, 12, 31))


@pytest.fixture
def other_leader(other_unit):
    return UserFactory(username="leader2", role=User.Role.LEADER, unit=other_unit)


def _url(task, unit, period):
    return reverse("report", args=[task.pk, unit.pk, period.year, period.month])


def _english(client):
    client.post(reverse("set_language"), {"language": "en"})


def _form(task, *, action="save", version=None, outputs=None, files=None, **fields):
    """The report form as the browser posts it; `outputs` maps an output's title to its row."""
    data = {
        "action": action,
        "percent_complete": "40",
        "progress_status": Progress.ON_TRACK,
        "results": "Đã dự thảo thông tư và lấy ý kiến các bộ.",
        "difficulties": "",
        "proposals": "",
        "next_steps": "",
        "completion_date": "",
        "version": "" if version is None else str(version),
    }
    data.update({name: str(value) for name, value in fields.items()})
    rows = list(task.outputs.order_by("pk"))
    data.update({
        "outputs-TOTAL_FORMS": str(len(rows)), "outputs-INITIAL_FORMS": str(len(rows)),
        "outputs-MIN_NUM_FORMS": "0", "outputs-MAX_NUM_FORMS": "1000",
    })
    for index, output in enumerate(rows):
        row = {"status": "drafting", "document_number": "", "issued_on": "",
               **(outputs or {}).get(output.title, {})}
        data[f"outputs-{index}-output_id"] = str(output.pk)
        for name, value in row.items():
            data[f"outputs-{index}-{name}"] = value
    if files is not None:
        data["files"] = files
    return data


def _decision(report, action, comment=""):
    return {"action": action, "comment": comment, "version": str(report.version)}


def _fresh(report):
    return ProgressReport.objects.get(pk=report.pk)


def _the_report(task, unit, period):
    return ProgressReport.objects.get(task=task, unit=unit, period=period)


def _pdf(name="bien-ban-hop.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _draft(actor, task, unit, period, **fields):
    fields = {"percent_complete": 40, "progress_status": Progress.ON_TRACK,
              "results": "Đã dự thảo thông tư.", **fields}
    return progress_report_save_draft(actor=actor, task=task, unit=unit, period=period, **fields)


def _submitted(actor, task, unit, period, **fields):
    return progress_report_submit(report=_draft(actor, task, unit, period, **fields), actor=actor)


def _approved(reporter, leader, task, unit, period):
    return progress_report_approve(report=_submitted(reporter, task, unit, period), actor=leader)


def _has_editable_form(response) -> bool:
    return 'name="action" value="save"' in response.content.decode()


# --- writing a draft --------------------------------------------------------------------------


def test_a_reporter_saves_a_draft_and_the_page_then_shows_what_was_saved(
        client, reporter, task, department, period):
    client.force_login(reporter)
    url = _url(task, department, period)

    response = client.post(url, _form(
        task, percent_complete=35, progress_status=Progress.BEHIND,
        results="Đã trình dự thảo lần 1.", difficulties="Chờ ý kiến Bộ Tư pháp",
        proposals="Đề nghị gia hạn", next_steps="Hoàn thiện dự thảo"))

    assert response.status_code == 302
    assert response["Location"] == url
    report = _the_report(task, department, period)
    assert (report.state, report.percent_complete, report.progress_status, report.results,
            report.difficulties, report.proposals, report.next_steps, report.created_by) == (
        State.DRAFT, 35, Progress.BEHIND, "Đã trình dự thảo lần 1.", "Chờ ý kiến Bộ Tư pháp",
        "Đề nghị gia hạn", "Hoàn thiện dự thảo", reporter)
    assert report.output_progress.get().status == "drafting"

    page = client.get(url)
    form = page.context["form"]
    assert (form["percent_complete"].value(), form["results"].value(),
            form["difficulties"].value()) == (
        35, "Đã trình dự thảo lần 1.", "Chờ ý kiến Bộ Tư pháp")
    html = page.content.decode()
    assert "Đã trình dự thảo lần 1." in html
    assert "Chờ ý kiến Bộ Tư pháp" in html


def test_a_new_periods_form_starts_from_last_periods_report_and_says_so(
        client, reporter, task, department, period):
    october = ReportingPeriodFactory(year=2025, month=10)
    _draft(reporter, task, department, october, percent_complete=30,
           progress_status=Progress.BEHIND, results="Kết quả tháng 10",
           difficulties="Khó khăn tháng 10", proposals="Kiến nghị tháng 10",
           next_steps="Việc tháng 11")
    client.force_login(reporter)
    _english(client)

    response = client.get(_url(task, department, period))

    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in (
        "percent_complete", "progress_status", "results", "difficulties", "proposals",
        "next_steps")} == {
        "percent_complete": 30, "progress_status": Progress.BEHIND, "results": "Kết quả tháng 10",
        "difficulties": "Khó khăn tháng 10", "proposals": "Kiến nghị tháng 10",
        "next_steps": "Việc tháng 11"}
    assert response.context["previous"].period == october
    assert "The form starts from your report for 10/2025" in response.content.decode()
    assert not ProgressReport.objects.filter(period=period).exists()


def test_submitting_without_results_saves_the_draft_and_marks_results_keeping_what_was_typed(
        client, reporter, task, department, period):
    client.force_login(reporter)

    response = client.post(_url(task, department, period), _form(
        task, action="submit", results="", percent_complete=25,
        difficulties="Thiếu kinh phí", proposals="Bổ sung dự toán"))

    assert response.status_code == 200
    report = _the_report(task, department, period)
    assert (report.state, report.percent_complete, report.difficulties) == (
        State.DRAFT, 25, "Thiếu kinh phí")
    form = response.context["form"]
    assert "results" in form.errors
    assert (form["percent_complete"].value(), form["difficulties"].value(),
            form["proposals"].value()) == ("25", "Thiếu kinh phí", "Bổ sung dự toán")
    # The form now edits the draft just saved: saving again is not refused as stale.
    assert str(form["version"].value()) == str(report.version)


def test_after_a_refused_first_submit_the_page_shows_the_draft_and_the_file_it_saved(
        client, reporter, task, department, period):
    client.force_login(reporter)
    _english(client)

    response = client.post(_url(task, department, period), _form(
        task, action="submit", results="", files=_pdf("cong-van.pdf")))

    assert response.status_code == 200
    assert _the_report(task, department, period).state == State.DRAFT
    assert EvidenceFile.objects.get().original_name == "cong-van.pdf"
    html = response.content.decode()
    state = html.split('id="report-state">', 1)[1].split("<", 1)[0]
    assert state == "Draft"
    # The file was kept: the page must list it, or the reporter attaches it a second time.
    assert "cong-van.pdf" in html


def test_after_a_refused_submit_the_page_lists_the_file_just_attached(
        client, reporter, task, department, period):
    report = _draft(reporter, task, department, period)
    client.force_login(reporter)

    response = client.post(_url(task, department, period), _form(
        task, action="submit", results="", version=report.version, files=_pdf("cong-van.pdf")))

    assert response.status_code == 200
    assert EvidenceFile.objects.get().original_name == "cong-van.pdf"
    assert "cong-van.pdf" in response.content.decode()


def test_a_completed_status_without_a_completion_date_is_refused_keeping_what_was_typed(
        client, reporter, task, department, period):
    client.force_login(reporter)

    response = client.post(_url(task, department, period), _form(
        task, percent_complete=100, progress_status=Progress.COMPLETED,
        results="Đã ban hành thông tư.", next_steps="Tổ chức phổ biến"))

    assert response.status_code == 200
    form = response.context["form"]
    assert "completion_date" in form.errors
    assert (form["results"].value(), form["next_steps"].value(),
            form["progress_status"].value()) == (
        "Đã ban hành thông tư.", "Tổ chức phổ biến", Progress.COMPLETED)
    assert not ProgressReport.objects.exists()


def test_a_completed_lead_report_with_an_unissued_output_cannot_be_submitted(
        client, reporter, task, department, period):
    client.force_login(reporter)

    response = client.post(_url(task, department, period), _form(
        task, action="submit", percent_complete=100, progress_status=Progress.COMPLETED,
        completion_date="10/11/2025",
        outputs={"Thông tư hướng dẫn": {"status": "submitted"}}))

    assert response.status_code == 200
    errors = response.context["outputs"].non_form_errors()
    assert any("Thông tư hướng dẫn" in error for error in errors)
    assert "Thông tư hướng dẫn" in response.content.decode()
    report = _the_report(task, department, period)
    assert (report.state, report.completion_date) == (State.DRAFT, date(2025, 11, 10))


# --- submit, approve, return, reopen ----------------------------------------------------------


def test_a_submitted_report_approved_by_the_leader_is_locked_against_the_reporter(
        client, reporter, leader, task, department, period):
    url = _url(task, department, period)
    client.force_login(reporter)
    assert client.post(url, _form(task, action="submit")).status_code == 302
    report = _the_report(task, department, period)
    assert (report.state, report.submitted_by) == (State.SUBMITTED, reporter)

    client.force_login(leader)
    page = client.get(url)
    assert page.context["can_decide"]
    assert 'value="approve"' in page.content.decode()
    assert client.post(url, _decision(report, "approve")).status_code == 302
    approved = _fresh(report)
    assert (approved.state, approved.decided_by) == (State.APPROVED, leader)

    client.force_login(reporter)
    page = client.get(url)
    assert page.status_code == 200
    assert not _has_editable_form(page)
    assert 'value="approve"' not in page.content.decode()
    refused = client.post(url, _form(task, results="Sửa sau khi duyệt",
                                     version=approved.version))
    assert refused.status_code == 403
    stored = _fresh(report)
    assert (stored.state, stored.results, stored.version) == (
        State.APPROVED, approved.results, approved.version)


def test_a_return_needs_a_comment_which_the_reporter_then_reads_corrects_and_resubmits(
        client, reporter, leader, task, department, period):
    report = _submitted(reporter, task, department, period)
    url = _url(task, department, period)
    client.force_login(leader)

    refused = client.post(url, _decision(report, "return", comment="  "))
    assert refused.status_code == 200
    assert "comment" in refused.context["decision"].errors
    assert _fresh(report).state == State.SUBMITTED

    returned = client.post(url, _decision(report, "return",
                                          comment="Bổ sung khó khăn, vướng mắc"))
    assert returned.status_code == 302
    report = _fresh(report)
    assert (report.state, report.return_comment) == (State.RETURNED,
                                                     "Bổ sung khó khăn, vướng mắc")

    client.force_login(reporter)
    page = client.get(url)
    assert "Bổ sung khó khăn, vướng mắc" in page.content.decode()
    assert _has_editable_form(page)
    version = page.context["form"]["version"].value()
    resubmitted = client.post(url, _form(task, action="submit", version=version,
                                         difficulties="Thiếu kinh phí thẩm định"))
    assert resubmitted.status_code == 302
    report = _fresh(report)
    assert (report.state, report.difficulties) == (State.SUBMITTED, "Thiếu kinh phí thẩm định")


def test_only_the_secretariat_reopens_an_approved_report_and_only_with_a_reason(
        client, reporter, leader, secretariat, task, department, period):
    report = _approved(reporter, leader, task, department, period)
    url = _url(task, department, period)

    client.force_login(reporter)
    assert client.post(url, _decision(report, "reopen", comment="Sửa số liệu")).status_code == 403
    assert _fresh(report).state == State.APPROVED

    client.force_login(secretariat)
    page = client.get(url)
    assert page.context["can_reopen"]
    assert 'value="reopen"' in page.content.decode()
    refused = client.post(url, _decision(report, "reopen", comment=""))
    assert refused.status_code == 200
    assert "comment" in refused.context["decision"].errors
    assert _fresh(report).state == State.APPROVED

    reopened = client.post(url, _decision(report, "reopen", comment="Sai số liệu tháng 11"))
    assert reopened.status_code == 302
    report = _fresh(report)
    assert (report.state, report.reopen_reason) == (State.DRAFT, "Sai số liệu tháng 11")

    client.force_login(reporter)
    page = client.get(url)
    assert "Sai số liệu tháng 11" in page.content.decode()
    assert _has_editable_form(page)


def test_a_decision_taken_on_an_out_of_date_page_is_refused_on_the_form(
        client, reporter, leader, secretariat, task, department, period):
    report = _approved(reporter, leader, task, department, period)
    url = _url(task, department, period)
    client.force_login(secretariat)
    assert client.post(url, _decision(report, "reopen", comment="Sai số liệu")).status_code == 302

    again = client.post(url, _decision(report, "reopen", comment="Sai số liệu"))
    assert again.status_code == 200
    assert again.context["decision"].non_field_errors()
    assert _fresh(report).state == State.DRAFT


# --- scope ------------------------------------------------------------------------------------


def test_a_reporter_of_another_unit_finds_nothing_of_a_task_outside_its_scope(
        client, reporter, other_reporter, department, period):
    task = TaskFactory(lead_unit=department)
    report = _draft(reporter, task, department, period)
    evidence = evidence_add(report=report, actor=reporter, uploaded=_pdf())
    url = _url(task, department, period)
    client.force_login(other_reporter)

    assert client.get(url).status_code == 404
    assert client.post(url, _form(task, results="Ghi đè")).status_code == 404
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 404
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("evidence_delete", args=[evidence.pk])).status_code == 404
    stored = _fresh(report)
    assert (stored.results, stored.version) == ("Đã dự thảo thông tư.", report.version)
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_a_coordinating_units_reporter_cannot_open_the_lead_units_report(
        client, reporter, other_reporter, task, department, period):
    _draft(reporter, task, department, period)
    client.force_login(other_reporter)
    assert client.get(reverse("task_detail", args=[task.pk])).status_code == 200
    assert client.get(_url(task, department, period)).status_code == 404


def test_a_leader_of_another_unit_cannot_approve_the_units_report(
        client, reporter, other_leader, task, department, period):
    report = _submitted(reporter, task, department, period)
    client.force_login(other_leader)
    response = client.post(_url(task, department, period), _decision(report, "approve"))
    assert response.status_code == 404
    assert _fresh(report).state == State.SUBMITTED


def test_leadership_reads_a_report_but_cannot_write_or_decide(
        client, reporter, task, department, period):
    report = _submitted(reporter, task, department, period)
    url = _url(task, department, period)
    client.force_login(UserFactory(username="lanh-dao", role=User.Role.LEADERSHIP, unit=None))

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert report.results in html
    assert 'name="action"' not in html
    assert not (page.context["editable"] or page.context["can_decide"]
                or page.context["can_reopen"])

    refused = client.post(url, _form(task, results="Lãnh đạo sửa", version=report.version))
    assert refused.status_code == 403
    assert _fresh(report).results == report.results


# --- stale edits ------------------------------------------------------------------------------


def test_a_stale_save_shows_the_other_text_keeps_mine_and_a_deliberate_second_save_wins(
        client, reporter, task, department, period):
    report = _draft(reporter, task, department, period, results="Bản gốc")
    url = _url(task, department, period)
    client.force_login(reporter)
    first_version = client.get(url).context["form"]["version"].value()
    second_version = client.get(url).context["form"]["version"].value()
    assert first_version == second_version == report.version

    saved = client.post(url, _form(task, version=first_version, results="Bản của tab thứ nhất"))
    assert saved.status_code == 302

    stale = client.post(url, _form(task, version=second_version, results="Bản của tab thứ hai",
                                   difficulties="Khó khăn của tab thứ hai"))
    assert stale.status_code == 200
    conflict = stale.context["conflict"]
    assert conflict.pk == report.pk
    assert conflict.results == "Bản của tab thứ nhất"
    assert "Bản của tab thứ nhất" in stale.content.decode()
    form = stale.context["form"]
    assert (form["results"].value(), form["difficulties"].value()) == (
        "Bản của tab thứ hai", "Khó khăn của tab thứ hai")
    assert _fresh(report).results == "Bản của tab thứ nhất"

    again = client.post(url, _form(task, version=form["version"].value(),
                                   results="Bản của tab thứ hai",
                                   difficulties="Khó khăn của tab thứ hai"))
    assert again.status_code == 302
    stored = _fresh(report)
    assert (stored.results, stored.difficulties) == (
        "Bản của tab thứ hai", "Khó khăn của tab thứ hai")


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


# --- evidence ---------------------------------------------------------------------------------


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


# --- what the lead reads beside its own report ------------------------------------------------


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


# --- my tasks this period ---------------------------------------------------------------------


def _row_tasks(response):
    return {row["task"].pk for row in response.context["rows"]}


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


# --- query counts -----------------------------------------------------------------------------


def _count_queries(client, url):
    assert client.get(url).status_code == 200  # warm: sessions, content types, translations
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


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
