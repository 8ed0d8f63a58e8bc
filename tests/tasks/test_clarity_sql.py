"""The six clarities in SQL (tasks.selectors) agree with the rule for one task (tasks.rules)."""

import sys
from datetime import date
from itertools import product

import pytest

from tasks.deadlines import DeadlineKind
from tasks.models import Task
from tasks.rules import Clarity, task_clarity_gaps
from tasks.selectors import (
    WHITESPACE,
    task_annotate_clarity_gaps,
    task_clarity_conditions,
    task_not_six_clear_condition,
)
from tests.factories import OutputFactory, TaskFactory, UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def _grid() -> list[Task]:
    """Tasks lacking every combination of what the clarities read."""
    lone = UnitFactory(code="LONE")
    empty = UnitFactory(code="EMPTY", kind=Unit.Kind.COLLECTIVE)
    designation = UnitFactory(code="DESIG", kind=Unit.Kind.COLLECTIVE)
    designation.members.set([lone])
    helper = UnitFactory(code="HELP")
    officials = ["Thứ trưởng", "", "\t\n", "\u00a0", "\u3000 Vụ trưởng"]
    titles = ["Xây dựng đề án", " \u2003\t "]
    deadlines = [(DeadlineKind.DAY, date(2026, 1, 31)), (DeadlineKind.UNSPECIFIED, None),
                 (DeadlineKind.ANNUAL, date(2026, 12, 31))]
    leads = [lone, empty, designation]
    tasks = []
    for number, (official, title, (kind, due), lead, authority, outputs, coordination) in \
            enumerate(product(officials, titles, deadlines, leads, ["", "minister"], [0, 2],
                              ["none", "helper", "lead"])):
        if number % 4:  # a quarter of the combinations is plenty, and keeps the test quick
            continue
        coordinating = {"none": [], "helper": [helper], "lead": [lead, helper]}[coordination]
        task = TaskFactory(code=f"9.{number}", responsible_official=official, title=title,
                           deadline_kind=kind, deadline=due, lead_unit=lead,
                           competent_authority=authority, with_output=False,
                           coordinating_units=coordinating)
        for _ in range(outputs):
            OutputFactory(task=task)
        tasks.append(task)
    return tasks


def test_whitespace_is_what_python_strips():
    everything = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert set(WHITESPACE) == everything


def test_the_database_and_the_rule_agree_on_every_combination():
    tasks = _grid()
    assert len(tasks) > 200
    rows = {task.pk: task for task in task_annotate_clarity_gaps(
        Task.objects.prefetch_related("outputs", "coordinating_units", "lead_unit__members"))}
    seen = set()
    for task in tasks:
        row = rows[task.pk]
        expected = task_clarity_gaps(task=row)
        found = [clarity for clarity in Clarity if getattr(row, f"lacks_{clarity.value}")]
        assert found == expected, (task.responsible_official, task.title, task.deadline_kind)
        seen.update(expected)
    assert seen == set(Clarity)  # every clarity is missed by some task


def test_the_conditions_filter_as_the_rule_says():
    _grid()
    lacking = {clarity: {task.pk for task in Task.objects.prefetch_related(
        "outputs", "coordinating_units", "lead_unit__members")
        if clarity in task_clarity_gaps(task=task)} for clarity in Clarity}
    for clarity, condition in task_clarity_conditions().items():
        assert set(Task.objects.filter(condition).values_list("pk", flat=True)) == \
            lacking[clarity], clarity
    unclear = set().union(*lacking.values())
    assert set(Task.objects.filter(task_not_six_clear_condition())
               .values_list("pk", flat=True)) == unclear
