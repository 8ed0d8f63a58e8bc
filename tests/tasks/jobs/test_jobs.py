"""The overdue and reminder jobs, on given dates, in eager mode: what people would notice."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tasks.deadlines import DeadlineKind
from tasks.jobs import flag_overdue, send_deadline_reminders
from tasks.models import Authority, OccurrenceCompletion, Task
from tasks.rules import StatusClass, task_status_class
from tasks.services import task_change_deadline
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import Notification, Unit, User
from units.notifications import email_preferences_set

from .helpers import DUE, _job_queries, _overdue_tasks, mailed_to, notified, person, run, since

pytestmark = pytest.mark.django_db


def test_a_day_task_is_flagged_the_day_after_its_deadline(db):
    task = TaskFactory(deadline_kind=DeadlineKind.DAY, deadline=DUE)
    run(flag_overdue, DUE)
    assert since(task) is None
    counts = run(flag_overdue, DUE + timedelta(days=1))
    assert since(task) == date(2025, 10, 31)
    assert counts["flagged"] == 1


def test_a_completed_task_is_not_flagged_and_a_late_completion_unflags(db):
    on_time = TaskFactory(deadline=DUE, completed_on=date(2025, 10, 29))
    late = TaskFactory(deadline=DUE)
    run(flag_overdue, date(2025, 11, 3))
    assert since(on_time) is None
    assert since(late) == date(2025, 10, 31)

    Task.objects.filter(pk=late.pk).update(completed_on=date(2025, 11, 4))
    run(flag_overdue, date(2025, 11, 4))
    assert since(late) is None


def test_a_moved_deadline_unflags_on_the_next_run(db):
    task = TaskFactory(deadline=DUE)
    actor = UserFactory(username="thu-ky", role=User.Role.SECRETARIAT)
    run(flag_overdue, date(2025, 11, 2))
    assert since(task) == date(2025, 10, 31)

    task.refresh_from_db()
    task_change_deadline(task=task, actor=actor, deadline_text="30/11/2025",
                         decision_number="123/QĐ-TTg", decision_date=date(2025, 11, 2),
                         decision_authority=Authority.PRIME_MINISTER)
    run(flag_overdue, date(2025, 11, 3))
    assert since(task) is None
    # Missed again: overdue from the day after the new deadline.
    run(flag_overdue, date(2025, 12, 1))
    assert since(task) == date(2025, 12, 1)


@pytest.mark.parametrize("kind, deadline, text", [
    (DeadlineKind.MONTH, date(2025, 11, 30), "Tháng 11/2025"),
    (DeadlineKind.QUARTER, date(2025, 12, 31), "Quý IV/2025"),
    (DeadlineKind.YEAR, date(2026, 12, 31), "Năm 2026"),
])
def test_a_period_deadline_is_flagged_the_day_after_the_period_ends(db, kind, deadline, text):
    task = TaskFactory(deadline_kind=kind, deadline=deadline, deadline_text=text)
    run(flag_overdue, deadline)
    assert since(task) is None
    run(flag_overdue, deadline + timedelta(days=1))
    assert since(task) == deadline + timedelta(days=1)


def test_an_annual_task_missing_its_occurrence_is_flagged_until_it_is_completed(db):
    task = TaskFactory(deadline_kind=DeadlineKind.ANNUAL, deadline=date(2025, 12, 31),
                       deadline_text="Hằng năm")
    not_yet = TaskFactory(deadline_kind=DeadlineKind.ANNUAL, deadline=date(2026, 12, 31),
                          deadline_text="Hằng năm, từ năm 2026")
    run(flag_overdue, date(2025, 12, 31))
    assert since(task) is None

    run(flag_overdue, date(2026, 1, 1))
    assert since(task) == date(2026, 1, 1)
    assert since(not_yet) is None  # its first occurrence is not due yet

    OccurrenceCompletion.objects.create(task=task, due=date(2025, 12, 31),
                                        completed_on=date(2026, 1, 5))
    run(flag_overdue, date(2026, 1, 5))
    assert since(task) is None


def test_a_recurring_task_missing_occurrence_after_occurrence_stays_overdue_since_the_first(db):
    task = TaskFactory(deadline_kind=DeadlineKind.MONTHLY, deadline=date(2025, 10, 31),
                       deadline_text="Hằng tháng")
    run(flag_overdue, date(2025, 11, 1))
    run(flag_overdue, date(2025, 12, 1))
    assert since(task) == date(2025, 11, 1)


def test_an_ongoing_task_is_never_flagged(db):
    task = TaskFactory(deadline_kind=DeadlineKind.ONGOING, deadline=None,
                       deadline_text="Thường xuyên")
    Task.objects.filter(pk=task.pk).update(overdue_since=date(2025, 1, 1))  # say, a stale value
    for on in (date(2025, 10, 1), date(2026, 1, 1), date(2030, 6, 15)):
        run(flag_overdue, on)
        assert since(task) is None


def test_the_flag_agrees_with_the_status_class(db):
    tasks = [
        TaskFactory(deadline_kind=DeadlineKind.DAY, deadline=DUE),
        TaskFactory(deadline_kind=DeadlineKind.DAY, deadline=DUE, completed_on=date(2025, 11, 20)),
        TaskFactory(deadline_kind=DeadlineKind.MONTH, deadline=date(2025, 11, 30)),
        TaskFactory(deadline_kind=DeadlineKind.QUARTER, deadline=date(2025, 12, 31)),
        TaskFactory(deadline_kind=DeadlineKind.MONTHLY, deadline=date(2025, 10, 31)),
        TaskFactory(deadline_kind=DeadlineKind.QUARTERLY, deadline=date(2025, 12, 31)),
        TaskFactory(deadline_kind=DeadlineKind.ANNUAL, deadline=date(2025, 12, 31)),
        TaskFactory(deadline_kind=DeadlineKind.ONGOING, deadline=None),
    ]
    monthly = tasks[4]
    OccurrenceCompletion.objects.create(task=monthly, due=date(2025, 10, 31),
                                        completed_on=date(2025, 11, 10))
    OccurrenceCompletion.objects.create(task=monthly, due=date(2025, 11, 30),
                                        completed_on=date(2025, 12, 20))
    day = date(2025, 10, 25)
    while day < date(2026, 2, 10):
        run(flag_overdue, day)
        for task in Task.objects.prefetch_related("occurrence_completions"):
            overdue = task_status_class(task=task, on=day) == StatusClass.OVERDUE
            assert (task.overdue_since is not None) == overdue, (task.deadline_kind, day)
            if overdue:
                assert task.overdue_since <= day
        day += timedelta(days=3)


def test_the_job_runs_in_a_constant_number_of_queries(db):
    UserFactory(username="lanh-dao", role=User.Role.LEADERSHIP, unit=None)
    on = DUE + timedelta(days=8)  # overdue and escalated
    counts = {}
    for n in (3, 30):
        _overdue_tasks(n)
        first = _job_queries(on)
        again = _job_queries(on)
        counts[n] = first, again
        assert Task.objects.filter(overdue_since__isnull=False).count() == n
        # Out of the way for the next round (completed tasks are only unflagged, in one UPDATE).
        Task.objects.update(completed_on=date(2025, 1, 1))
        Notification.objects.all().delete()

    (first3, again3), (first30, again30) = counts[3], counts[30]
    assert first3[0] == first30[0]  # fetching tasks, units, members and users: prefetched
    assert first3[2] == first30[2] == 5  # the flagging: a fixed set of UPDATEs
    # notify's own work is per event (2 lookups and 1 insert), plus one lookup of who was told.
    assert first30[1] <= 1 + 3 * 2 * 30
    assert again3 == again30  # nothing new to tell: nothing grows


def test_the_lead_units_people_are_told_once_in_their_own_language(
        lead, overdue_task, other_reporter, django_capture_on_commit_callbacks):
    english = person("reporter-en", lead, language="en")
    vietnamese = person("leader-vi", lead, role=User.Role.LEADER, language="vi")
    person("secretary", lead, role=User.Role.SECRETARIAT)  # not a unit role: not told as a lead
    run(flag_overdue, DUE + timedelta(days=1), django_capture_on_commit_callbacks)

    assert notified(Notification.Kind.OVERDUE) == ["leader-vi", "reporter-en"]
    en = Notification.objects.get(recipient=english)
    assert "Overdue" in en.subject and "2.5" in en.subject
    assert "Commune health stations" in en.body
    assert "By 30/10/2025" in en.body and "Department of Planning and Finance" in en.body
    assert "Days overdue: 1" in en.body
    assert en.key == f"overdue:{overdue_task.pk}:2025-10-31"
    assert en.link == f"/tasks/{overdue_task.pk}/"
    vi = Notification.objects.get(recipient=vietnamese)
    with translation.override("vi"):
        assert vi.subject == translation.gettext("Overdue: task %(code)s") % {"code": "2.5"}
    assert "Xây dựng trạm y tế xã" in vi.body and "Vụ Kế hoạch - Tài chính" in vi.body
    assert mailed_to() == ["leader-vi@example.gov.vn", "reporter-en@example.gov.vn"]

    for on in (DUE + timedelta(days=1), DUE + timedelta(days=2)):
        counts = run(flag_overdue, on, django_capture_on_commit_callbacks)
        assert counts["notified"] == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_collective_leads_member_bodies_are_told(db):
    provinces = UnitFactory(code="UBND-TINH", kind=Unit.Kind.COLLECTIVE,
                            name="UBND các tỉnh, thành phố trực thuộc trung ương")
    hanoi, hue = UnitFactory(code="HN"), UnitFactory(code="HUE")
    provinces.members.set([hanoi, hue])
    person("hanoi", hanoi), person("hue", hue), person("outsider", UnitFactory(code="DN"))
    TaskFactory(deadline=DUE, lead_unit=provinces)
    run(flag_overdue, DUE + timedelta(days=1))
    assert notified(Notification.Kind.OVERDUE) == ["hanoi", "hue"]


def test_leadership_hears_at_7_days_and_again_at_30(lead, overdue_task):
    person("reporter", lead)
    UserFactory(username="lanh-dao", role=User.Role.LEADERSHIP, unit=None)
    UserFactory(username="thu-ky", role=User.Role.SECRETARIAT, unit=None)
    UserFactory(username="nghi-huu", role=User.Role.LEADERSHIP, unit=None, is_active=False)
    first = date(2025, 10, 31)
    escalated = {}
    for days in range(0, 35):
        run(flag_overdue, first + timedelta(days=days))
        escalated[days] = Notification.objects.filter(kind=Notification.Kind.ESCALATION).count()
    assert escalated[6] == 0
    assert escalated[7] == escalated[29] == 2
    assert escalated[30] == escalated[34] == 4
    assert notified(Notification.Kind.ESCALATION) == ["lanh-dao", "lanh-dao", "thu-ky", "thu-ky"]
    assert set(Notification.objects.filter(kind=Notification.Kind.ESCALATION)
               .values_list("key", flat=True)) == {
        f"escalation7:{overdue_task.pk}:2025-10-31", f"escalation30:{overdue_task.pk}:2025-10-31"}
    assert notified(Notification.Kind.OVERDUE) == ["reporter"]


def test_an_opted_out_user_is_told_in_the_app_only_and_an_inactive_one_not_at_all(
        lead, overdue_task, django_capture_on_commit_callbacks):
    quiet = person("quiet", lead)
    email_preferences_set(user=quiet, emailed_kinds=[
        kind for kind in Notification.Kind.values if kind != Notification.Kind.OVERDUE])
    person("left", lead, is_active=False)
    person("loud", lead, role=User.Role.LEADER)
    run(flag_overdue, DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    assert notified(Notification.Kind.OVERDUE) == ["loud", "quiet"]
    assert mailed_to() == ["loud@example.gov.vn"]


def test_lead_and_coordinating_people_are_reminded_30_7_and_1_days_before(
        lead, helpers, django_capture_on_commit_callbacks):
    person("reporter", lead), person("leader", lead, role=User.Role.LEADER, language="en")
    person("outsider", UnitFactory(code="DN"))
    task = TaskFactory(deadline=DUE, lead_unit=lead, coordinating_units=helpers)
    TaskFactory(deadline=DUE, completed_on=date(2025, 9, 1), lead_unit=lead)  # done: silent
    reminded = {}
    for days in (31, 30, 29, 8, 7, 2, 1, 0):
        before = Notification.objects.count()
        run(send_deadline_reminders, DUE - timedelta(days=days), django_capture_on_commit_callbacks)
        reminded[days] = Notification.objects.count() - before
    assert reminded == {31: 0, 30: 4, 29: 0, 8: 0, 7: 4, 2: 0, 1: 4, 0: 0}
    assert notified(key=f"reminder:{task.pk}:2025-10-30:7") == ["bnv", "hanoi", "leader",
                                                                  "reporter"]
    english = Notification.objects.get(recipient__username="leader", key__endswith=":1")
    assert english.subject == f"Deadline tomorrow: task {task.code}"
    assert "30/10/2025" in english.body
    assert len(mail.outbox) == 12

    run(send_deadline_reminders, DUE - timedelta(days=7), django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 12 and len(mail.outbox) == 12


def test_a_monthly_task_is_reminded_of_its_current_occurrence(lead):
    person("reporter", lead)
    task = TaskFactory(deadline_kind=DeadlineKind.MONTHLY, deadline=date(2025, 10, 31),
                       deadline_text="Hằng tháng", lead_unit=lead)
    counts = run(send_deadline_reminders, date(2025, 11, 23))
    assert counts == {"due_soon": 1, "notified": 1}
    reminder = Notification.objects.get()
    assert reminder.key == f"reminder:{task.pk}:2025-11-30:7"
    assert "30/11/2025" in reminder.body

    OccurrenceCompletion.objects.create(task=task, due=date(2025, 12, 31),
                                        completed_on=date(2025, 12, 20))
    assert run(send_deadline_reminders, date(2025, 12, 24))["due_soon"] == 0


def test_a_recurring_task_not_begun_is_reminded_of_its_first_occurrence(lead):
    person("reporter", lead)
    task = TaskFactory(deadline_kind=DeadlineKind.MONTHLY, deadline=date(2026, 4, 30),
                       deadline_text="Hằng tháng, từ tháng 4/2026", lead_unit=lead)
    run(send_deadline_reminders, date(2026, 3, 31))
    assert notified(key=f"reminder:{task.pk}:2026-04-30:30") == ["reporter"]


def test_reminders_run_in_a_constant_number_of_queries(db):
    for n in (3, 30):
        for i in range(n):
            lead, helper = UnitFactory(code=f"L{n}-{i}"), UnitFactory(code=f"H{n}-{i}")
            person(f"r{n}-{i}", lead), person(f"h{n}-{i}", helper)
            TaskFactory(deadline=DUE, lead_unit=lead, coordinating_units=[helper])
        run(send_deadline_reminders, DUE - timedelta(days=7))
        with CaptureQueriesContext(connection) as again:
            assert run(send_deadline_reminders, DUE - timedelta(days=7))["due_soon"] == n
        if n == 3:
            baseline = len(again)
        Task.objects.update(completed_on=date(2025, 1, 1))
        Notification.objects.all().delete()
    assert len(again) == baseline


def test_the_commands_run_on_a_date_and_print_their_counts(lead):
    person("reporter", lead)
    TaskFactory(deadline=DUE, lead_unit=lead)
    out = StringIO()
    call_command("flag_overdue", "--date", "2025-10-31", stdout=out)
    assert "flagged=1" in out.getvalue() and "notified=1" in out.getvalue()
    out = StringIO()
    call_command("send_deadline_reminders", "--date", "2025-10-23", stdout=out)
    assert out.getvalue().strip() == "due_soon=1 notified=1"
    with pytest.raises(CommandError):
        call_command("flag_overdue", "--date", "31/10/2025")


def test_an_edit_from_an_old_copy_does_not_undo_the_overdue_flag(db):
    from datetime import date

    from tasks.jobs import flag_overdue
    from tasks.models import Task
    from tests.factories import TaskFactory

    task = TaskFactory(deadline=date(2025, 10, 30))
    stale_copy = Task.objects.get(pk=task.pk)
    flag_overdue(on="2025-11-05")
    stale_copy.responsible_official = "Thứ trưởng Nguyễn Văn A"
    stale_copy.save()
    task.refresh_from_db()
    assert task.overdue_since == date(2025, 10, 31)
    assert task.responsible_official == "Thứ trưởng Nguyễn Văn A"
