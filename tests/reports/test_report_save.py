"""A whole report saved in one call (progress_report_save), and the typed refusals every workflow
service raises: NotAllowed for the wrong role or unit, WrongState when only the report's state is
in the way, Stale (with the report as it now stands) when it changed since it was read."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override

from core.errors import NotAllowed, Stale, WrongState
from reports.models import EvidenceFile, OutputProgress, ProgressReport
from reports.services import (
    StaleReportError,
    progress_report_approve,
    progress_report_reopen,
    progress_report_save,
    progress_report_submit,
)
from tasks.deadlines import DeadlineKind
from tests.factories import ReportingPeriodFactory, TaskFactory

State = ProgressReport.State
Progress = ProgressReport.ProgressStatus

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def task(department, other_unit):
    """Led by the department, coordinated by the other ministry, with one promised output."""
    return TaskFactory(lead_unit=department, coordinating_units=[other_unit],
                       deadline_kind=DeadlineKind.DAY, deadline=date(2025, 12, 31))


def _pdf(name="bien-ban.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _save(actor, task, unit, period, *, expected_version=0, outputs=(), files=(), submit=False,
          **fields):
    fields = {"percent_complete": 40, "progress_status": Progress.ON_TRACK,
              "results": "Đã dự thảo thông tư.", **fields}
    return progress_report_save(actor=actor, task=task, unit=unit, period=period,
                                expected_version=expected_version, fields=fields,
                                outputs=outputs, files=files, submit=submit)


def _issued(output):
    return {"output": output.pk, "status": OutputProgress.Status.ISSUED,
            "document_number": "15/2025/TT-BYT", "issued_on": date(2025, 11, 5)}


def test_content_outputs_files_and_submission_are_saved_in_one_call(
        reporter, task, department, period):
    output = task.outputs.get()
    result = _save(reporter, task, department, period, outputs=[_issued(output)],
                   files=[_pdf()], submit=True, percent_complete=100,
                   progress_status=Progress.COMPLETED, completion_date=date(2025, 11, 10))

    assert result.submit_errors is None
    stored = ProgressReport.objects.get()
    assert (stored.pk, stored.state, stored.submitted_by) == (
        result.report.pk, State.SUBMITTED, reporter)
    progress = stored.output_progress.get()
    assert (progress.output, progress.status, progress.document_number) == (
        output, OutputProgress.Status.ISSUED, "15/2025/TT-BYT")
    assert EvidenceFile.objects.get().report == stored
    reasons = [row.history_change_reason for row in stored.history.order_by("history_date")]
    assert reasons == ["Draft created", "Submitted"]


def test_a_report_that_cannot_be_submitted_yet_is_still_saved_as_a_draft(
        reporter, task, department, period):
    output = task.outputs.get()
    result = _save(reporter, task, department, period, results="", submit=True,
                   outputs=[{"output": output.pk, "status": OutputProgress.Status.DRAFTING}],
                   files=[_pdf("cong-van.pdf")])

    assert "results" in result.submit_errors.message_dict
    stored = ProgressReport.objects.get()
    assert (stored.state, stored.version) == (State.DRAFT, result.report.version)
    assert stored.output_progress.get().status == OutputProgress.Status.DRAFTING
    assert EvidenceFile.objects.get().original_name == "cong-van.pdf"


def test_an_output_of_another_task_refuses_the_whole_save(reporter, task, department, period):
    stranger = TaskFactory(lead_unit=department).outputs.get()
    with pytest.raises(ValidationError) as raised:
        _save(reporter, task, department, period, files=[_pdf()],
              outputs=[_issued(task.outputs.get()), _issued(stranger)])

    [problem] = raised.value.error_dict["outputs"]
    assert (problem.code, problem.params["index"]) == ("does_not_exist", 1)
    assert not ProgressReport.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_submitted_report_is_in_the_wrong_state_to_be_saved(
        reporter, task, department, period):
    draft = _save(reporter, task, department, period).report
    submitted = progress_report_submit(report=draft, actor=reporter)

    with pytest.raises(WrongState) as raised:
        _save(reporter, task, department, period, expected_version=submitted.version,
              results="Sửa sau khi gửi")
    assert isinstance(raised.value, PermissionDenied)
    assert "submitted" in str(raised.value)
    stored = ProgressReport.objects.get()
    assert (stored.results, stored.version) == ("Đã dự thảo thông tư.", submitted.version)


def test_another_units_reporter_is_not_allowed_whatever_the_state(
        reporter, other_reporter, task, department, period):
    with pytest.raises(NotAllowed):
        _save(other_reporter, task, department, period)
    assert not ProgressReport.objects.exists()

    draft = _save(reporter, task, department, period).report
    with pytest.raises(NotAllowed):
        _save(other_reporter, task, department, period, expected_version=draft.version,
              results="Ghi đè")
    with pytest.raises(NotAllowed):
        progress_report_submit(report=draft, actor=other_reporter)
    assert ProgressReport.objects.get().results == "Đã dự thảo thông tư."


def test_a_stale_save_is_refused_with_the_report_as_it_now_stands(
        reporter, leader, task, department, period):
    draft = _save(reporter, task, department, period).report
    _save(leader, task, department, period, expected_version=draft.version,
          results="Bản của lãnh đạo")

    with pytest.raises(Stale) as raised:
        _save(reporter, task, department, period, expected_version=draft.version,
              results="Bản cũ", files=[_pdf()])
    assert isinstance(raised.value, StaleReportError)
    assert (raised.value.current.results, raised.value.current.version) == (
        "Bản của lãnh đạo", draft.version + 1)
    assert ProgressReport.objects.get().results == "Bản của lãnh đạo"
    assert not EvidenceFile.objects.exists()


def test_a_new_report_someone_else_created_first_is_stale(reporter, leader, task, department,
                                                          period):
    _save(leader, task, department, period, results="Bản của lãnh đạo")
    with pytest.raises(Stale) as raised:
        _save(reporter, task, department, period, expected_version=0)
    assert raised.value.current.results == "Bản của lãnh đạo"


def test_each_workflow_step_tells_the_wrong_state_from_the_wrong_person(
        reporter, leader, secretariat, task, department, period):
    draft = _save(reporter, task, department, period).report
    with pytest.raises(WrongState) as raised:
        progress_report_approve(report=draft, actor=leader)
    assert str(raised.value) == "The report is draft: this cannot be done to it now."
    with pytest.raises(NotAllowed):
        progress_report_approve(report=draft, actor=reporter)
    with pytest.raises(WrongState):
        progress_report_reopen(report=draft, actor=secretariat, reason="Sửa")
    with pytest.raises(NotAllowed):
        progress_report_reopen(report=draft, actor=leader, reason="Sửa")
    assert ProgressReport.objects.get().state == State.DRAFT
