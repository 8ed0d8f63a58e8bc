"""The four status classes leadership reads, computed on a date, at every edge."""

from datetime import date, timedelta

import pytest

from tasks.deadlines import RECURRING_KINDS, next_period_end, period_end
from tasks.deadlines import DeadlineKind as K
from tasks.models import OccurrenceCompletion, Task
from tasks.rules import StatusClass as S
from tasks.rules import task_days_to_deadline, task_status_class
from tasks.selectors import task_annotate_status
from tests.factories import TaskFactory


def _task(kind, deadline, completed_on=None, occurrence=None):
    """A task; a recurring one is saved with its completed occurrence (due `occurrence`)."""
    if kind not in RECURRING_KINDS:
        return TaskFactory(deadline_kind=kind, deadline=deadline, completed_on=completed_on)
    task = TaskFactory(deadline_kind=kind, deadline=deadline)
    if occurrence:
        OccurrenceCompletion.objects.create(task=task, due=occurrence, completed_on=completed_on)
    return task


def case(sentence, *, kind, deadline, on, expected, completed_on=None, occurrence=None):
    return pytest.param(kind, deadline, completed_on, occurrence, on, expected, id=sentence)


OCT_30 = date(2025, 10, 30)

ONE_OFF = [
    case("a task due today is in progress", kind=K.DAY, deadline=OCT_30, on=OCT_30,
         expected=S.IN_PROGRESS),
    case("a task due tomorrow is in progress", kind=K.DAY, deadline=OCT_30,
         on=date(2025, 10, 29), expected=S.IN_PROGRESS),
    case("a task not done the day after its deadline is overdue", kind=K.DAY, deadline=OCT_30,
         on=date(2025, 10, 31), expected=S.OVERDUE),
    case("a task completed on the deadline day is on time", kind=K.DAY, deadline=OCT_30,
         completed_on=OCT_30, on=date(2025, 11, 15), expected=S.COMPLETED_ON_TIME),
    case("a task completed early is on time", kind=K.DAY, deadline=OCT_30,
         completed_on=date(2025, 10, 1), on=date(2025, 10, 2), expected=S.COMPLETED_ON_TIME),
    case("a task completed a day late is late", kind=K.DAY, deadline=OCT_30,
         completed_on=date(2025, 10, 31), on=date(2025, 10, 31), expected=S.COMPLETED_LATE),
    case("a completion recorded after the asked date is ignored before the deadline",
         kind=K.DAY, deadline=OCT_30, completed_on=date(2025, 10, 20), on=date(2025, 10, 19),
         expected=S.IN_PROGRESS),
    case("a late completion recorded after the asked date leaves the task overdue then",
         kind=K.DAY, deadline=OCT_30, completed_on=date(2025, 11, 20), on=date(2025, 11, 19),
         expected=S.OVERDUE),
    case("a month deadline is in progress on the last day of the month", kind=K.MONTH,
         deadline=date(2025, 11, 30), on=date(2025, 11, 30), expected=S.IN_PROGRESS),
    case("a month deadline is overdue on the first of the next month", kind=K.MONTH,
         deadline=date(2025, 11, 30), on=date(2025, 12, 1), expected=S.OVERDUE),
    case("a month deadline completed on its last day is on time", kind=K.MONTH,
         deadline=date(2025, 11, 30), completed_on=date(2025, 11, 30), on=date(2025, 12, 1),
         expected=S.COMPLETED_ON_TIME),
    case("a quarter deadline is in progress on 31 December", kind=K.QUARTER,
         deadline=date(2025, 12, 31), on=date(2025, 12, 31), expected=S.IN_PROGRESS),
    case("a quarter deadline is overdue on 1 January", kind=K.QUARTER,
         deadline=date(2025, 12, 31), on=date(2026, 1, 1), expected=S.OVERDUE),
    case("a quarter deadline completed on 1 January is late", kind=K.QUARTER,
         deadline=date(2025, 12, 31), completed_on=date(2026, 1, 1), on=date(2026, 1, 2),
         expected=S.COMPLETED_LATE),
    case("a year deadline is in progress on 31 December", kind=K.YEAR,
         deadline=date(2026, 12, 31), on=date(2026, 12, 31), expected=S.IN_PROGRESS),
    case("a year deadline is overdue on 1 January of the next year", kind=K.YEAR,
         deadline=date(2026, 12, 31), on=date(2027, 1, 1), expected=S.OVERDUE),
    case("a year deadline completed on 31 December is on time", kind=K.YEAR,
         deadline=date(2026, 12, 31), completed_on=date(2026, 12, 31), on=date(2027, 3, 1),
         expected=S.COMPLETED_ON_TIME),
]

