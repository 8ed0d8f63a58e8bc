"""The unit tree: scope queries by path, moves, and the refusal of cycles."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import Unit, User
from units.selectors import units_expected_to_report


@pytest.fixture
def tree(db):
    ministry = UnitFactory(code="BYT", kind="ministry")
    department = UnitFactory(code="BYT-TCCB", parent=ministry)
    office = UnitFactory(code="BYT-TCCB-P1", parent=department)
    other = UnitFactory(code="BNV", kind="ministry")
    return ministry, department, office, other


def test_a_unit_and_everything_under_it(tree):
    ministry, department, office, other = tree
    assert set(Unit.objects.under(ministry)) == {ministry, department, office}
    assert set(Unit.objects.under(department)) == {department, office}
    assert set(Unit.objects.under(other)) == {other}


def test_moving_a_unit_moves_its_whole_subtree(tree):
    ministry, department, office, other = tree
    department.parent = other
    department.save()
    office.refresh_from_db()
    assert office.path == f"/{other.pk}/{department.pk}/{office.pk}/"
    assert set(Unit.objects.under(other)) == {other, department, office}
    assert set(Unit.objects.under(ministry)) == {ministry}


def test_a_unit_cannot_be_placed_under_its_own_subtree(tree):
    ministry, department, office, _other = tree
    ministry.parent = office
    with pytest.raises(ValidationError):
        ministry.full_clean()
    with pytest.raises(ValidationError):
        ministry.save()
    ministry.refresh_from_db()
    assert ministry.parent is None


def test_a_user_of_a_ministry_sees_the_tasks_of_its_departments_but_not_of_its_parent(tree):
    from tasks.selectors import task_list_visible_to

    ministry, department, office, other = tree
    ministry_task = TaskFactory(lead_unit=ministry)
    office_task = TaskFactory(lead_unit=office)
    department_user = UserFactory(role=User.Role.REPORTER, unit=department)
    ministry_user = UserFactory(role=User.Role.LEADER, unit=ministry)
    assert set(task_list_visible_to(user=department_user)) == {office_task}
    assert set(task_list_visible_to(user=ministry_user)) == {ministry_task, office_task}


def test_a_designation_stands_for_its_members(tree):
    ministry, _department, _office, other = tree
    designation = UnitFactory(code="TT-BN", kind="collective")
    designation.members.set([ministry, other])
    assert set(units_expected_to_report(units=[designation, ministry])) == {ministry, other}


def test_a_unit_without_accounts_is_answered_for_by_the_nearest_unit_above(tree):
    from units.selectors import unit_users

    ministry, department, office, other = tree
    minister_office = UserFactory(role=User.Role.LEADER, unit=ministry)
    own = UserFactory(role=User.Role.REPORTER, unit=department)
    found = unit_users(units=[office, department, other],
                       roles=[User.Role.REPORTER, User.Role.LEADER])
    assert found[department.pk] == [own]          # its own people first
    assert found[office.pk] == [own]              # nobody in the office: the department
    assert found[other.pk] == []                  # nobody above either
    assert unit_users(units=[office], roles=[User.Role.LEADER])[office.pk] == [minister_office]


def test_an_overdue_task_of_a_unit_without_accounts_still_reaches_someone(tree):
    from datetime import date

    from tasks.jobs import flag_overdue
    from units.models import Notification

    ministry, department, office, _other = tree
    leader = UserFactory(role=User.Role.LEADER, unit=ministry)
    TaskFactory(lead_unit=office, deadline=date(2025, 10, 30))
    flag_overdue(on="2025-11-02")
    assert Notification.objects.filter(recipient=leader,
                                       kind=Notification.Kind.OVERDUE).count() == 1
