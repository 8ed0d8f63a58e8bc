"""What the tests in jobs/ share: their data, helpers and fixtures."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.jobs import flag_overdue
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import Notification, Unit, User

DUE = date(2025, 10, 30)


def run(job, on: date, capture=None) -> dict:
    """Run a job on a date; with `capture` (django_capture_on_commit_callbacks) emails go out."""
    if capture is None:
        return job(on=on.isoformat())
    with capture(execute=True):
        return job(on=on.isoformat())


def since(task) -> date | None:
    task.refresh_from_db()
    return task.overdue_since


def person(username, unit, role=User.Role.REPORTER, language="vi", **fields):
    return UserFactory(username=username, unit=unit, role=role, language=language,
                       email=f"{username}@example.gov.vn", **fields)


def notified(kind=None, **filters):
    rows = Notification.objects.filter(**filters)
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def mailed_to():
    return sorted(address for message in mail.outbox for address in message.to)


NOTIFY_TABLES = ('"units_notification"', '"units_emailpreference"')


def _overdue_tasks(n: int) -> None:
    """n overdue tasks, each led by its own body with a reporter and a leader; every third led by
    a collective designation of two bodies."""
    for i in range(n):
        if i % 3 == 2:
            lead = UnitFactory(code=f"C{n}-{i}", kind=Unit.Kind.COLLECTIVE)
            members = [UnitFactory(code=f"C{n}-{i}-{m}") for m in range(2)]
            lead.members.set(members)
        else:
            members = [lead := UnitFactory(code=f"L{n}-{i}")]
        for body in members:
            person(f"r{n}-{body.code}", body)
            person(f"l{n}-{body.code}", body, role=User.Role.LEADER, language="en")
        TaskFactory(deadline=DUE, lead_unit=lead)


def _job_queries(on: date) -> tuple[int, int, int]:
    """(queries outside notify's tables, queries on them, UPDATEs of tasks)."""
    with CaptureQueriesContext(connection) as captured:
        flag_overdue(on=on.isoformat())
    sql = [query["sql"] for query in captured.captured_queries]
    notify_side = [q for q in sql if any(table in q for table in NOTIFY_TABLES)]
    updates = [q for q in sql if q.startswith('UPDATE "tasks_task"')]
    return len(sql) - len(notify_side), len(notify_side), len(updates)


@pytest.fixture
def lead(db):
    return UnitFactory(code="BYT-KHTC", name="Vụ Kế hoạch - Tài chính",
                       name_en="Department of Planning and Finance")


@pytest.fixture
def overdue_task(lead):
    return TaskFactory(code="2.5", title="Xây dựng trạm y tế xã",
                       title_en="Commune health stations", deadline=DUE, lead_unit=lead)


@pytest.fixture
def helpers(db):
    helper = UnitFactory(code="BNV")
    provinces = UnitFactory(code="UBND-TINH", kind=Unit.Kind.COLLECTIVE)
    hanoi = UnitFactory(code="HN")
    provinces.members.set([hanoi])
    person("bnv", helper), person("hanoi", hanoi)
    return [helper, provinces]
