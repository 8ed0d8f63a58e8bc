"""Writing tasks: creating them from what the programme wrote, moving deadlines, completing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from tasks.deadlines import DeadlineKind
from tasks.models import Authority, DeadlineChange, Output, Task
from tasks.rules import StatusClass, task_status_class
from tasks.services import (
    output_record_issue,
    task_change_deadline,
    task_create,
    task_record_completion,
    task_update,
)
from tests.factories import (
    OutputFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(db):
    return UserFactory(username="thu-ky", role=User.Role.SECRETARIAT)


@pytest.fixture
def group(db):
    return TaskGroupFactory(resolution=ResolutionFactory(number="282/NQ-CP",
                                                         issued_on=date(2025, 9, 16)))


def _create(actor, group, **overrides):
    fields = {"code": "2.5", "title": "Xây dựng trạm y tế xã", "lead_unit": UnitFactory(),
              "deadline_text": "trước 30/10/2025", "outputs": [("circular", "Thông tư")],
              "competent_authority": Authority.MINISTER,
              "responsible_official": "Thứ trưởng phụ trách"}
    fields.update(overrides)
    return task_create(actor=actor, group=group, **fields)


# --- task_create ------------------------------------------------------------------------------


def test_task_create_parses_the_deadline_and_keeps_it_as_written(actor, group):
    helper = UnitFactory()
    task = _create(actor, group, deadline_text=" trước tháng 12/2025 ",
                   coordinating_units=[helper],
                   outputs=[("circular", "Thông tư hướng dẫn"), ("report", "Báo cáo")])

    task = Task.objects.get(pk=task.pk)
    assert (task.deadline_kind, task.deadline) == (DeadlineKind.MONTH, date(2025, 11, 30))
    assert task.deadline_text == "trước tháng 12/2025"
    assert task.deadline_display == "trước tháng 12/2025"
    assert (task.original_deadline_kind, task.original_deadline, task.original_deadline_text) == (
        DeadlineKind.MONTH, date(2025, 11, 30), "trước tháng 12/2025")
    assert task.resolution == group.resolution
    assert list(task.coordinating_units.all()) == [helper]
    assert [(o.kind, o.title) for o in task.outputs.all()] == [
        ("circular", "Thông tư hướng dẫn"), ("report", "Báo cáo")]
    assert task.history.first().history_user == actor


def test_task_create_refuses_the_lead_unit_as_coordinating(actor, group):
    lead = UnitFactory()
    with pytest.raises(ValidationError) as raised:
        _create(actor, group, lead_unit=lead, coordinating_units=[lead])
    assert "coordinating_units" in raised.value.message_dict
    assert not Task.objects.exists()


def test_task_create_refuses_an_unreadable_deadline_on_the_deadline_field(actor, group):
    with override("en"), pytest.raises(ValidationError) as raised:
        _create(actor, group, deadline_text="khi có kinh phí")
    [message] = raised.value.message_dict["deadline"]
    assert '"Quý IV/2025"' in message
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("text", "issued_on", "kind", "first_due"),
    [
        pytest.param("Hằng năm", date(2025, 9, 16), DeadlineKind.ANNUAL, date(2025, 12, 31),
                     id="annual starts with the year the resolution was issued"),
        pytest.param("Hàng năm", date(2026, 2, 1), DeadlineKind.ANNUAL, date(2026, 12, 31),
                     id="annual of a resolution issued in 2026 starts in 2026"),
        pytest.param("Hằng quý", date(2025, 9, 16), DeadlineKind.QUARTERLY, date(2025, 9, 30),
                     id="quarterly starts with the resolution's quarter"),
        pytest.param("Hằng năm, từ năm 2026", date(2025, 9, 16), DeadlineKind.ANNUAL,
                     date(2026, 12, 31), id="a written start wins over the resolution's date"),
    ],
)
def test_a_recurring_task_starts_with_its_resolution(actor, text, issued_on, kind, first_due):
    group = TaskGroupFactory(resolution=ResolutionFactory(issued_on=issued_on))
    task = _create(actor, group, deadline_text=text)
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline, task.deadline_text) == (kind, first_due, text)


def test_task_create_refuses_a_code_already_used_in_the_resolution(actor, group):
    _create(actor, group, code="2.5")
    # A message for the user, not a database error (a 500 in the browser).
    with pytest.raises(ValidationError):
        _create(actor, group, code="2.5", title="Another task")
    assert Task.objects.count() == 1


def test_task_update_cannot_move_the_deadline(actor):
    task = TaskFactory()
    with pytest.raises(ValueError, match="deadline"):
        task_update(task=task, actor=actor, deadline=date(2026, 6, 30))


def test_task_update_refuses_the_lead_unit_as_coordinating(actor):
    task = TaskFactory()
    with pytest.raises(ValidationError) as raised:
        task_update(task=task, actor=actor, coordinating_units=[task.lead_unit])
    assert "coordinating_units" in raised.value.message_dict
    assert not Task.objects.get(pk=task.pk).coordinating_units.exists()


# --- task_change_deadline ---------------------------------------------------------------------


@pytest.fixture
def quarter_task(db):
    return TaskFactory(deadline_kind=DeadlineKind.QUARTER, deadline=date(2025, 12, 31),
                       deadline_text="Quý IV/2025")


def _change(task, actor, **overrides):
    fields = {"deadline_text": "Quý I/2026", "decision_number": "1234/QĐ-TTg",
              "decision_date": date(2025, 12, 20), "decision_authority": Authority.PRIME_MINISTER,
              "reason": "Chờ ý kiến các bộ"}
    fields.update(overrides)
    return task_change_deadline(task=task, actor=actor, **fields)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"decision_number": "  "}, "decision_number",
                     id="without a decision number"),
        pytest.param({"decision_authority": ""}, "decision_authority",
                     id="without the deciding authority"),
        pytest.param({"deadline_text": "Quý IV/2025"}, "deadline", id="to the same deadline"),
        pytest.param({"deadline_text": "sau Tết"}, "deadline", id="to an unreadable deadline"),
    ],
)
def test_a_deadline_is_not_changed(quarter_task, actor, overrides, field):
    with pytest.raises(ValidationError) as raised:
        _change(quarter_task, actor, **overrides)
    assert field in raised.value.message_dict
    quarter_task.refresh_from_db()
    assert quarter_task.deadline == date(2025, 12, 31)
    assert not DeadlineChange.objects.exists()


def test_a_deadline_change_keeps_the_original_and_records_the_decision(quarter_task, actor):
    change = _change(quarter_task, actor)

    task = Task.objects.get(pk=quarter_task.pk)
    assert (task.deadline_kind, task.deadline, task.deadline_text) == (
        DeadlineKind.QUARTER, date(2026, 3, 31), "Quý I/2026")
    assert (task.original_deadline, task.original_deadline_text) == (
        date(2025, 12, 31), "Quý IV/2025")

    change = DeadlineChange.objects.get(pk=change.pk)
    assert (change.old_kind, change.old_deadline, change.old_text) == (
        DeadlineKind.QUARTER, date(2025, 12, 31), "Quý IV/2025")
    assert (change.new_kind, change.new_deadline, change.new_text) == (
        DeadlineKind.QUARTER, date(2026, 3, 31), "Quý I/2026")
    assert (change.decision_number, change.decision_date, change.decision_authority) == (
        "1234/QĐ-TTg", date(2025, 12, 20), Authority.PRIME_MINISTER)
    assert change.changed_by == actor

    latest = task.history.first()
    assert latest.history_user == actor
    assert "1234/QĐ-TTg" in latest.history_change_reason
    assert latest.deadline == date(2026, 3, 31)


def test_a_second_change_still_keeps_the_first_original(quarter_task, actor):
    _change(quarter_task, actor)
    _change(quarter_task, actor, deadline_text="Tháng 6/2026", decision_number="99/QĐ-TTg")
    task = Task.objects.get(pk=quarter_task.pk)
    assert (task.deadline_kind, task.deadline) == (DeadlineKind.MONTH, date(2026, 6, 30))
    assert task.original_deadline == date(2025, 12, 31)
    assert list(task.deadline_changes.values_list("old_deadline", "new_deadline")) == [
        (date(2025, 12, 31), date(2026, 3, 31)), (date(2026, 3, 31), date(2026, 6, 30))]


# --- outputs and completion -------------------------------------------------------------------


def test_output_record_issue_records_the_document(actor):
    output = OutputFactory()
    output_record_issue(output=output, actor=actor, document_number=" 15/2025/TT-BYT ",
                        issued_on=date(2025, 11, 20))
    output = Output.objects.get(pk=output.pk)
    assert (output.document_number, output.issued_on, output.is_done) == (
        "15/2025/TT-BYT", date(2025, 11, 20), True)
    assert output.history.first().history_user == actor


def test_a_task_without_outputs_cannot_be_completed(actor):
    task = TaskFactory(with_output=False)
    with pytest.raises(ValidationError):
        task_record_completion(task=task, actor=actor, completed_on=date(2025, 11, 1))
    assert Task.objects.get(pk=task.pk).completed_on is None


def test_a_one_off_task_with_an_unissued_output_cannot_be_completed(actor):
    task = TaskFactory()
    OutputFactory(task=task, issued_on=date(2025, 10, 1), document_number="1/NĐ-CP")
    with pytest.raises(ValidationError):
        task_record_completion(task=task, actor=actor, completed_on=date(2025, 11, 1))
    assert Task.objects.get(pk=task.pk).completed_on is None


def test_a_one_off_task_with_every_output_issued_is_completed(actor):
    task = TaskFactory(with_output=False, deadline=date(2025, 10, 30))
    OutputFactory(task=task, issued_on=date(2025, 10, 1), document_number="1/NĐ-CP")
    task_record_completion(task=task, actor=actor, completed_on=date(2025, 10, 30))
    task = Task.objects.get(pk=task.pk)
    assert task.completed_on == date(2025, 10, 30)
    assert not task.occurrence_completions.exists()
    assert task_status_class(task=task, on=date(2025, 11, 1)) == StatusClass.COMPLETED_ON_TIME
    assert task.history.first().history_user == actor


@pytest.fixture
def annual_task(db):
    # An occurrence of a recurring task is reported, not issued: its output stays open.
    return TaskFactory(deadline_kind=DeadlineKind.ANNUAL, deadline=date(2025, 12, 31),
                       deadline_text="Hằng năm")


def test_a_recurring_task_records_the_occurrence_completed(annual_task, actor):
    task_record_completion(task=annual_task, actor=actor, completed_on=date(2025, 12, 20))
    assert _completed_occurrences(annual_task) == [(date(2025, 12, 31), date(2025, 12, 20))]

    task_record_completion(task=annual_task, actor=actor, completed_on=date(2026, 11, 2))
    assert _completed_occurrences(annual_task) == [
        (date(2025, 12, 31), date(2025, 12, 20)), (date(2026, 12, 31), date(2026, 11, 2))]
    task = Task.objects.get(pk=annual_task.pk)
    assert task.completed_on is None
    assert task_status_class(task=task, on=date(2026, 11, 3)) == StatusClass.COMPLETED_ON_TIME
    assert task_status_class(task=task, on=date(2026, 6, 1)) == StatusClass.IN_PROGRESS


def _completed_occurrences(task):
    return list(task.occurrence_completions.values_list("due", "completed_on"))


def test_completing_an_overdue_occurrence_late_does_not_complete_the_current_one(
        annual_task, actor):
    # 2025's occurrence was missed; it is done on 10/01/2026. The 2026 occurrence is still to do.
    assert task_status_class(task=annual_task, on=date(2026, 1, 10)) == StatusClass.OVERDUE
    task_record_completion(task=annual_task, actor=actor, completed_on=date(2026, 1, 10))
    assert _completed_occurrences(annual_task) == [(date(2025, 12, 31), date(2026, 1, 10))]
    task = Task.objects.get(pk=annual_task.pk)
    assert task_status_class(task=task, on=date(2026, 1, 11)) == StatusClass.IN_PROGRESS
