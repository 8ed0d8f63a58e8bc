"""Items of the register from a report of the department on its task, approved by its leader;
the other ministry (Bộ Nội vụ) is the unit items get addressed to."""

from datetime import date

import pytest
from django.utils import timezone
from django.utils.translation import override

from reports.services import progress_report_approve
from tests.factories import ProgressReportFactory, ReportingPeriodFactory, TaskFactory, UserFactory
from units.models import User


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def task(department):
    return TaskFactory(code="2.5", lead_unit=department, deadline=date(2026, 12, 31))


@pytest.fixture
def other_leader(other_unit):
    return UserFactory(username="leader2", role=User.Role.LEADER, unit=other_unit,
                       language="vi")


@pytest.fixture
def leadership(db):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


def approve(task, period, reporter, leader, *, difficulties="", proposals=""):
    report = ProgressReportFactory(task=task, unit=task.lead_unit, period=period,
                                   created_by=reporter, difficulties=difficulties,
                                   proposals=proposals, state="submitted",
                                   submitted_by=reporter, submitted_at=timezone.now())
    return progress_report_approve(report=report, actor=leader)


@pytest.fixture
def approved(task, period, reporter, leader, secretariat):
    return approve(task, period, reporter, leader,
                   difficulties="Thiếu kinh phí triển khai.",
                   proposals="- Đề nghị Bộ Nội vụ hướng dẫn biên chế.\n"
                             "- Đề nghị Chính phủ bổ sung kinh phí.")
