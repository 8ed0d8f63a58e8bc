"""What the tests in jobs/ share: their data, helpers and fixtures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from reports.models import ProgressReport, ReportLateness
from reports.services import progress_report_save_draft
from tasks.deadlines import DeadlineKind
from tasks.models import OccurrenceCompletion
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Notification, Unit, User

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


State = ProgressReport.State


Kind = Notification.Kind


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Hanoi time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


def run(job, on: date, capture=None) -> dict:
    """Run a job on a date; with `capture` (django_capture_on_commit_callbacks) emails go out."""
    if capture is None:
        return job(on=on.isoformat())
    with capture(execute=True):
        return job(on=on.isoformat())


def person(username, unit, role=User.Role.REPORTER, language="vi"):
    return UserFactory(username=username, unit=unit, role=role, language=language,
                       email=f"{username}@example.gov.vn")


def notified(kind=None, **filters) -> list[str]:
    rows = Notification.objects.filter(**filters)
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def mailed_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def report(task, unit, period, author, state=State.DRAFT, submitted_at=None, **fields):
    """A report in a given state; a submitted one carries who and when."""
    if submitted_at is not None:
        fields.update(submitted_by=author, submitted_at=submitted_at)
    return ProgressReportFactory(task=task, unit=unit, period=period, created_by=author,
                                 state=state, **fields)


@pytest.fixture
def november(db):
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def scene(november):
    """Two units and three tasks. BYT leads 1.1 (BNV coordinates) and 1.2; BNV leads 1.3 (BYT
    coordinates). BYT sent 1.1 on time and has 1.2 in draft; BNV sent 1.1 half an hour after the
    deadline day ended; nobody has written on 1.3."""
    byt = UnitFactory(code="BYT", name="Bộ Y tế", name_en="Ministry of Health",
                      kind=Unit.Kind.MINISTRY)
    bnv = UnitFactory(code="BNV", name="Bộ Nội vụ", kind=Unit.Kind.MINISTRY)
    people = {
        "byt_reporter": person("byt_reporter", byt),
        "byt_leader": person("byt_leader", byt, User.Role.LEADER, language="en"),
        "bnv_reporter": person("bnv_reporter", bnv),
        "bnv_leader": person("bnv_leader", bnv, User.Role.LEADER),
        "secretariat": person("secretariat", None, User.Role.SECRETARIAT),
    }
    group = TaskGroupFactory()
    t1 = TaskFactory(group=group, code="1.1", lead_unit=byt, coordinating_units=[bnv])
    t2 = TaskFactory(group=group, code="1.2", lead_unit=byt)
    t3 = TaskFactory(group=group, code="1.3", lead_unit=bnv, coordinating_units=[byt])
    report(t1, byt, november, people["byt_reporter"], State.SUBMITTED,
           submitted_at=at(date(2025, 11, 16)))
    report(t1, bnv, november, people["bnv_reporter"], State.SUBMITTED,
           submitted_at=at(date(2025, 11, 18), 0, 30))
    report(t2, byt, november, people["byt_reporter"])
    return {"byt": byt, "bnv": bnv, "tasks": (t1, t2, t3), **people}


def _tasks_with_designations(count: int, lead, provinces):
    for _ in range(count):
        task = TaskFactory(lead_unit=lead, coordinating_units=[provinces, UnitFactory()])
        OccurrenceCompletion.objects.create(task=TaskFactory(
            lead_unit=provinces, deadline_kind=DeadlineKind.MONTHLY,
            deadline=date(2025, 10, 31)), due=date(2025, 10, 31), completed_on=date(2025, 11, 3))
        ProgressReportFactory(task=task, unit=lead, period=ReportingPeriodFactory(),
                              created_by=UserFactory(unit=lead), state=State.SUBMITTED,
                              difficulties="Thiếu kinh phí", submitted_at=at(date(2025, 11, 17)),
                              submitted_by=UserFactory(unit=lead))


@pytest.fixture
def complete_unit(november):
    """A third unit whose one report is submitted: it is never reminded."""
    unit = UnitFactory(code="BTC", name="Bộ Tài chính", kind=Unit.Kind.MINISTRY)
    reporter = person("btc_reporter", unit)
    report(TaskFactory(code="1.4", lead_unit=unit), unit, november, reporter, State.APPROVED,
           submitted_at=at(date(2025, 11, 10)), decided_by=reporter,
           decided_at=at(date(2025, 11, 11)))
    return unit


def late_rows(period):
    return {(row.task.code, row.unit.code): row.submitted_at
            for row in ReportLateness.objects.filter(period=period).select_related("task", "unit")}


@pytest.fixture
def programme(november):
    """Five tasks in two groups, whose classes move between 14/10 and 14/11/2025."""
    byt = UnitFactory(code="BYT", name="Bộ Y tế", kind=Unit.Kind.MINISTRY)
    bnv = UnitFactory(code="BNV", name="Bộ Nội vụ", kind=Unit.Kind.MINISTRY)
    writer = person("byt_reporter", byt)
    helper = person("bnv_reporter", bnv)
    one = TaskGroupFactory(number=1)
    two = TaskGroupFactory(resolution=one.resolution, number=2)
    tasks = {
        # in progress on 14/10, overdue on 14/11 (15 days)
        "overdue": TaskFactory(group=one, code="1.1", lead_unit=byt, coordinating_units=[bnv],
                               deadline=date(2025, 10, 30)),
        # in progress, then completed on time
        "on_time": TaskFactory(group=one, code="1.2", lead_unit=byt,
                               deadline=date(2025, 12, 31), completed_on=date(2025, 11, 1)),
        # overdue on 14/10, then completed late
        "late": TaskFactory(group=two, code="2.1", lead_unit=bnv, deadline=date(2025, 9, 30),
                            completed_on=date(2025, 11, 5)),
        # in progress both times; due in the next period
        "coming": TaskFactory(group=two, code="2.2", lead_unit=bnv,
                              deadline=date(2025, 11, 30)),
        # monthly from 31/10/2025: the October round not done, overdue on 14/11 by 14 days;
        # the November round falls due in the next period
        "monthly": TaskFactory(group=two, code="2.3", lead_unit=byt,
                               deadline_kind=DeadlineKind.MONTHLY, deadline=date(2025, 10, 31)),
    }
    report(tasks["overdue"], byt, november, writer, State.SUBMITTED,
           submitted_at=at(date(2025, 11, 15)), difficulties="Chờ ý kiến Bộ Tư pháp",
           proposals="Đề nghị gia hạn đến 31/12/2025")
    report(tasks["overdue"], bnv, november, helper, State.APPROVED,
           submitted_at=at(date(2025, 11, 16)), decided_by=helper,
           decided_at=at(date(2025, 11, 16)), difficulties="Thiếu biên chế")
    report(tasks["coming"], bnv, november, helper, difficulties="Một bản nháp không được tính")
    return tasks


@pytest.fixture
def workflow(department, unit, other_unit, november):
    """A department's task, its reporter and leader, the ministry's leader above them, and
    another ministry's leader."""
    people = {
        "reporter": person("reporter", department),
        "leader": person("leader", department, User.Role.LEADER, language="en"),
        "minister": person("minister", unit, User.Role.LEADER),
        "stranger": person("stranger", other_unit, User.Role.LEADER),
    }
    task = TaskFactory(code="2.5", lead_unit=department)
    draft = progress_report_save_draft(actor=people["reporter"], task=task, unit=department,
                                       period=november, percent_complete=40,
                                       progress_status="on_track", results="Đã dự thảo.")
    return {"report": draft, "task": task, **people}