UNDATED = [
    case("an ongoing task is never overdue", kind=K.ONGOING, deadline=None,
         on=date(2040, 1, 1), expected=S.IN_PROGRESS),
    case("an ongoing task's completion counts as on time", kind=K.ONGOING, deadline=None,
         completed_on=date(2030, 1, 1), on=date(2030, 1, 1), expected=S.COMPLETED_ON_TIME),
    case("an ongoing task completed after the asked date is still in progress then",
         kind=K.ONGOING, deadline=None, completed_on=date(2030, 1, 1), on=date(2029, 12, 31),
         expected=S.IN_PROGRESS),
    case("an unspecified task is never overdue", kind=K.UNSPECIFIED, deadline=None,
         on=date(2040, 1, 1), expected=S.IN_PROGRESS),
    case("an unspecified task's completion counts as on time", kind=K.UNSPECIFIED,
         deadline=None, completed_on=date(2026, 5, 1), on=date(2026, 5, 2),
         expected=S.COMPLETED_ON_TIME),
]

DEC_31_2025, DEC_31_2026 = date(2025, 12, 31), date(2026, 12, 31)

ANNUAL = [
    case("an annual task before its first year is in progress", kind=K.ANNUAL,
         deadline=DEC_31_2026, on=date(2025, 10, 1), expected=S.IN_PROGRESS),
    case("an annual task in its first year is in progress", kind=K.ANNUAL,
         deadline=DEC_31_2025, on=date(2025, 10, 1), expected=S.IN_PROGRESS),
    case("an annual task on the last day of its first year is still in progress",
         kind=K.ANNUAL, deadline=DEC_31_2025, on=DEC_31_2025, expected=S.IN_PROGRESS),
    case("an annual task whose first year was not done is overdue on 1 January",
         kind=K.ANNUAL, deadline=DEC_31_2025, on=date(2026, 1, 1), expected=S.OVERDUE),
    case("an annual task whose previous year was done is in progress on 1 January",
         kind=K.ANNUAL, deadline=DEC_31_2025, completed_on=date(2025, 12, 20),
         occurrence=DEC_31_2025, on=date(2026, 1, 1), expected=S.IN_PROGRESS),
    case("an annual task whose previous year was done is in progress mid year",
         kind=K.ANNUAL, deadline=DEC_31_2025, completed_on=date(2025, 12, 20),
         occurrence=DEC_31_2025, on=date(2026, 6, 15), expected=S.IN_PROGRESS),
    case("an annual task whose last completion is two years old is overdue", kind=K.ANNUAL,
         deadline=DEC_31_2025, completed_on=date(2025, 12, 20), occurrence=DEC_31_2025,
         on=date(2027, 2, 1), expected=S.OVERDUE),
    case("an annual task with this year's occurrence done is completed on time",
         kind=K.ANNUAL, deadline=DEC_31_2025, completed_on=date(2026, 11, 1),
         occurrence=DEC_31_2026, on=date(2026, 11, 2), expected=S.COMPLETED_ON_TIME),
    case("an annual task done this year is completed on time on 31 December", kind=K.ANNUAL,
         deadline=DEC_31_2025, completed_on=date(2025, 12, 20), occurrence=DEC_31_2025,
         on=DEC_31_2025, expected=S.COMPLETED_ON_TIME),
    case("an annual task done this year is in progress again on 1 January", kind=K.ANNUAL,
         deadline=DEC_31_2025, completed_on=date(2025, 12, 20), occurrence=DEC_31_2025,
         on=date(2026, 1, 1), expected=S.IN_PROGRESS),
    case("an annual completion recorded after the asked date is ignored", kind=K.ANNUAL,
         deadline=DEC_31_2025, completed_on=date(2025, 12, 20), occurrence=DEC_31_2025,
         on=date(2025, 12, 19), expected=S.IN_PROGRESS),
]

