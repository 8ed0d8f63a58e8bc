"""The "six clarities": which one a task lacks, and checking many tasks at a fixed cost."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.deadlines import DeadlineKind
from tasks.models import Task
from tasks.rules import Clarity, task_clarity_gaps
from tests.factories import TaskFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_fully_clear_task_has_no_gaps():
    task = TaskFactory(coordinating_units=[UnitFactory()])
    assert task_clarity_gaps(task=task) == []


def test_person_missing_when_no_responsible_official():
    task = TaskFactory(responsible_official="  ")
    assert task_clarity_gaps(task=task) == [Clarity.PERSON]


def test_work_missing_when_the_title_is_blank():
    task = TaskFactory()
    task.title = " "  # the database refuses a blank title: only an unsaved edit can lack it
    assert task_clarity_gaps(task=task) == [Clarity.WORK]


@pytest.mark.parametrize("text", ["", "Khẩn trương"])
def test_time_missing_when_the_deadline_is_unspecified(text):
    task = TaskFactory(deadline_kind=DeadlineKind.UNSPECIFIED, deadline=None, deadline_text=text)
    assert task_clarity_gaps(task=task) == [Clarity.TIME]


@pytest.mark.parametrize("kind", [DeadlineKind.ONGOING, DeadlineKind.ANNUAL])
def test_ongoing_and_recurring_tasks_are_clear_on_time(kind):
    deadline = None if kind == DeadlineKind.ONGOING else date(2025, 12, 31)
    task = TaskFactory(deadline_kind=kind, deadline=deadline)
    assert Clarity.TIME not in task_clarity_gaps(task=task)


def test_responsibility_missing_when_the_lead_is_a_collective_with_no_members():
    ministries = UnitFactory(name="Các bộ, ngành", kind=Unit.Kind.COLLECTIVE)
    task = TaskFactory(lead_unit=ministries)
    assert task_clarity_gaps(task=task) == [Clarity.RESPONSIBILITY]


def test_a_collective_lead_with_members_is_clear():
    provinces = UnitFactory(name="UBND các tỉnh, thành phố", kind=Unit.Kind.COLLECTIVE)
    provinces.members.set([UnitFactory(kind=Unit.Kind.PROVINCE)])
    task = TaskFactory(lead_unit=provinces)
    assert task_clarity_gaps(task=task) == []


def test_responsibility_missing_when_the_lead_also_coordinates():
    lead = UnitFactory()
    # task_create refuses this; an import or the admin could still write it.
    task = TaskFactory(lead_unit=lead, coordinating_units=[lead, UnitFactory()])
    assert task_clarity_gaps(task=task) == [Clarity.RESPONSIBILITY]


def test_product_missing_when_no_output_is_recorded():
    task = TaskFactory(with_output=False)
    assert task_clarity_gaps(task=task) == [Clarity.PRODUCT]


def test_authority_missing_when_no_competent_authority():
    task = TaskFactory(competent_authority="")
    assert task_clarity_gaps(task=task) == [Clarity.AUTHORITY]


def test_a_task_missing_several_reports_them_in_the_canonical_order():
    task = TaskFactory(competent_authority="", responsible_official="", with_output=False,
                       deadline_kind=DeadlineKind.UNSPECIFIED, deadline=None)
    assert task_clarity_gaps(task=task) == [
        Clarity.PERSON, Clarity.TIME, Clarity.PRODUCT, Clarity.AUTHORITY]


def _make_tasks(count):
    collective = UnitFactory(kind=Unit.Kind.COLLECTIVE)
    collective.members.set([UnitFactory(), UnitFactory()])
    for index in range(count):
        lead = collective if index % 2 else UnitFactory()
        TaskFactory(lead_unit=lead, coordinating_units=[UnitFactory()])


def _queries_to_check_all():
    with CaptureQueriesContext(connection) as queries:
        tasks = Task.objects.prefetch_related(
            "outputs", "coordinating_units", "lead_unit__members")
        gaps = [task_clarity_gaps(task=task) for task in tasks]
    return len(queries), gaps


def test_checking_many_tasks_costs_the_same_queries_as_checking_a_few():
    _make_tasks(3)
    few, few_gaps = _queries_to_check_all()
    assert few_gaps == [[]] * 3
    _make_tasks(27)
    many, many_gaps = _queries_to_check_all()
    assert many_gaps == [[]] * 30
    assert many == few
