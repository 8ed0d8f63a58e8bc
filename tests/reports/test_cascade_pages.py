"""Plans cascade on the screens: the programme task's page lists its implementing tasks plan by
plan, the plan task's page links its parent, the coverage list (secretariat and leadership
only), the dashboard's figure and the secretariat's home line; each at a flat query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.cascade import coverage_item
from reports.models import ProgressReport
from tasks.models import Resolution
from tests.cascade_world import cascade_world
from tests.factories import (
    ProgressReportFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return cascade_world()


@pytest.fixture
def secretariat_user(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT, unit=None)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context.captured_queries)


def _approved(task, percent, month):
    from tests.factories import ReportingPeriodFactory

    user = UserFactory(unit=task.lead_unit)
    return ProgressReportFactory(
        task=task, period=ReportingPeriodFactory(year=2026, month=month), created_by=user,
        percent_complete=percent, state=ProgressReport.State.APPROVED,
        submitted_at=timezone.now(), submitted_by=user, decided_at=timezone.now(),
        decided_by=user)


def test_the_programme_task_shows_its_implementing_tasks_plan_by_plan(client, world,
                                                                      secretariat_user):
    provincial_plan = ResolutionFactory(number="KH-P", kind=Resolution.Kind.PLAN,
                                        implements=world["programme"],
                                        owner_unit=world["province"], issued_on=date(2025, 11, 1))
    there = TaskFactory(group=TaskGroupFactory(resolution=provincial_plan, number=1), code="P1",
                        lead_unit=world["province"], implements=world["parent"],
                        deadline=date(2026, 5, 31))
    _approved(world["early"], 40, 1)
    _approved(world["early"], 65, 2)
    client.force_login(secretariat_user)
    page = client.get(reverse("task_detail", args=[world["parent"].pk]))
    plans = [(plan.resolution.number, [t.code for t in plan.tasks])
             for plan in page.context["cascade_plans"]]
    assert plans == [("KH-M", ["1.1.1", "1.1.2"]), ("KH-P", ["P1"])]
    html = page.content.decode()
    assert html.index("KH-M") < html.index("1.1.1") < html.index("KH-P") < html.index(
        f'href="/tasks/{there.pk}/"')
    assert "Vụ A" in html and "Tỉnh P" in html and "65%" in html
    # Only 1.1.1 ends after its parent (31/12/2026 against 30/06/2026).
    assert html.count('class="after-parent"') == 1
    flagged = html[html.index('class="after-parent"'):]
    assert flagged.index("1.1.1") < flagged.index("</tr>")
    assert "status-in_progress" in html


def test_the_implementing_task_links_its_parent_and_says_it_ends_later(client, world,
                                                                       secretariat_user):
    client.force_login(secretariat_user)
    html = client.get(reverse("task_detail", args=[world["late"].pk])).content.decode()
    assert f'href="/tasks/{world["parent"].pk}/"' in html and "late-flag" in html
    early = client.get(reverse("task_detail", args=[world["early"].pk])).content.decode()
    assert f'href="/tasks/{world["parent"].pk}/"' in early and "late-flag" not in early


def test_a_unit_sees_only_the_implementing_tasks_it_may_see(client, world):
    client.force_login(UserFactory(role=User.Role.REPORTER, unit=world["first"]))
    page = client.get(reverse("task_detail", args=[world["parent"].pk]))
    assert [t.code for plan in page.context["cascade_plans"] for t in plan.tasks] == ["1.1.1"]


def test_the_task_page_takes_as_many_queries_for_30_implementing_tasks_as_for_3(
        client, world, secretariat_user):
    client.force_login(secretariat_user)
    url = reverse("task_detail", args=[world["parent"].pk])

    def add(count, start):
        for number in range(start, start + count):
            plan = ResolutionFactory(number=f"KH-{number}", kind=Resolution.Kind.PLAN,
                                     implements=world["programme"],
                                     owner_unit=UnitFactory(kind="province"))
            child = TaskFactory(group=TaskGroupFactory(resolution=plan, number=1), code="1",
                                lead_unit=plan.owner_unit, implements=world["parent"])
            _approved(child, 50, 1)

    add(1, 0)  # with the fixture's two: 3
    client.get(url)
    small = _queries(client, url)
    add(27, 1)
    page = client.get(url)
    assert sum(len(plan.tasks) for plan in page.context["cascade_plans"]) == 30
    assert _queries(client, url) == small


def test_the_coverage_list_names_the_units_for_the_secretariat_and_leadership(
        client, world, secretariat_user):
    url = reverse("tasks:coverage")
    client.force_login(secretariat_user)
    page = client.get(url)
    assert page.status_code == 200
    named = [(row["task"].code, row["unit"].name, row["plan"].number if row["plan"] else None)
             for row in page.context["rows"]]
    assert named == [("1.2", "Vụ B", "KH-M"), ("1.3", "Tỉnh P", None)]
    assert {entry["unit"].name for entry in page.context["summary"]} == {"Vụ B", "Tỉnh P"}
    assert "Vụ A" not in page.content.decode()  # its task is broken down
    only = client.get(url, {"unit": world["province"].pk})
    assert [row["unit"].name for row in only.context["rows"]] == ["Tỉnh P"]
    ministry = client.get(url, {"unit": world["ministry"].pk, "programme": world["programme"].pk})
    assert [row["unit"].name for row in ministry.context["rows"]] == ["Vụ B"]
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [User.Role.REPORTER, User.Role.LEADER])
def test_the_coverage_list_is_refused_to_a_unit(client, world, role):
    client.force_login(UserFactory(role=role, unit=world["second"]))
    assert client.get(reverse("tasks:coverage")).status_code == 403


def test_the_coverage_list_takes_as_many_queries_for_30_rows_as_for_3(client, world,
                                                                      secretariat_user):
    client.force_login(secretariat_user)
    url = reverse("tasks:coverage")

    def add(count):
        for _ in range(count):
            TaskFactory(group=world["group"], lead_unit=UnitFactory(kind="province"),
                        deadline=date(2026, 9, 30))

    add(1)  # with the fixture's two: 3
    client.get(url)
    small = _queries(client, url)
    add(27)
    assert len(client.get(url).context["rows"]) == 30
    assert _queries(client, url) == small


def test_the_dashboard_counts_what_is_not_broken_down(client, world):
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    page = client.get(reverse("dashboard"))
    html = page.content.decode()
    assert 'id="cascade-coverage"' in html
    assert f'href="{reverse("tasks:coverage")}"' in html
    panel = html[html.index('id="cascade-coverage"'):]
    assert ">2</a>" in panel[:600]
    with_plans = client.get(reverse("dashboard"), {"resolution": world["plan"].pk})
    assert 'id="cascade-coverage"' not in with_plans.content.decode()


def test_the_secretariats_home_has_a_line_for_the_coverage(world, secretariat_user):
    items = coverage_item(user=secretariat_user, on=timezone.localdate())
    assert [(item.key, item.count, item.url) for item in items] == [
        ("cascade", 2, reverse("tasks:coverage"))]
    reporter = UserFactory(role=User.Role.REPORTER, unit=world["second"])
    assert coverage_item(user=reporter, on=timezone.localdate()) == []


def test_the_task_list_filters_a_programme_with_its_plans(client, world, secretariat_user):
    client.force_login(secretariat_user)
    url = reverse("tasks:list")
    alone = client.get(url, {"resolution": world["programme"].pk})
    assert alone.context["page"].paginator.count == 3
    both = client.get(url, {"resolution": world["programme"].pk, "include_plans": "on"})
    assert both.context["page"].paginator.count == 5
    assert "include_plans" in both.content.decode()
