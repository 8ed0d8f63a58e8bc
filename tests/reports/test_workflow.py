"""The monthly report workflow through the services, with its permissions both ways.

draft → submitted → approved (locked) or returned with a comment → resubmitted; the programme
secretariat reopens an approved report with a reason. Every step is audited.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import override

from reports.models import ProgressReport
from reports.services import (
    StaleReportError,
    output_progress_set,
    progress_report_approve,
    progress_report_reopen,
    progress_report_return,
    progress_report_save_draft,
    progress_report_submit,
)
from tasks.deadlines import DeadlineKind
from tasks.models import Output, Task
from tasks.rules import StatusClass, task_status_class
from tests.factories import ReportingPeriodFactory, TaskFactory, UnitFactory, UserFactory
from units.models import Unit, User

State = ProgressReport.State
Progress = ProgressReport.ProgressStatus


@pytest.fixture(autouse=True)
def _english():
    # The audit reasons are asserted word for word.
    with override("en"):
        yield


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def task(department, other_unit):
    """A task the department leads and the other ministry coordinates, due 31/12/2025."""
    return TaskFactory(lead_unit=department, coordinating_units=[other_unit],
                       deadline_kind=DeadlineKind.DAY, deadline=date(2025, 12, 31))


@pytest.fixture
def other_leader(other_unit):
    return UserFactory(username="leader2", role=User.Role.LEADER, unit=other_unit)


def _draft(actor, task, unit, period, **fields):
    fields = {"percent_complete": 40, "progress_status": Progress.ON_TRACK,
              "results": "Đã dự thảo thông tư.", **fields}
    return progress_report_save_draft(actor=actor, task=task, unit=unit, period=period, **fields)


@pytest.fixture
def draft(reporter, task, department, period):
    return _draft(reporter, task, department, period)


@pytest.fixture
def submitted(draft, reporter):
    return progress_report_submit(report=draft, actor=reporter)


@pytest.fixture
def approved(submitted, leader):
    return progress_report_approve(report=submitted, actor=leader)


def _fresh(report):
    return ProgressReport.objects.get(pk=report.pk)


def _audit(report):
    return [(row.history_user, row.history_change_reason)
            for row in report.history.order_by("history_date", "history_id")]


# --- draft and submit -------------------------------------------------------------------------


def test_a_reporter_saves_a_draft_and_submits_it(reporter, task, department, period):
    report = _draft(reporter, task, department, period, difficulties="Chờ ý kiến Bộ Tư pháp")
    assert (report.state, report.created_by, report.percent_complete) == (
        State.DRAFT, reporter, 40)

    report = _draft(reporter, task, department, period, percent_complete=60,
                    expected_version=report.version)
    assert ProgressReport.objects.count() == 1
    assert (_fresh(report).percent_complete, _fresh(report).difficulties) == (
        60, "Chờ ý kiến Bộ Tư pháp")

    report = progress_report_submit(report=report, actor=reporter, expected_version=2)
    stored = _fresh(report)
    assert (stored.state, stored.submitted_by, stored.version) == (State.SUBMITTED, reporter, 3)
    assert stored.submitted_at is not None


def test_another_units_reporter_cannot_write_the_units_report(
        other_reporter, task, department, period):
    with pytest.raises(PermissionDenied):
        _draft(other_reporter, task, department, period)
    assert not ProgressReport.objects.exists()


def test_another_units_reporter_cannot_change_or_submit_an_existing_report(
        draft, other_reporter, task, department, period):
    with pytest.raises(PermissionDenied):
        _draft(other_reporter, task, department, period, percent_complete=90)
    with pytest.raises(PermissionDenied):
        progress_report_submit(report=draft, actor=other_reporter)
    stored = _fresh(draft)
    assert (stored.state, stored.percent_complete, stored.version) == (State.DRAFT, 40, 1)


def test_a_coordinating_unit_writes_its_own_report_on_the_task(
        other_reporter, task, other_unit, period):
    report = _draft(other_reporter, task, other_unit, period, results="Đã góp ý dự thảo.")
    assert report.unit == other_unit
    assert not report.is_lead_report


def test_a_unit_that_neither_leads_nor_coordinates_cannot_report(task, period):
    stranger = UnitFactory(name="Bộ Tài chính", kind=Unit.Kind.MINISTRY)
    with pytest.raises(ValidationError):
        _draft(UserFactory(unit=stranger), task, stranger, period)
    assert not ProgressReport.objects.exists()


def test_a_member_of_a_coordinating_designation_reports_for_it(department, period):
    province = UnitFactory(name="UBND tỉnh Ninh Bình", kind=Unit.Kind.PROVINCE)
    provinces = UnitFactory(name="UBND các tỉnh, thành phố", kind=Unit.Kind.COLLECTIVE)
    provinces.members.set([province])
    task = TaskFactory(lead_unit=department, coordinating_units=[provinces])
    report = _draft(UserFactory(unit=province), task, province, period)
    assert report.unit == province


def test_a_completed_status_needs_a_completion_date(reporter, task, department, period):
    with pytest.raises(ValidationError) as raised:
        _draft(reporter, task, department, period, percent_complete=100,
               progress_status=Progress.COMPLETED)
    assert "completion_date" in raised.value.message_dict
    assert not ProgressReport.objects.exists()


def test_a_completed_status_on_an_existing_draft_needs_a_completion_date(
        draft, reporter, task, department, period):
    with pytest.raises(ValidationError) as raised:
        _draft(reporter, task, department, period, percent_complete=100,
               progress_status=Progress.COMPLETED)
    assert "completion_date" in raised.value.message_dict
    assert _fresh(draft).progress_status == Progress.ON_TRACK


# --- approve and return -----------------------------------------------------------------------


def test_the_units_leader_approves_and_the_report_is_locked(
        submitted, leader, reporter, task, department, period):
    report = progress_report_approve(report=submitted, actor=leader)
    stored = _fresh(report)
    assert (stored.state, stored.decided_by, stored.is_locked) == (State.APPROVED, leader, True)
    assert stored.decided_at is not None

    with pytest.raises(PermissionDenied):
        _draft(reporter, task, department, period, percent_complete=90)
    with pytest.raises(PermissionDenied):
        _draft(leader, task, department, period, percent_complete=90)
    with pytest.raises(PermissionDenied):
        progress_report_submit(report=stored, actor=reporter)
    with pytest.raises(PermissionDenied):
        progress_report_return(report=stored, actor=leader, comment="Sửa lại")
    assert _fresh(report).percent_complete == 40


def test_the_leader_of_the_ministry_above_may_approve(submitted, unit):
    minister = UserFactory(username="vu-truong", role=User.Role.LEADER, unit=unit)
    assert progress_report_approve(report=submitted, actor=minister).state == State.APPROVED


@pytest.mark.parametrize("who", ["reporter", "other_leader", "secretariat"])
def test_only_a_leader_of_the_unit_approves_or_returns(submitted, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        progress_report_approve(report=submitted, actor=actor)
    with pytest.raises(PermissionDenied):
        progress_report_return(report=submitted, actor=actor, comment="Bổ sung số liệu")
    assert _fresh(submitted).state == State.SUBMITTED


def test_a_draft_cannot_be_approved(draft, leader):
    with pytest.raises(PermissionDenied):
        progress_report_approve(report=draft, actor=leader)
    assert _fresh(draft).state == State.DRAFT


def test_returning_needs_a_comment(submitted, leader):
    with pytest.raises(ValidationError) as raised:
        progress_report_return(report=submitted, actor=leader, comment="   ")
    assert "return_comment" in raised.value.message_dict
    assert _fresh(submitted).state == State.SUBMITTED


def test_a_returned_report_shows_the_comment_and_can_be_corrected_and_resubmitted(
        submitted, leader, reporter, task, department, period):
    progress_report_return(report=submitted, actor=leader,
                           comment=" Bổ sung khó khăn, vướng mắc ")
    returned = _fresh(submitted)
    assert (returned.state, returned.return_comment, returned.decided_by) == (
        State.RETURNED, "Bổ sung khó khăn, vướng mắc", leader)

    corrected = _draft(reporter, task, department, period,
                       difficulties="Thiếu kinh phí", expected_version=returned.version)
    progress_report_submit(report=corrected, actor=reporter)
    approved = progress_report_approve(report=corrected, actor=leader)
    stored = _fresh(approved)
    assert (stored.state, stored.difficulties, stored.return_comment) == (
        State.APPROVED, "Thiếu kinh phí", "")


# --- reopen -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reporter", "leader"])
def test_only_the_secretariat_reopens(approved, who, request):
    with pytest.raises(PermissionDenied):
        progress_report_reopen(report=approved, actor=request.getfixturevalue(who),
                               reason="Sửa số liệu")
    assert _fresh(approved).state == State.APPROVED


def test_reopening_needs_a_reason(approved, secretariat):
    with pytest.raises(ValidationError) as raised:
        progress_report_reopen(report=approved, actor=secretariat, reason="")
    assert "reopen_reason" in raised.value.message_dict
    assert _fresh(approved).state == State.APPROVED


def test_the_secretariat_reopens_with_a_reason_and_the_reporter_edits_again(
        approved, secretariat, reporter, task, department, period):
    progress_report_reopen(report=approved, actor=secretariat, reason=" Sai số liệu tháng ")
    stored = _fresh(approved)
    assert (stored.state, stored.reopen_reason) == (State.DRAFT, "Sai số liệu tháng")
    _draft(reporter, task, department, period, percent_complete=45)
    assert _fresh(approved).percent_complete == 45


def test_only_an_approved_report_is_reopened(submitted, secretariat):
    with pytest.raises(PermissionDenied):
        progress_report_reopen(report=submitted, actor=secretariat, reason="Sửa")
    assert _fresh(submitted).state == State.SUBMITTED


# --- concurrent edits -------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_changes_nothing(draft, reporter, leader, task, department,
                                                     period):
    loaded = draft.version
    _draft(leader, task, department, period, percent_complete=55, expected_version=loaded)
    with pytest.raises(StaleReportError):
        _draft(reporter, task, department, period, percent_complete=70,
               results="Bản cũ", expected_version=loaded)
    stored = _fresh(draft)
    assert (stored.percent_complete, stored.results, stored.version) == (
        55, "Đã dự thảo thông tư.", loaded + 1)


def test_a_stale_submit_or_approval_is_refused(draft, reporter, leader, task, department, period):
    loaded = draft.version
    _draft(reporter, task, department, period, percent_complete=55, expected_version=loaded)
    with pytest.raises(StaleReportError):
        progress_report_submit(report=draft, actor=reporter, expected_version=loaded)
    assert _fresh(draft).state == State.DRAFT

    submitted = progress_report_submit(report=draft, actor=reporter)
    with pytest.raises(StaleReportError):
        progress_report_approve(report=submitted, actor=leader, expected_version=loaded)
    assert _fresh(draft).state == State.SUBMITTED


# --- completion -------------------------------------------------------------------------------


def _report_completed(reporter, task, unit, period, *, issue=True):
    report = _draft(reporter, task, unit, period, percent_complete=100,
                    progress_status=Progress.COMPLETED, completion_date=date(2025, 11, 10))
    if issue:
        for output in task.outputs.all():
            output_progress_set(report=report, output=output, actor=reporter, status="issued",
                                document_number="15/2025/TT-BYT", issued_on=date(2025, 11, 5))
    return progress_report_submit(report=report, actor=reporter)


def test_approving_the_leads_completed_report_completes_the_task_and_reopening_withdraws_it(
        reporter, leader, secretariat, task, department, period):
    report = _report_completed(reporter, task, department, period)
    assert Task.objects.get(pk=task.pk).completed_on is None  # submitted is not yet completed

    progress_report_approve(report=report, actor=leader)
    completed = Task.objects.get(pk=task.pk)
    assert completed.completed_on == date(2025, 11, 10)
    assert task_status_class(task=completed, on=date(2026, 1, 1)) == StatusClass.COMPLETED_ON_TIME
    output = Output.objects.get(task=task)
    assert (output.document_number, output.issued_on) == ("15/2025/TT-BYT", date(2025, 11, 5))
    assert completed.history.first().history_user == leader
    assert output.history.first().history_user == leader

    progress_report_reopen(report=report, actor=secretariat, reason="Văn bản chưa ban hành")
    withdrawn = Task.objects.get(pk=task.pk)
    assert withdrawn.completed_on is None
    assert task_status_class(task=withdrawn, on=date(2026, 1, 1)) == StatusClass.OVERDUE
    assert withdrawn.history.first().history_user == secretariat


def test_reopening_an_earlier_report_keeps_a_completion_a_later_approved_report_states(
        reporter, leader, secretariat, task, department, period):
    november = _report_completed(reporter, task, department, period)
    progress_report_approve(report=november, actor=leader)
    december = _report_completed(reporter, task, department,
                                 ReportingPeriodFactory(year=2025, month=12), issue=False)
    progress_report_approve(report=december, actor=leader)

    progress_report_reopen(report=november, actor=secretariat, reason="Sửa lỗi chính tả")
    # December's approved report still says the task was completed on 10/11/2025.
    assert Task.objects.get(pk=task.pk).completed_on == date(2025, 11, 10)


def test_a_completed_report_cannot_be_submitted_while_an_output_is_unissued(
        reporter, task, department, period):
    with pytest.raises(ValidationError) as refused:
        _report_completed(reporter, task, department, period, issue=False)
    assert "outputs" in refused.value.message_dict
    assert task.outputs.get().title in refused.value.message_dict["outputs"][0]
    report = ProgressReport.objects.get(task=task, unit=department, period=period)
    assert report.state == State.DRAFT
    assert Task.objects.get(pk=task.pk).completed_on is None


def test_a_report_without_results_cannot_be_submitted(reporter, task, department, period):
    report = _draft(reporter, task, department, period, results="  ")
    with pytest.raises(ValidationError) as refused:
        progress_report_submit(report=report, actor=reporter)
    assert "results" in refused.value.message_dict
    assert _fresh(report).state == State.DRAFT


def test_a_coordinating_units_completed_report_does_not_complete_the_task(
        other_reporter, other_leader, task, other_unit, period):
    # A coordinating unit reports its own part completed; the task's outputs are the lead's.
    report = _report_completed(other_reporter, task, other_unit, period, issue=False)
    progress_report_approve(report=report, actor=other_leader)
    assert Task.objects.get(pk=task.pk).completed_on is None
    assert not Output.objects.get(task=task).is_done


# --- the audit trail --------------------------------------------------------------------------


def test_every_step_is_recorded_with_who_and_why(
        reporter, leader, secretariat, task, department, period):
    report = _draft(reporter, task, department, period)
    report = progress_report_submit(report=report, actor=reporter)
    report = progress_report_return(report=report, actor=leader, comment="Bổ sung số liệu")
    report = _draft(reporter, task, department, period, percent_complete=50)
    report = progress_report_submit(report=report, actor=reporter)
    report = progress_report_approve(report=report, actor=leader)
    report = progress_report_reopen(report=report, actor=secretariat, reason="Sửa số liệu")

    assert _audit(report) == [
        (reporter, "Draft created"),
        (reporter, "Submitted"),
        (leader, "Returned: Bổ sung số liệu"),
        (reporter, "Draft saved"),
        (reporter, "Submitted"),
        (leader, "Approved"),
        (secretariat, "Reopened: Sửa số liệu"),
    ]
    states = [row.state for row in report.history.order_by("history_date", "history_id")]
    assert states == [State.DRAFT, State.SUBMITTED, State.RETURNED, State.RETURNED,
                      State.SUBMITTED, State.APPROVED, State.DRAFT]