MONTHLY = [
    case("a monthly task in its first month is in progress", kind=K.MONTHLY,
         deadline=date(2025, 9, 30), on=date(2025, 9, 30), expected=S.IN_PROGRESS),
    case("a monthly task whose last month was not done is overdue", kind=K.MONTHLY,
         deadline=date(2025, 9, 30), on=date(2025, 10, 1), expected=S.OVERDUE),
    case("a monthly task whose last month was done is in progress", kind=K.MONTHLY,
         deadline=date(2025, 9, 30), completed_on=date(2025, 9, 28),
         occurrence=date(2025, 9, 30), on=date(2025, 10, 10), expected=S.IN_PROGRESS),
    case("a monthly task with this month done is completed on time", kind=K.MONTHLY,
         deadline=date(2025, 9, 30), completed_on=date(2025, 10, 5),
         occurrence=date(2025, 10, 31), on=date(2025, 10, 10), expected=S.COMPLETED_ON_TIME),
    case("a monthly task done in December is in progress in January", kind=K.MONTHLY,
         deadline=date(2025, 9, 30), completed_on=date(2025, 12, 20),
         occurrence=DEC_31_2025, on=date(2026, 1, 1), expected=S.IN_PROGRESS),
    case("a monthly task not done since November is overdue in January", kind=K.MONTHLY,
         deadline=date(2025, 9, 30), completed_on=date(2025, 11, 20),
         occurrence=date(2025, 11, 30), on=date(2026, 1, 1), expected=S.OVERDUE),
]

QUARTERLY = [
    case("a quarterly task in its first quarter is in progress", kind=K.QUARTERLY,
         deadline=DEC_31_2025, on=date(2025, 10, 1), expected=S.IN_PROGRESS),
    case("a quarterly task whose last quarter was not done is overdue", kind=K.QUARTERLY,
         deadline=DEC_31_2025, on=date(2026, 1, 1), expected=S.OVERDUE),
    case("a quarterly task whose last quarter was done is in progress", kind=K.QUARTERLY,
         deadline=DEC_31_2025, completed_on=date(2025, 12, 15), occurrence=DEC_31_2025,
         on=date(2026, 2, 1), expected=S.IN_PROGRESS),
    case("a quarterly task with this quarter done is completed on time", kind=K.QUARTERLY,
         deadline=DEC_31_2025, completed_on=date(2026, 3, 1), occurrence=date(2026, 3, 31),
         on=date(2026, 3, 31), expected=S.COMPLETED_ON_TIME),
    case("a quarterly task done in the first quarter is in progress on 1 April",
         kind=K.QUARTERLY, deadline=DEC_31_2025, completed_on=date(2026, 3, 1),
         occurrence=date(2026, 3, 31), on=date(2026, 4, 1), expected=S.IN_PROGRESS),
]


@pytest.mark.parametrize(
    ("kind", "deadline", "completed_on", "occurrence", "on", "expected"),
    ONE_OFF + UNDATED + ANNUAL + MONTHLY + QUARTERLY,
)
def test_status_class(db, kind, deadline, completed_on, occurrence, on, expected):
    task = _task(kind, deadline, completed_on, occurrence)
    assert task_status_class(task=task, on=on) == expected
    # The database computes the same class (lists, dashboards and the API count with it).
    annotated = task_annotate_status(Task.objects.filter(pk=task.pk), on=on).get()
    assert annotated.status_class == expected


