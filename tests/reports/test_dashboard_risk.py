"""At risk: the forecast of one task's progress at every edge, by the database and by the rules
step by step (they must agree)."""

from datetime import date

import pytest

from reports.dashboard import at_risk_tasks
from reports.dashboard.risk import AT_RISK, NO_TREND, RISK_PERIODS
from reports.models import ProgressReport
from tasks.deadlines import DeadlineKind as K
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from tests.reports import reference_figures as reference
from units.models import Unit

pytestmark = pytest.mark.django_db

ON = date(2026, 6, 20)  # in July's period (15/06–14/07)
ISSUED = date(2025, 12, 31)


@pytest.fixture(params=["sql", "python"])
def forecast(request):
    engine = at_risk_tasks if request.param == "sql" else reference.at_risk_tasks

    def run(task):
        from tasks.models import Task

        tasks = Task.objects.filter(pk=task.pk)
        _count, at_risk = engine(tasks, on=ON, which=AT_RISK)
        _count, no_trend = engine(tasks, on=ON, which=NO_TREND)
        if at_risk:
            return "at risk", at_risk[0][1]
        if no_trend:
            return "no trend", None
        return "not at risk", None

    return run


@pytest.fixture
def periods(db):
    return {month: ReportingPeriodFactory(year=2026, month=month) for month in range(1, 8)}


@pytest.fixture
def lead(db):
    return UnitFactory(code="LEAD")


def _task(lead, *, kind=K.DAY, deadline=date(2026, 9, 30), **extra):
    group = TaskGroupFactory(resolution=ResolutionFactory(number="P/KH", issued_on=ISSUED))
    return TaskFactory(group=group, lead_unit=lead, deadline_kind=kind, deadline=deadline,
                       **extra)


def _reports(task, unit, periods, percents: dict[int, int], state="approved"):
    author = UserFactory(unit=unit)
    for month, percent in percents.items():
        period = periods[month]
        fields = {}
        if state != ProgressReport.State.DRAFT:
            fields = {"submitted_at": "2026-01-01T00:00:00+07:00", "submitted_by": author}
        if state == ProgressReport.State.APPROVED:
            fields.update(decided_at="2026-01-01T00:00:00+07:00", decided_by=author)
        ProgressReportFactory(task=task, unit=unit, period=period, percent_complete=percent,
                              state=state, created_by=author, **fields)


def test_no_report_cannot_be_forecast(forecast, periods, lead):
    assert forecast(_task(lead)) == ("no trend", None)


@pytest.mark.parametrize("state", [ProgressReport.State.DRAFT, ProgressReport.State.SUBMITTED,
                                   ProgressReport.State.RETURNED])
def test_only_approved_reports_count(forecast, periods, lead, state):
    task = _task(lead)
    author = UserFactory(unit=lead)
    for month in (5, 6):
        ProgressReportFactory(
            task=task, unit=lead, period=periods[month], percent_complete=10 * month,
            state=state, created_by=author, return_comment="Bổ sung." if state == "returned"
            else "", **({} if state == "draft" else {
                "submitted_at": "2026-01-01T00:00:00+07:00", "submitted_by": author}),
            **({"decided_at": "2026-01-01T00:00:00+07:00", "decided_by": author}
               if state == "returned" else {}))
    assert forecast(task) == ("no trend", None)


def test_one_report_is_read_from_zero_at_the_start(forecast, periods, lead):
    # 50% on 14/06 (165 days after 31/12/2025): 100% would come 165 days later, 26/11/2026.
    on_pace = _task(lead, deadline=date(2026, 11, 30))
    _reports(on_pace, lead, periods, {6: 50})
    assert forecast(on_pace)[0] == "not at risk"
    too_slow = _task(lead, deadline=date(2026, 11, 20), code="2.1")
    _reports(too_slow, lead, periods, {6: 50})
    verdict, projected = forecast(too_slow)
    assert verdict == "at risk"
    assert projected == pytest.approx(50 * (date(2026, 11, 20) - ISSUED).days / 165, abs=1e-5)


def test_flat_progress_is_at_risk(forecast, periods, lead):
    task = _task(lead)
    _reports(task, lead, periods, {4: 60, 5: 60, 6: 60})
    assert forecast(task) == ("at risk", 60)


def test_falling_progress_is_at_risk(forecast, periods, lead):
    task = _task(lead)
    _reports(task, lead, periods, {5: 80, 6: 70})
    assert forecast(task)[0] == "at risk"


def test_steady_progress_that_reaches_100_in_time_is_not_at_risk(forecast, periods, lead):
    task = _task(lead, deadline=date(2026, 9, 30))
    _reports(task, lead, periods, {3: 40, 4: 55, 5: 70, 6: 85})  # +15 a month: 100 by mid-July
    assert forecast(task)[0] == "not at risk"


def test_a_lead_at_100_percent_is_not_at_risk(forecast, periods, lead):
    task = _task(lead, deadline=date(2026, 6, 30))
    _reports(task, lead, periods, {5: 20, 6: 100})
    assert forecast(task)[0] == "not at risk"


def test_the_deadline_passed_is_overdue_not_at_risk(forecast, periods, lead):
    task = _task(lead, deadline=date(2026, 6, 1))
    _reports(task, lead, periods, {5: 10, 6: 10})
    assert forecast(task) == ("not at risk", None)


@pytest.mark.parametrize(("kind", "deadline", "completed"), [
    (K.DAY, date(2026, 9, 30), date(2026, 6, 1)),
    (K.ANNUAL, date(2026, 12, 31), None),
    (K.ONGOING, None, None),
    (K.UNSPECIFIED, None, None),
])
def test_only_tasks_in_progress_with_a_one_off_deadline_are_forecast(
        forecast, periods, lead, kind, deadline, completed):
    task = _task(lead, kind=kind, deadline=deadline, completed_on=completed)
    _reports(task, lead, periods, {5: 10, 6: 10})
    assert forecast(task) == ("not at risk", None)


def test_only_the_last_periods_count(forecast, periods, lead):
    assert RISK_PERIODS == 6
    task = _task(lead, deadline=date(2026, 12, 31))
    # January's 0% is seven periods back (July is the current one): only 90% in June counts,
    # read from 0% at the start: 90% after 165 days, 100% well before 31/12.
    _reports(task, lead, periods, {1: 0, 6: 90})
    assert forecast(task)[0] == "not at risk"


def test_a_coordinating_units_reports_do_not_count(forecast, periods, lead):
    helper = UnitFactory(code="HELP")
    task = _task(lead, coordinating_units=[helper])
    _reports(task, helper, periods, {4: 10, 5: 10, 6: 10})
    assert forecast(task) == ("no trend", None)


def test_a_collective_lead_counts_each_members_reports(forecast, periods):
    first, second = UnitFactory(code="P1"), UnitFactory(code="P2")
    designation = UnitFactory(code="ALL", kind=Unit.Kind.COLLECTIVE)
    designation.members.set([first, second])
    task = _task(designation, deadline=date(2026, 8, 31))
    _reports(task, first, periods, {5: 90, 6: 100})
    _reports(task, second, periods, {5: 30, 6: 40})
    verdict, projected = forecast(task)
    # The slower member holds the task back: it is not done until both are.
    assert verdict == "at risk"
    _reports(task, second, periods, {7: 100})
    assert forecast(task)[0] == "not at risk"
