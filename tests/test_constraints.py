"""PostgreSQL itself refuses rows the domain forbids, whatever code path writes them.

Every write here bypasses the services (`.update()`, `objects.create`), and each test checks that
the refusal names the constraint it is about, so a test cannot pass for the wrong reason.
"""

from contextlib import contextmanager
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.models import ProgressReport, ReportingPeriod
from tasks.models import Output, Task
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from units.models import User

pytestmark = pytest.mark.django_db


@contextmanager
def refused(constraint):
    """Expect the database to refuse the write inside, naming `constraint`."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield


def _reports(report):
    return ProgressReport.objects.filter(pk=report.pk)


def _tasks(task):
    return Task.objects.filter(pk=task.pk)


# --- progress reports -------------------------------------------------------------------------


@pytest.mark.parametrize("percent", [101, -1])
def test_percent_complete_outside_0_to_100_is_refused(percent):
    report = ProgressReportFactory()
    with refused("report_percent_0_100"):
        _reports(report).update(percent_complete=percent)


def test_percent_complete_at_the_bounds_is_accepted():
    report = ProgressReportFactory()
    _reports(report).update(percent_complete=0)
    _reports(report).update(percent_complete=100)
    assert _reports(report).get().percent_complete == 100


def test_two_reports_for_the_same_task_unit_and_period_are_refused():
    report = ProgressReportFactory()
    with refused("report_unique_task_unit_period"):
        ProgressReportFactory(task=report.task, unit=report.unit, period=report.period,
                              created_by=report.created_by)


def test_a_completed_report_without_a_completion_date_is_refused():
    report = ProgressReportFactory()
    with refused("report_completed_has_date_and_100"):
        _reports(report).update(progress_status="completed", percent_complete=100)


def test_an_approved_report_without_who_approved_it_is_refused():
    report = ProgressReportFactory()
    now = timezone.now()
    with refused("report_decided_has_who_and_when"):
        _reports(report).update(state="approved", submitted_by=report.created_by,
                                submitted_at=now, decided_at=now)


def test_a_returned_report_without_a_comment_is_refused():
    report = ProgressReportFactory()
    now = timezone.now()
    leader = UserFactory(role=User.Role.LEADER, unit=report.unit)
    with refused("report_returned_has_comment"):
        _reports(report).update(state="returned", submitted_by=report.created_by,
                                submitted_at=now, decided_by=leader, decided_at=now,
                                return_comment="")


def test_a_period_whose_cut_off_precedes_its_start_is_refused():
    with refused("period_starts_before_cutoff"):
        ReportingPeriod.objects.create(year=2026, month=1, starts_on=date(2026, 1, 14),
                                       ends_on=date(2025, 12, 15),
                                       submission_deadline=date(2026, 1, 17))


# --- tasks and outputs ------------------------------------------------------------------------


def test_a_task_without_a_lead_unit_is_refused():
    task = TaskFactory()
    with refused("lead_unit_id"):
        _tasks(task).update(lead_unit=None)


def test_a_quarter_deadline_not_at_a_quarter_end_is_refused():
    task = TaskFactory()
    with refused("task_current_deadline_quarter_end"):
        _tasks(task).update(deadline_kind="quarter", deadline=date(2025, 11, 30))


def test_a_quarter_deadline_at_a_quarter_end_is_accepted():
    task = TaskFactory()
    _tasks(task).update(deadline_kind="quarter", deadline=date(2025, 9, 30))
    assert _tasks(task).get().deadline == date(2025, 9, 30)


def test_an_ongoing_task_with_a_date_is_refused():
    task = TaskFactory(deadline=date(2025, 12, 31))
    with refused("task_current_deadline_dated_by_kind"):
        _tasks(task).update(deadline_kind="ongoing")


def test_a_day_deadline_without_a_date_is_refused():
    task = TaskFactory()
    with refused("task_current_deadline_dated_by_kind"):
        _tasks(task).update(deadline=None)


def test_a_duplicate_task_code_in_one_resolution_is_refused():
    task = TaskFactory(code="2.5")
    with refused("task_code_unique_in_resolution"):
        TaskFactory(group=task.group, code="2.5")


def test_the_same_task_code_in_another_resolution_is_accepted():
    TaskFactory(code="2.5")
    TaskFactory(code="2.5")
    assert Task.objects.filter(code="2.5").count() == 2


def test_an_output_with_a_document_number_but_no_date_is_refused():
    task = TaskFactory(with_output=False)
    with refused("output_issued_document_has_date"):
        Output.objects.create(task=task, kind=Output.Kind.CIRCULAR, title="Thông tư",
                              document_number="15/2025/TT-BYT")


# --- users ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [User.Role.REPORTER, User.Role.LEADER])
def test_a_reporter_or_leader_without_a_unit_is_refused(role):
    user = UserFactory(role=role, unit=UnitFactory())
    with refused("user_unit_required_for_unit_roles"):
        User.objects.filter(pk=user.pk).update(unit=None)


def test_leadership_without_a_unit_is_accepted():
    user = UserFactory(role=User.Role.LEADERSHIP, unit=None)
    assert User.objects.get(pk=user.pk).unit is None


# --- the constraints are the ones the migrations create ----------------------------------------


def test_the_migrations_create_exactly_the_constraints_the_models_declare():
    # A model change without its migration would leave the database without the constraint.
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit:
        pytest.fail(f"models and migrations disagree:\n{out.getvalue()}")


def test_the_period_factory_default_is_a_valid_period():
    period = ReportingPeriodFactory()
    assert period.starts_on < period.ends_on < period.submission_deadline
