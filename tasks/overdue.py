"""Task.overdue_since, kept in step with the date: the one service that writes it (run by the
tasks.flag_overdue job), each change in the task's history."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from .deadlines import ONE_OFF_KINDS, RECURRING_KINDS, period_end, previous_period_end
from .models import OccurrenceCompletion, Task

ONE_DAY = timedelta(days=1)


def occurrence_done(day: date, due) -> Exists:
    """The task's occurrence due on `due` was completed by `day` (as task_status_class reads it)."""
    return Exists(OccurrenceCompletion.objects.filter(task=OuterRef("pk"), due=due,
                                                      completed_on__lte=day))


def not_completed(day: date) -> Q:
    # A completion recorded after `day` does not count on `day` (as in task_status_class).
    return Q(completed_on__isnull=True) | Q(completed_on__gt=day)


def _one_off_overdue(day: date) -> Q:
    return Q(deadline_kind__in=ONE_OFF_KINDS, deadline__lt=day) & not_completed(day)


def _recurring_overdue(kind: str, day: date) -> tuple[Q, date]:
    """Tasks of a recurring kind overdue on `day`, and the due date of the occurrence they missed.

    The current occurrence's period ends on `current`; the previous occurrence (due `previous`)
    exists for a task only if its first due date is not after it, and the task is overdue while
    that occurrence is not completed (unless the current one already is).
    """
    current = period_end(kind, day)
    previous = previous_period_end(kind, current)
    overdue = (Q(deadline_kind=kind, deadline__lte=previous)
               & ~occurrence_done(day, previous) & ~occurrence_done(day, current))
    return overdue, previous


def _changing(tasks: QuerySet[Task], value, changed: list[Task]) -> QuerySet[Task]:
    """Lock and keep (in `changed`, with the value they get) the tasks about to be updated, for
    their history; `value` is a date, or a function of the task."""
    for task in tasks.select_for_update(of=("self",), no_key=True).order_by("pk"):
        task.overdue_since = value(task) if callable(value) else value
        changed.append(task)
    return tasks


def _record_history(changed: list[Task]) -> None:
    """One history row per changed task, with its coordinating units as they stand, in a fixed
    number of queries (the history simple-history would write on save, in bulk)."""
    if not changed:
        return
    flagged, cleared = _("Marked overdue by the daily job"), _("No longer overdue (daily job)")
    for task in changed:
        task._change_reason = flagged if task.overdue_since else cleared
    rows = Task.history.bulk_history_create(changed, update=True)
    m2m_history = Task.history.model._meta.get_field(
        "historicaltask_coordinating_units").related_model
    through = Task.coordinating_units.through
    links: dict[int, list[tuple[int, int]]] = {}
    for link_id, task_id, unit_id in through.objects.filter(
            task_id__in=[task.pk for task in changed]).values_list("id", "task_id", "unit_id"):
        links.setdefault(task_id, []).append((link_id, unit_id))
    m2m_history.objects.bulk_create([
        m2m_history(history=row, id=link_id, task_id=row.id, unit_id=unit_id)
        for row in rows for link_id, unit_id in links.get(row.id, [])])


@transaction.atomic
def task_overdue_flags_refresh(*, on: date) -> dict:
    """Bring every task's overdue_since in line with the date `on`: set from the day after the
    deadline it missed, cleared once it is no longer overdue (completed, deadline moved,
    occurrence completed, now ongoing or unspecified). Returns {"flagged": n, "cleared": n}.

    A constant number of queries whatever the number of tasks (one UPDATE per kind of deadline),
    and a history row for each task changed; a second run on the same day changes nothing."""
    tasks = Task.objects.all()
    changed: list[Task] = []
    one_off = _one_off_overdue(on)
    became = F("deadline") + ONE_DAY
    # Also corrects a value left by an earlier deadline (one moved to another past date).
    flagged = _changing(tasks.filter(one_off).filter(
        Q(overdue_since__isnull=True) | Q(overdue_since__lt=became) | Q(overdue_since__gt=became)
    ), lambda task: task.deadline + ONE_DAY, changed).update(overdue_since=became)
    overdue_anywhere = one_off
    for kind in sorted(RECURRING_KINDS):
        overdue, previous = _recurring_overdue(kind, on)
        overdue_anywhere |= overdue
        # A recurring task that stays overdue from one missed occurrence into the next keeps the
        # day its stretch began; only a value later than possible is corrected.
        flagged += _changing(tasks.filter(overdue).filter(
            Q(overdue_since__isnull=True) | Q(overdue_since__gt=previous + ONE_DAY)
        ), previous + ONE_DAY, changed).update(overdue_since=previous + ONE_DAY)
    cleared = _changing(tasks.filter(overdue_since__isnull=False).exclude(overdue_anywhere),
                        None, changed).update(overdue_since=None)
    _record_history(changed)
    return {"flagged": flagged, "cleared": cleared}
