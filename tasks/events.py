"""The events the tasks app emits for subscribers (core.events; declared in tasks/kinds.py).

Their data holds ids, codes, states and dates only, never a person's name (the responsible
official) nor free text typed by a user."""

from datetime import date, timedelta

from core.events import event_emit

from .facts import facts_of
from .models import DeadlineChange, Task

STATUS_CHANGED = "task.status_changed"
DEADLINE_CHANGED = "task.deadline_changed"


def _task_data(task: Task) -> dict:
    return {"id": task.pk, "code": task.code, "resolution_id": task.resolution_id,
            "group_id": task.group_id, "lead_unit_id": task.lead_unit_id}


def _deadline(kind: str, due: date | None, text: str) -> dict:
    return {"kind": kind, "due": due.isoformat() if due else None, "text": text}


def task_deadline_event_emit(*, change: DeadlineChange) -> None:
    """A task's deadline was moved by a decision of the competent authority."""
    task = change.task
    event_emit(kind=DEADLINE_CHANGED, key=f"{DEADLINE_CHANGED}:{change.pk}", object_id=task.pk,
               data={"task": _task_data(task),
                     "deadline": {"from": _deadline(change.old_kind, change.old_deadline,
                                                    change.old_text),
                                  "to": _deadline(change.new_kind, change.new_deadline,
                                                  change.new_text)},
                     "decision": {"number": change.decision_number,
                                  "date": change.decision_date.isoformat(),
                                  "authority": change.decision_authority}})


def task_status_changes_emit(*, on: date) -> int:
    """Emit `task.status_changed` for every task whose status class on `on` differs from the day
    before, as the per-task facts of the two days say. Safe to run twice (each event's key holds
    the task and the day). Returns how many changed; a fixed number of queries plus one emit per
    change."""
    before = on - timedelta(days=1)
    classes: dict[date, dict[int, str]] = {before: {}, on: {}}
    for task_id, day, status in facts_of(Task.objects.all(), days=[before, on]).values_list(
            "task_id", "day", "status"):
        classes[day][task_id] = status
    changed = [task_id for task_id, status in classes[on].items()
               if task_id in classes[before] and classes[before][task_id] != status]
    tasks = Task.objects.in_bulk(changed)
    for task_id in changed:
        event_emit(kind=STATUS_CHANGED, key=f"{STATUS_CHANGED}:{task_id}:{on.isoformat()}",
                   object_id=task_id,
                   data={"task": _task_data(tasks[task_id]), "on": on.isoformat(),
                         "status": {"from": classes[before][task_id],
                                    "to": classes[on][task_id]}})
    return len(changed)
