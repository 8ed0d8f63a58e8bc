"""'My tasks this period', the page a reporter or leader lands on after signing in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProgressReportFactory, TaskFactory, UnitFactory, UserFactory
from units.models import User


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_reporter_sees_the_tasks_their_unit_leads_or_coordinates_and_no_other(
        client, reporter, department, other_unit):
    led = TaskFactory(title="Thông tư hướng dẫn trạm y tế xã", lead_unit=department)
    coordinated = TaskFactory(title="Đề án sắp xếp bệnh viện", lead_unit=other_unit,
                              coordinating_units=[department])
    foreign = TaskFactory(title="Nhiệm vụ của đơn vị khác", lead_unit=other_unit)
    client.force_login(reporter)

    page = client.get(reverse("home")).content.decode()

    assert led.title in page
    assert coordinated.title in page
    assert foreign.title not in page


def test_a_unit_sees_the_tasks_of_units_under_it_and_of_designations_it_belongs_to(client, db):
    ministry = UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")
    department = UnitFactory(code="BYT-X", parent=ministry)
    designation = UnitFactory(code="TT-BN", name="Các bộ, ngành", kind="collective")
    designation.members.set([ministry])
    below = TaskFactory(title="Việc của vụ trực thuộc", lead_unit=department)
    collective = TaskFactory(title="Việc giao các bộ, ngành", lead_unit=designation)
    leader = UserFactory(role=User.Role.LEADER, unit=ministry)
    department_reporter = UserFactory(role=User.Role.REPORTER, unit=department)

    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert below.title in page and collective.title in page

    client.force_login(department_reporter)
    page = client.get(reverse("home")).content.decode()
    assert below.title in page and collective.title not in page


def test_a_role_across_all_units_lists_its_own_units_tasks_and_links_to_every_task(
        client, db, department, other_unit):
    """The whole programme is on the task list and the dashboard; a home page lists the tasks
    of the user's own unit, so it never grows with the programme."""
    own, elsewhere = TaskFactory(lead_unit=department), TaskFactory(lead_unit=other_unit)
    client.force_login(UserFactory(role=User.Role.SECRETARIAT, unit=department))
    page = client.get(reverse("home")).content.decode()
    assert own.title in page and elsewhere.title not in page
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    page = client.get(reverse("home")).content.decode()
    assert own.title not in page and elsewhere.title not in page
    assert f'href="{reverse("tasks:list")}"' in page
    listed = client.get(reverse("tasks:list")).content.decode()
    assert own.title in listed and elsewhere.title in listed


def test_the_page_shows_the_deadline_as_written_and_the_status_class(client, reporter, department):
    from datetime import date
    TaskFactory(lead_unit=department, deadline_kind="quarter", deadline=date(2025, 12, 31),
                deadline_text="Quý IV/2025")
    client.force_login(reporter)
    page = client.get(reverse("home")).content.decode()
    assert "Quý IV/2025" in page
    # the Quarter IV/2025 deadline is long past and the task is not completed
    assert "status-overdue" in page


def test_this_periods_report_state_is_shown(client, reporter, department):
    from django.utils import timezone

    from reports.periods import period_open
    ProgressReportFactory(task=TaskFactory(lead_unit=department), unit=department,
                                   period=period_open(on=timezone.localdate()),
                                   created_by=reporter)
    client.force_login(reporter)
    assert "Dự thảo" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Draft" in client.get(reverse("home")).content.decode()


def test_vietnamese_is_shown_whatever_the_browser_asks_until_the_user_switches(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Nhiệm vụ của tôi trong kỳ" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "My tasks this period" in page


@pytest.mark.parametrize("role", [User.Role.REPORTER, User.Role.LEADERSHIP])
def test_queries_do_not_grow_with_the_number_of_tasks(client, department, other_unit, role):
    user = UserFactory(role=role, unit=department)
    client.force_login(user)

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("home")).status_code == 200
        return len(context.captured_queries)

    def add_task_with_report():
        task = TaskFactory(lead_unit=department, coordinating_units=[other_unit])
        ProgressReportFactory(task=task, unit=department, created_by=user)

    for _ in range(3):
        add_task_with_report()
    client.get(reverse("home"))  # the first request opens the period
    small = count_queries()
    for _ in range(27):
        add_task_with_report()
    # Leadership's home draws the dashboard's first screen, computed again once after a change
    # (the per-task facts of the new tasks, then cached): compare the pages as they stand.
    client.get(reverse("home"))
    assert count_queries() == small


def test_days_are_counted_only_for_unfinished_tasks(client, reporter, department):
    from datetime import date
    TaskFactory(lead_unit=department, deadline=date(2025, 10, 30), completed_on=date(2025, 10, 1),
                title="Việc đã xong")
    TaskFactory(lead_unit=department, deadline=date(2025, 10, 30), title="Việc chưa xong")
    client.force_login(reporter)
    page = client.get(reverse("home")).content.decode()
    assert page.count("Quá hạn") == 1


def test_tasks_given_to_designations_cost_no_query_per_task(client, department, other_unit):
    """A designation stands for its members: a task led by "the ministries" is this unit's to
    report on, and its members are read once for the whole page, however many such tasks."""
    designation = UnitFactory(code="TT-CBN", name="Các bộ, ngành", kind="collective")
    designation.members.set([department, other_unit])
    other_designation = UnitFactory(code="TT-CT", name="UBND các tỉnh", kind="collective")
    other_designation.members.set([other_unit])
    reporter = UserFactory(role=User.Role.REPORTER, unit=department)
    client.force_login(reporter)

    def add_tasks(first, last):
        for number in range(first, last + 1):
            TaskFactory(title=f"Việc giao các bộ, ngành {number}", lead_unit=designation,
                        coordinating_units=[other_designation])

    def count_queries():
        with CaptureQueriesContext(connection) as context:
            page = client.get(reverse("home")).content.decode()
        return len(context.captured_queries), page

    add_tasks(1, 3)
    client.get(reverse("home"))  # the first request opens the period
    small, page = count_queries()
    assert "Việc giao các bộ, ngành 3" in page
    assert page.count("Chưa có báo cáo") >= 3  # one report to write per task, by this unit
    add_tasks(4, 30)
    client.get(reverse("home"))  # the filter bar drawn again: new tasks brought new groups
    large, page = count_queries()
    assert "Việc giao các bộ, ngành 30" in page
    assert large == small