def _grid_tasks():
    """Every deadline kind, with a spread of first due dates and completions (recurring tasks
    with some occurrences done on time, late or not at all)."""
    dues = [date(2025, 10, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 12, 31)]
    tasks = []
    for kind in K.values:
        for due in dues if kind not in (K.ONGOING, K.UNSPECIFIED) else [None]:
            due = period_end(kind, due) if due else None
            for completed_on in (None, date(2025, 10, 15), date(2026, 1, 10), date(2027, 2, 1)):
                if kind in RECURRING_KINDS:
                    task = TaskFactory(deadline_kind=kind, deadline=due, with_output=False)
                    if completed_on:
                        credited = max(period_end(kind, completed_on), due)
                        OccurrenceCompletion.objects.create(task=task, due=credited,
                                                            completed_on=completed_on)
                        OccurrenceCompletion.objects.create(
                            task=task, due=next_period_end(kind, credited),
                            completed_on=completed_on + timedelta(days=40))
                else:
                    task = TaskFactory(deadline_kind=kind, deadline=due,
                                       completed_on=completed_on, with_output=False)
                tasks.append(task)
    return tasks


def test_the_database_and_the_rules_agree_on_every_kind_and_day(db):
    tasks = _grid_tasks()
    days = [date(2025, 9, 1) + timedelta(days=step) for step in range(0, 900, 11)]
    days += [date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)]
    checked = 0
    for on in days:
        annotated = {task.pk: task for task in task_annotate_status(
            Task.objects.prefetch_related("occurrence_completions"), on=on)}
        for task in tasks:
            row = annotated[task.pk]
            expected = task_status_class(task=row, on=on)
            assert row.status_class == expected, (task.deadline_kind, task.deadline, on)
            if task.deadline is None:
                assert row.current_due is None
            else:
                assert row.current_due == on + timedelta(
                    days=task_days_to_deadline(task=row, on=on))
            if expected == S.OVERDUE:
                assert row.missed_due is not None and row.missed_due < on
            else:
                assert row.missed_due is None
            checked += 1
    assert checked > 5000


def test_days_overdue_count_from_the_missed_due_date(db):
    one_off = TaskFactory(deadline_kind=K.DAY, deadline=OCT_30)
    monthly = TaskFactory(deadline_kind=K.MONTHLY, deadline=date(2025, 9, 30))
    OccurrenceCompletion.objects.create(task=monthly, due=date(2025, 9, 30),
                                        completed_on=date(2025, 9, 30))
    rows = {task.pk: task for task in task_annotate_status(Task.objects.all(),
                                                           on=date(2025, 11, 5))}
    # The one-off task missed 30/10; the monthly one missed October's occurrence (31/10).
    assert (date(2025, 11, 5) - rows[one_off.pk].missed_due).days == 6
    assert (date(2025, 11, 5) - rows[monthly.pk].missed_due).days == 5


def test_a_recurring_task_on_a_past_date_is_what_it_was_then(db):
    # 2025's occurrence was done on 20/12/2025 and 2026's on 01/11/2026. On 01/06/2026 the task
    # was within its deadline: last year's duty was done, this year's not yet due. Last month's
    # counts ("change from last month") are computed this way.
    task = _task(K.ANNUAL, DEC_31_2025, completed_on=date(2025, 12, 20), occurrence=DEC_31_2025)
    OccurrenceCompletion.objects.create(task=task, due=DEC_31_2026, completed_on=date(2026, 11, 1))
    assert task_status_class(task=task, on=date(2026, 6, 1)) == S.IN_PROGRESS
    assert task_status_class(task=task, on=date(2026, 11, 2)) == S.COMPLETED_ON_TIME
    assert task_status_class(task=task, on=date(2027, 1, 1)) == S.IN_PROGRESS


@pytest.mark.parametrize(
    ("kind", "deadline", "on", "days"),
    [
        pytest.param(K.DAY, OCT_30, OCT_30, 0, id="zero days on the deadline"),
        pytest.param(K.DAY, OCT_30, date(2025, 11, 2), -3, id="negative once passed"),
        pytest.param(K.ANNUAL, DEC_31_2025, date(2026, 12, 1), 30,
                     id="a recurring task counts to the occurrence now due"),
        pytest.param(K.ONGOING, None, OCT_30, None, id="none for an ongoing task"),
    ],
)
def test_days_to_deadline(db, kind, deadline, on, days):
    assert task_days_to_deadline(task=_task(kind, deadline), on=on) == days
