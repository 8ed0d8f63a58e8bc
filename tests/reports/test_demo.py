"""seed_demo: the demo a newcomer meets with `make run`."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from reports.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_load
from reports.models import ProgressReport
from tasks.cascade import coverage_gaps, deadline_after_parent
from tasks.models import Resolution, Task
from units.models import Unit, UnitAlias, User


def test_the_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_reference_data_loads_once(db):
    call_command("seed_reference")
    counts = Unit.objects.count(), Resolution.objects.count()
    call_command("seed_reference")
    assert (Unit.objects.count(), Resolution.objects.count()) == counts
    programme = Resolution.objects.get(number="282/NQ-CP")
    assert programme.implements.number == "72-NQ/TW"
    assert programme.groups.count() == 6
    assert set(Unit.objects.get(code="TT-UBNDTINH").members.values_list("kind", flat=True)) == {
        "province"}


def test_the_demo_loads_once_with_an_account_per_role_and_months_of_reports(db):
    first = demo_load(today=date(2026, 1, 20))
    assert first.tasks == 18 and first.reports > 0
    counts = Task.objects.count(), ProgressReport.objects.count(), User.objects.count()

    second = demo_load(today=date(2026, 1, 20))

    assert (second.tasks, second.reports, second.users) == (0, 0, 0)
    assert (Task.objects.count(), ProgressReport.objects.count(), User.objects.count()) == counts
    for username, (_name, role, unit_code) in DEMO_ACCOUNTS.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None and user.role == role, username
        assert (user.unit.code if user.unit else None) == unit_code
    # past periods are approved; the current one holds every state a user meets
    states = set(ProgressReport.objects.filter(period__month=2).values_list("state", flat=True))
    assert {"draft", "submitted", "approved", "returned"} <= states
    assert not ProgressReport.objects.filter(period__month=1).exclude(state="approved").exists()
    # the history's notifications are old news: only this period's workflow is unread
    from units.models import Notification
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.exists()
    assert all("/2026-02/" in n.link for n in unread)
    # approved "completed" reports of lead units completed their tasks
    assert Task.objects.get(code="2.1").completed_on == date(2025, 10, 28)
    # the Ministry of Health's plan breaks down some of the programme's tasks, illustratively;
    # some end after the task they implement, and some units have yet to break theirs down
    plan = Resolution.objects.get(kind="plan", implements__number="282/NQ-CP")
    assert (plan.owner_unit.code, first.plan_tasks, second.plan_tasks) == ("BYT", 7, 0)
    assert all(task.is_illustrative and task.implements.resolution.number == "282/NQ-CP"
               for task in plan.tasks.select_related("implements__resolution"))
    assert {task.code for task in plan.tasks.all()
            if deadline_after_parent(task, task.implements)} == {"1.3.2", "2.3.2", "5.1.2"}
    assert ProgressReport.objects.filter(task__resolution=plan, state="approved").exists()
    gaps = coverage_gaps(tasks=Task.objects.all(), on=date(2026, 1, 20))
    named = set(Unit.objects.filter(pk__in={gap.unit_id for gap in gaps})
                .values_list("code", flat=True))
    assert {"BYT-CNTT", "BYT-BHYT"} <= named and "BYT-PC" not in named
    # the reference data under the demo is what seed_reference loads: it changes nothing
    history = Unit.history.count(), UnitAlias.history.count()
    out = StringIO()
    call_command("seed_reference", stdout=out)
    assert "Units: 0 created, 0 updated, 0 skipped" in out.getvalue()
    assert (Unit.history.count(), UnitAlias.history.count()) == history


def test_the_demo_leaves_every_role_something_to_do_and_catches_up_without_touching_users_work(
        db):
    from reports.models import IssuedMonthlyReport, MonthlyReportData
    from reports.services import progress_report_submit
    from reports.waiting import monthly_report_now, reports_awaiting_decision
    from units.models import Notification

    demo_load(today=date(2026, 1, 20))  # in February's period; January's reports are in
    reporter, leader = User.objects.get(username="reporter"), User.objects.get(username="leader")
    assert _states_of(reporter, 2026, 2)[:5] == ["draft", "not_started", "returned",
                                                 "submitted", "submitted"]
    assert Task.objects.get(code="2.3").coordinating_units.filter(pk=reporter.unit_id).exists()
    assert ProgressReport.objects.get(period__month=2, state="returned",
                                      unit=reporter.unit).return_comment
    assert reports_awaiting_decision(user=leader).count() == 2
    now = monthly_report_now(on=date(2026, 1, 20))
    assert (now.period.year, now.period.month, now.step) == (2026, 1, "issue")
    assert IssuedMonthlyReport.objects.get().period.month == 12
    statuses = set(Task.objects.values_list("completed_on", flat=True))
    assert len(statuses) > 1  # some tasks completed, others not

    # A person works on the demo; the notification they have not read yet stays unread.
    draft = ProgressReport.objects.get(period__month=2, state="draft", unit=reporter.unit)
    progress_report_submit(report=draft, actor=reporter)
    draft.refresh_from_db()
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))

    later = demo_load(today=date(2026, 3, 20))  # two months on: April's period

    assert later.reports > 0 and later.tasks == 0
    still = ProgressReport.objects.get(pk=draft.pk)
    assert (still.state, still.version) == ("submitted", draft.version)
    assert unread <= set(Notification.objects.filter(read_at__isnull=True)
                         .values_list("pk", flat=True))
    assert _states_of(reporter, 2026, 4)[:5] == ["draft", "not_started", "returned",
                                                 "submitted", "submitted"]
    assert ProgressReport.objects.filter(period__month=3, period__year=2026).exists()
    assert not ProgressReport.objects.filter(period__month=3, period__year=2026).exclude(
        state="approved").exists()
    # March's monthly report is due on 20/03 only after its deadline of 17/03: a draft; the
    # one before it (February) issued
    assert MonthlyReportData.objects.filter(period__month=3, period__year=2026).exists()
    assert IssuedMonthlyReport.objects.filter(period__month=2, period__year=2026).exists()
    assert demo_load(today=date(2026, 3, 20)).reports == 0


def _states_of(user, year, month) -> list[str]:
    """The states of the period's reports the user's unit owes (the first five of the demo
    plan; "not_started" for one not written), sorted."""
    from reports.models import ReportingPeriod
    from reports.waiting import reports_of_period

    mine = reports_of_period(user=user, period=ReportingPeriod.objects.get(year=year,
                                                                           month=month))
    states = [entry.state for entry in mine.to_write + mine.done]
    planned = sorted(state for state in states if state != "approved")
    return planned + ["approved"] * (len(states) - len(planned))
