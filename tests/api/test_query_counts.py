"""Every list endpoint takes the same number of queries for 3 rows as for 30."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import IssuedMonthlyReport, OutputProgress
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import ApiToken, User
from units.services import api_token_issue

from .conftest import bearer


def add_units(world, count):
    for _ in range(count):
        collective = UnitFactory(kind="collective", parent=world["department"])
        collective.members.set([world["ministry"], world["department"]])


def add_tasks(world, count):
    for _ in range(count):
        task = TaskFactory(group=world["group"], lead_unit=world["department"],
                           coordinating_units=[world["ministry"], world["other"]])
        from tasks.services import task_change_deadline

        task_change_deadline(task=task, actor=world["secretariat"], deadline_text="Quý II/2027",
                             decision_number="1/QĐ", decision_date=date(2026, 1, 2),
                             decision_authority="minister")


def add_reports(world, count):
    for _ in range(count):
        task = TaskFactory(group=world["group"], lead_unit=world["department"])
        report = ProgressReportFactory(task=task, period=world["period"],
                                       created_by=world["user"])
        OutputProgress.objects.create(report=report, output=task.outputs.get(),
                                      status="drafting")


def add_resolutions(world, count):
    for _ in range(count):
        TaskGroupFactory(resolution=ResolutionFactory())


def add_periods(world, count):
    start = world.setdefault("next_month", 0)
    for index in range(start, start + count):
        ReportingPeriodFactory(year=2000 + index // 12, month=index % 12 + 1)
    world["next_month"] = start + count


def add_monthly(world, count):
    add_periods(world, count)
    from reports.models import ReportingPeriod

    for period in ReportingPeriod.objects.filter(issued_reports__isnull=True)[:count]:
        IssuedMonthlyReport.objects.create(
            period=period, version=1, number=f"{period.pk}/BC", issued_on=date(2025, 1, 1),
            data={}, pdf="x.pdf", sha256="0" * 64, pdf_en="y.pdf", sha256_en="1" * 64,
            issued_by=world["secretariat"])


LISTS = {
    "/api/v1/units/": add_units,
    "/api/v1/tasks/": add_tasks,
    "/api/v1/stats/": add_tasks,
    "/api/v1/outputs/": add_tasks,
    "/api/v1/progress-reports/": add_reports,
    "/api/v1/resolutions/": add_resolutions,
    "/api/v1/task-groups/": add_resolutions,
    "/api/v1/periods/": add_periods,
    "/api/v1/monthly-reports/": add_monthly,
}


CASES = [(path, role) for path in LISTS for role in (User.Role.LEADER, User.Role.SECRETARIAT)
         # unit roles do not read the monthly reports
         if not (path == "/api/v1/monthly-reports/" and role == User.Role.LEADER)]


@pytest.mark.parametrize(("path", "role"), CASES)
def test_a_list_takes_the_same_queries_for_3_rows_and_30(client, db, path, role):
    ministry = UnitFactory(code="BYT", kind="ministry")
    department = UnitFactory(code="BYT-TCCB", parent=ministry)
    world = {
        "ministry": ministry, "department": department, "other": UnitFactory(code="BNV"),
        "group": TaskGroupFactory(), "period": ReportingPeriodFactory(year=2025, month=11),
        "secretariat": UserFactory(role=User.Role.SECRETARIAT, unit=ministry),
    }
    world["user"] = UserFactory(role=role, unit=department if role == User.Role.LEADER
                                else ministry)
    headers = bearer(api_token_issue(user=world["user"], scope=ApiToken.Scope.READ)[1])

    def count():
        with CaptureQueriesContext(connection) as context:
            response = client.get(path, **headers)
            assert response.status_code == 200
        return len(context.captured_queries), response.json()

    client.get(path, **headers)  # the token's first use records it (once a minute at most)
    LISTS[path](world, 3)
    small, body = count()
    LISTS[path](world, 27)
    large, body = count()
    assert large == small, path
    rows = body["total"] if path.endswith("stats/") else body["count"]
    assert rows >= 30
