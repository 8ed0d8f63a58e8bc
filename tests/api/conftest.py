"""A small world for the API tests: two units' tasks and reports, a user of every role, and
API tokens."""

from datetime import date

import pytest

from reports.models import ProgressReport
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UserFactory,
)
from units.models import ApiToken, User
from units.services import api_token_issue


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def group(db):
    return TaskGroupFactory(number=2)


@pytest.fixture
def leadership(db):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=User.Role.ADMIN, unit=None)


@pytest.fixture
def own_task(group, department):
    return TaskFactory(code="2.1", group=group, lead_unit=department,
                       deadline=date(2026, 12, 31))


@pytest.fixture
def other_task(group, other_unit):
    return TaskFactory(code="2.2", group=group, lead_unit=other_unit,
                       deadline=date(2026, 12, 31))


@pytest.fixture
def own_report(own_task, period, reporter):
    return ProgressReportFactory(task=own_task, period=period, created_by=reporter)


@pytest.fixture
def other_report(other_task, period, other_reporter):
    return ProgressReportFactory(task=other_task, period=period, created_by=other_reporter)


def token_for(user, scope) -> str:
    return api_token_issue(user=user, scope=scope)[1]


@pytest.fixture
def read_token(reporter):
    return token_for(reporter, ApiToken.Scope.READ)


@pytest.fixture
def write_token(reporter):
    return token_for(reporter, ApiToken.Scope.WRITE)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def submitted(report, user):
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_by = user
    from django.utils import timezone

    report.submitted_at = timezone.now()
    report.save()
    return report
