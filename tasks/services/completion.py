"""Recording a task's completion (occurrence by occurrence for a recurring task) and withdrawing
it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited

from ..deadlines import ONE_OFF_KINDS, RECURRING_KINDS, occurrence_credits
from ..models import OccurrenceCompletion, Task


def _check_outputs_for_completion(task: Task) -> None:
    outputs = list(task.outputs.all())
    if not outputs:
        raise ValidationError(_("A task cannot be completed before its outputs are recorded."))
    # A collective lead's members each issue their own document (reported on their reports), so
    # the task's shared outputs are only required to be issued when one body leads.
    if (task.deadline_kind in ONE_OFF_KINDS and not task.lead_unit.is_collective
            and not all(output.is_done for output in outputs)):
        raise ValidationError(
            _("A task cannot be completed while an output has no issued document recorded.")
        )


@transaction.atomic
def task_record_completion(*, task: Task, actor, completed_on: date, reason: str = "") -> Task:
    """Record that the task was completed on `completed_on`.

    Called when the lead unit's report saying so is approved. A task is only completed with its
    product clear: it must have outputs, and for a one-off task every output must be issued.
    For a recurring task the completion completes the earliest occurrence still open (see
    occurrence_credits); the others stay as they were.
    """
    _check_outputs_for_completion(task)
    if task.deadline_kind in RECURRING_KINDS:
        dates = [c.completed_on for c in task.occurrence_completions.all()]
        return task_set_occurrence_completions(task=task, actor=actor,
                                               completed_dates=[*dates, completed_on],
                                               reason=reason)
    task.completed_on = completed_on
    audited(task, actor, reason or _("Completion recorded")).save()
    return task


@transaction.atomic
def task_set_occurrence_completions(*, task: Task, actor, completed_dates: list[date],
                                    reason: str = "") -> Task:
    """Make a recurring task's completed occurrences those that `completed_dates` complete.

    Writes only what changes, so the audit history shows real changes only.
    """
    if task.deadline_kind not in RECURRING_KINDS:
        raise ValueError("only a recurring task is completed occurrence by occurrence")
    if completed_dates:
        _check_outputs_for_completion(task)
    target = occurrence_credits(task.deadline_kind, task.deadline, completed_dates)
    reason = reason or _("Completion recorded")
    changed = False
    for existing in task.occurrence_completions.all():
        wanted = target.pop(existing.due, None)
        if wanted is None:
            audited(existing, actor, reason).delete()
            changed = True
        elif wanted != existing.completed_on:
            existing.completed_on = wanted
            audited(existing, actor, reason).save()
            changed = True
    for due, completed_on in target.items():
        audited(OccurrenceCompletion(task=task, due=due, completed_on=completed_on),
                 actor, reason).save()
        changed = True
    if changed:
        # The task's status changed: its change time says so, for systems that sync on it.
        task.updated_at = timezone.now()
        Task.objects.filter(pk=task.pk).update(updated_at=task.updated_at)
    return task


@transaction.atomic
def task_clear_completion(*, task: Task, actor, reason: str) -> Task:
    """Withdraw the task's completion (every completed occurrence, for a recurring task)."""
    if task.deadline_kind in RECURRING_KINDS:
        return task_set_occurrence_completions(task=task, actor=actor, completed_dates=[],
                                               reason=reason)
    task.completed_on = None
    audited(task, actor, reason).save()
    return task
