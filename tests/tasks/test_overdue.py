"""The overdue flag's service: every change it makes is in the task's history, written in bulk,
and a second run on the same day writes nothing."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.deadlines import DeadlineKind
from tasks.jobs import flag_overdue
from tasks.models import Task
from tasks.overdue import task_overdue_flags_refresh
from tests.factories import TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db

DUE = date(2025, 10, 30)


def _history(task) -> list[tuple]:
    return list(Task.history.filter(id=task.pk).order_by("history_date", "history_id")
                .values_list("history_type", "overdue_since", "history_change_reason",
                             "history_user"))


def test_flagging_and_clearing_are_recorded_in_the_tasks_history(db):
    helper = UnitFactory(code="BNV")
    task = TaskFactory(deadline=DUE, coordinating_units=[helper])
    created = len(_history(task))

    assert flag_overdue(on="2025-11-05")["flagged"] == 1
    flagged = _history(task)[created:]
    assert flagged == [("~", DUE + timedelta(days=1), "Đánh dấu quá hạn bởi tác vụ hằng ngày",
                        None)]
    record = Task.history.filter(id=task.pk).latest("history_date", "history_id")
    assert [unit.unit_id for unit in record.coordinating_units.all()] == [helper.pk]

    Task.objects.filter(pk=task.pk).update(completed_on=date(2025, 11, 3))
    assert task_overdue_flags_refresh(on=date(2025, 11, 6)) == {"flagged": 0, "cleared": 1}
    assert _history(task)[created + 1:] == [
        ("~", None, "Không còn quá hạn (tác vụ hằng ngày)", None)]


def test_a_second_run_on_the_same_day_writes_nothing(db):
    tasks = [TaskFactory(deadline=DUE) for _ in range(3)]
    TaskFactory(deadline_kind=DeadlineKind.MONTHLY, deadline=date(2025, 9, 30))
    first = task_overdue_flags_refresh(on=date(2025, 11, 5))
    assert first == {"flagged": 4, "cleared": 0}
    rows = Task.history.count()
    with CaptureQueriesContext(connection) as again:
        assert task_overdue_flags_refresh(on=date(2025, 11, 5)) == {"flagged": 0, "cleared": 0}
    assert Task.history.count() == rows
    assert not [q for q in again.captured_queries if q["sql"].startswith("INSERT")]
    assert all(Task.objects.get(pk=task.pk).overdue_since == DUE + timedelta(days=1)
               for task in tasks)


def test_the_history_is_written_in_a_fixed_number_of_queries(db):
    def queries(n: int, on: date) -> int:
        for _ in range(n):
            TaskFactory(deadline=DUE, coordinating_units=[UnitFactory()])
        with CaptureQueriesContext(connection) as captured:
            task_overdue_flags_refresh(on=on)
        return len(captured.captured_queries)

    small = queries(3, date(2025, 11, 5))
    Task.objects.update(completed_on=date(2025, 1, 1))
    cleared = queries(0, date(2025, 11, 6))
    Task.objects.update(completed_on=None)
    Task.objects.all().delete()
    assert queries(30, date(2025, 11, 5)) == small
    assert cleared == small  # the clearing writes its history the same way
