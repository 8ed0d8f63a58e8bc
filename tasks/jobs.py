"""Background jobs of the tasks app: flagging overdue tasks (tasks.overdue), and reminding of
deadlines.

Both jobs take the day to judge as an ISO date (default: today in Asia/Ho_Chi_Minh), are safe to
run twice or late (every notification is keyed by its event, so each person hears of it once), and
run in a number of queries that does not grow with the number of tasks, except for one `notify`
call per event that has someone left to tell.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from celery import shared_task
from django.db import transaction
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.filejobs import file_job_run
from core.joblog import logged_job
from core.models import FileJob
from core.text import dmy
from units.models import Notification, Unit, User
from units.notifications import notify
from units.selectors import unit_users, units_expected_to_report

from .deadlines import (
    ONE_OFF_KINDS,
    RECURRING_KINDS,
    occurrences_on,
    period_end,
)
from .exchange.runs import export_run, import_check, import_confirm
from .models import Task
from .overdue import not_completed, occurrence_done, task_overdue_flags_refresh

#: Days overdue ((on - overdue_since).days) from which leadership is told, highest last.
ESCALATION_DAYS = (7, 30)
#: Days before a due date on which the units concerned are reminded of it.
REMINDER_DAYS = (30, 7, 1)
UNIT_ROLES = (User.Role.REPORTER, User.Role.LEADER)
OVERSIGHT_ROLES = (User.Role.LEADERSHIP, User.Role.SECRETARIAT)

OVERDUE_SUBJECT = _("Overdue: task %(code)s")
ESCALATION_SUBJECT = _("Escalation: task %(code)s is still overdue")
OVERDUE_BODY = _('Task %(code)s "%(title)s", led by %(unit)s, is not completed and its deadline '
                 'has passed.\nDeadline: %(deadline)s\nOverdue since: %(since)s\n'
                 'Days overdue: %(days)s')
REMINDER_SUBJECT = _("Deadline in %(days)s days: task %(code)s")
REMINDER_SUBJECT_TOMORROW = _("Deadline tomorrow: task %(code)s")
REMINDER_BODY = _('Task %(code)s "%(title)s", led by %(unit)s, is due on %(due)s.\n'
                  'Deadline: %(deadline)s')

# Rendered by notify under each recipient's language, so built lazily from the objects.
_title = lazy(lambda task: task.display_title, str)
_deadline = lazy(lambda task: task.deadline_display, str)
_unit_name = lazy(lambda unit: unit.display_name, str)


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


# --- Telling people ---------------------------------------------------------------------------


@dataclass
class _Event:
    key: str
    kind: str
    recipients: list[User]
    subject: object
    body: object
    params: dict = field(default_factory=dict)
    link: str = ""


def _notify_all(events: list[_Event]) -> int:
    """Notify each event's recipients who have not heard of it yet.

    One query finds who already has each event, so a re-run calls `notify` for nothing.
    """
    if not events:
        return 0
    told = set(Notification.objects.filter(key__in={event.key for event in events})
               .values_list("recipient_id", "key"))
    sent = 0
    for event in events:
        recipients = [user for user in event.recipients if (user.pk, event.key) not in told]
        if recipients:
            sent += notify(recipients=recipients, kind=event.kind, key=event.key,
                           subject=event.subject, body=event.body, params=event.params,
                           link=event.link)
    return sent


def _unit_users(bodies: Iterable[Unit]) -> dict[int, list[User]]:
    """The reporters and leaders answering for each body, by unit id: one query."""
    return unit_users(units={body.pk: body for body in bodies}.values(), roles=UNIT_ROLES)


def _people(bodies: list[Unit], users: dict[int, list[User]]) -> list[User]:
    return [user for body in bodies for user in users.get(body.pk, [])]


def _task_params(task: Task) -> dict:
    return {"code": task.code, "title": _title(task), "deadline": _deadline(task),
            "unit": _unit_name(task.lead_unit), "link": f"/tasks/{task.pk}/"}


def _overdue_events(day: date) -> list[_Event]:
    tasks = list(Task.objects.filter(overdue_since__isnull=False, overdue_since__lte=day)
                 .select_related("lead_unit").prefetch_related("lead_unit__members")
                 .order_by("pk"))
    leads = {task.pk: units_expected_to_report(units=[task.lead_unit]) for task in tasks}
    users = _unit_users(body for bodies in leads.values() for body in bodies)
    escalating = [task for task in tasks
                  if (day - task.overdue_since).days >= ESCALATION_DAYS[0]]
    oversight = list(User.objects.filter(role__in=OVERSIGHT_ROLES, is_active=True)
                     .order_by("pk")) if escalating else []

    events = []
    for task in tasks:
        since = task.overdue_since
        params = _task_params(task)
        link = params.pop("link")
        # Days past the deadline, as the task page counts them (1 on the first overdue day).
        params.update(since=dmy(since), days=(day - since).days + 1)
        events.append(_Event(
            key=f"overdue:{task.pk}:{since.isoformat()}", kind=Notification.Kind.OVERDUE,
            recipients=_people(leads[task.pk], users), subject=OVERDUE_SUBJECT, body=OVERDUE_BODY,
            params=params, link=link,
        ))
        reached = [n for n in ESCALATION_DAYS if (day - since).days >= n]
        if reached and oversight:
            # Only the highest threshold reached: a task found 40 days late (first run, or the
            # job was down) escalates once, not twice on the same morning.
            events.append(_Event(
                key=f"escalation{reached[-1]}:{task.pk}:{since.isoformat()}",
                kind=Notification.Kind.ESCALATION, recipients=oversight,
                subject=ESCALATION_SUBJECT, body=OVERDUE_BODY, params=params, link=link,
            ))
    return events


@shared_task(name="tasks.flag_overdue", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
@logged_job("tasks.flag_overdue")
def flag_overdue(on: str | None = None) -> dict:
    """Keep Task.overdue_since in step with the date `on` (ISO; default today), then tell the lead
    units' reporters and leaders of each overdue task, and leadership and the secretariat of tasks
    overdue 7 and 30 days. Idempotent: each person hears of each event once."""
    day = _day(on)
    with transaction.atomic():
        counts = task_overdue_flags_refresh(on=day)
        events = _overdue_events(day)
        counts["overdue"] = sum(event.kind == Notification.Kind.OVERDUE for event in events)
        counts["notified"] = _notify_all(events)
    return counts


# --- Reminders --------------------------------------------------------------------------------


def _reminder_candidates(day: date) -> Q:
    """Tasks whose deadline now due is REMINDER_DAYS ahead of `day` and not completed: one Q."""
    targets = [day + timedelta(days=n) for n in REMINDER_DAYS]
    due_soon = Q(deadline_kind__in=ONE_OFF_KINDS, deadline__in=targets) & not_completed(day)
    for kind in sorted(RECURRING_KINDS):
        current = period_end(kind, day)
        # Before its first period, a task's current occurrence is its first (due on `deadline`).
        due_soon |= (Q(deadline_kind=kind, deadline__gt=current, deadline__in=targets)
                     & ~occurrence_done(day, OuterRef("deadline")))
        if current in targets:
            due_soon |= (Q(deadline_kind=kind, deadline__lte=current)
                         & ~occurrence_done(day, current))
    return due_soon


def _due_now(task: Task, day: date) -> date:
    if task.deadline_kind in RECURRING_KINDS:
        return occurrences_on(task.deadline_kind, task.deadline, day).current_due
    return task.deadline


def _reminder_events(day: date) -> list[_Event]:
    tasks = list(Task.objects.filter(_reminder_candidates(day)).select_related("lead_unit")
                 .prefetch_related("lead_unit__members", "coordinating_units__members")
                 .order_by("pk"))
    bodies = {task.pk: units_expected_to_report(
        units=[task.lead_unit, *task.coordinating_units.all()]) for task in tasks}
    users = _unit_users(body for units in bodies.values() for body in units)
    events = []
    for task in tasks:
        due = _due_now(task, day)
        days = (due - day).days
        if days not in REMINDER_DAYS:  # cannot happen: the query selected on these dates
            continue
        params = _task_params(task)
        link = params.pop("link")
        params.update(due=dmy(due), days=days)
        events.append(_Event(
            key=f"reminder:{task.pk}:{due.isoformat()}:{days}",
            kind=Notification.Kind.DEADLINE_REMINDER, recipients=_people(bodies[task.pk], users),
            subject=REMINDER_SUBJECT_TOMORROW if days == 1 else REMINDER_SUBJECT,
            body=REMINDER_BODY, params=params, link=link,
        ))
    return events


@shared_task(name="tasks.send_deadline_reminders", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
@logged_job("tasks.send_deadline_reminders")
def send_deadline_reminders(on: str | None = None) -> dict:
    """Remind the reporters and leaders of the lead and coordinating bodies of every task not
    completed whose deadline now due (a recurring task's current occurrence) is 30, 7 or 1 days
    after `on` (ISO; default today). Idempotent: each person is reminded once per due date and
    distance."""
    day = _day(on)
    with transaction.atomic():
        events = _reminder_events(day)
        notified = _notify_all(events)
    return {"due_soon": len(events), "notified": notified}


# --- Imports and exports of task lists (FileJob) ---------------------------------------------


@shared_task(name="tasks.check_task_import", acks_late=True)
@logged_job("tasks.check_task_import")
def check_task_import(job_id: int) -> dict:
    """Read and check an uploaded task list; the preview is kept on the FileJob."""
    return file_job_run(job_id, waiting=FileJob.State.QUEUED, working=FileJob.State.CHECKING,
                         work=lambda job, progress: import_check(job=job, progress=progress)
                         .state)


@shared_task(name="tasks.apply_task_import", acks_late=True)
@logged_job("tasks.apply_task_import")
def apply_task_import(job_id: int) -> dict:
    """Write a confirmed import (all or nothing), if it still matches its preview."""
    return file_job_run(job_id, waiting=FileJob.State.APPLYING,
                         working=FileJob.State.APPLYING,
                         work=lambda job, progress: import_confirm(job=job, progress=progress))


@shared_task(name="tasks.export_task_file", acks_late=True)
@logged_job("tasks.export_task_file")
def export_task_file(job_id: int) -> dict:
    """Prepare a task list export file."""
    return file_job_run(job_id, waiting=FileJob.State.QUEUED, working=FileJob.State.RUNNING,
                         work=lambda job, progress: export_run(job=job, progress=progress).state)


# --- Events for subscribers -------------------------------------------------------------------


@shared_task(name="tasks.emit_status_changes", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
@logged_job("tasks.emit_status_changes")
def emit_status_changes(on: str | None = None) -> dict:
    """Emit `task.status_changed` for each task whose status class on `on` (ISO; default today)
    differs from the day before (the per-task facts of both days). Safe to run twice."""
    from .events import task_status_changes_emit

    with transaction.atomic():
        return {"changed": task_status_changes_emit(on=_day(on))}
