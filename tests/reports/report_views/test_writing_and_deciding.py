"""The report page in the browser: writing, submitting, deciding, and who is refused.

Every test goes through HTTP as a user would: what the page shows, what the database keeps, and
what is refused (403 for a step the user may not take, 404 for what is outside their scope)."""

from datetime import date

from django.urls import reverse

from reports.evidence import evidence_add
from reports.models import EvidenceFile, ProgressReport
from tests.factories import ReportingPeriodFactory, TaskFactory, UserFactory
from units.models import User

from .helpers import (
    Progress,
    State,
    _approved,
    _decision,
    _draft,
    _english,
    _form,
    _fresh,
    _has_editable_form,
    _pdf,
    _submitted,
    _the_report,
    _url,
)


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
