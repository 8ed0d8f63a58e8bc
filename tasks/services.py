"""Every write to programmes, tasks, outputs and deadlines.

Each function takes the acting user, validates, writes, and leaves an audit record (the model
histories record who made each change and why).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from units.audit import audited
from units.models import Unit

from .deadlines import (
    ONE_OFF_KINDS,
    RECURRING_KINDS,
    DeadlineParseError,
    ParsedDeadline,
    occurrence_credits,
    parse_deadline,
    period_end,
)
from .models import DeadlineChange, OccurrenceCompletion, Output, Resolution, Task, TaskGroup


def deadline_resolve(*, text: str, resolution: Resolution) -> ParsedDeadline:
    """Parse a deadline as written; a recurring one with no start begins with the resolution.

    Raises ValidationError (on the "deadline" field) when the text cannot be read.
    """
    try:
        parsed = parse_deadline(text)
    except DeadlineParseError as exc:
        raise ValidationError({"deadline": str(exc)}) from exc
    if parsed.kind in RECURRING_KINDS and parsed.due is None:
        start = resolution.issued_on or date.today()
        parsed = ParsedDeadline(parsed.kind, period_end(parsed.kind, start))
    return parsed


def _check_units(lead_unit: Unit, coordinating_units: Iterable[Unit]) -> list[Unit]:
    coordinating = list(coordinating_units)
    if any(unit.pk == lead_unit.pk for unit in coordinating):
        raise ValidationError(
            {"coordinating_units": _("The lead unit cannot also be a coordinating unit.")}
        )
    return coordinating


@transaction.atomic
def task_create(
    *,
    actor,
    group: TaskGroup,
    code: str,
    title: str,
    lead_unit: Unit,
    deadline_text: str = "",
    coordinating_units: Iterable[Unit] = (),
    outputs: Iterable[tuple[str, str]] = (),
    **fields,
) -> Task:
    """Create a task from what the programme wrote; `outputs` are (kind, product) pairs.

    The deadline text is parsed and kept as written; the original deadline is recorded.
    """
    coordinating = _check_units(lead_unit, coordinating_units)
    parsed = deadline_resolve(text=deadline_text, resolution=group.resolution)
    task = Task(group=group, code=code.strip(), title=title.strip(), lead_unit=lead_unit,
                deadline_kind=parsed.kind, deadline=parsed.due,
                deadline_text=deadline_text.strip(), **fields)
    task.full_clean()
    audited(task, actor, _("Task created")).save()
    task.coordinating_units.set(coordinating)
    for position, (kind, product) in enumerate(outputs):
        audited(Output(task=task, kind=kind, title=product, position=position), actor).save()
    return task


@transaction.atomic
def task_update(*, task: Task, actor, coordinating_units: Iterable[Unit] | None = None,
                **fields) -> Task:
    """Change a task's description fields. The deadline is not changed here: see
    task_change_deadline, which needs the authorising decision."""
    forbidden = {"deadline", "deadline_kind", "deadline_text", "completed_on"} & fields.keys()
    if forbidden:
        raise ValueError(f"task_update cannot change {sorted(forbidden)}")
    for name, value in fields.items():
        setattr(task, name, value)
    if coordinating_units is not None:
        coordinating_units = _check_units(task.lead_unit, coordinating_units)
    task.full_clean()
    audited(task, actor, _("Task updated")).save()
    if coordinating_units is not None:
        task.coordinating_units.set(coordinating_units)
    return task


@transaction.atomic
def task_change_deadline(
    *,
    task: Task,
    actor,
    deadline_text: str,
    decision_number: str,
    decision_date: date,
    decision_authority: str,
    reason: str = "",
) -> DeadlineChange:
    """Move a task's deadline under a decision of the competent authority.

    The original deadline stays on the task; the change (old, new, decision, who, when) is kept.
    """
    if not decision_number.strip():
        raise ValidationError(
            {"decision_number": _("A deadline can only be changed by a decision: give its number.")}
        )
    if not decision_authority:
        raise ValidationError({"decision_authority": _("Say which authority made the decision.")})
    parsed = deadline_resolve(text=deadline_text, resolution=task.resolution)
    if parsed.kind == task.deadline_kind and parsed.due == task.deadline:
        raise ValidationError({"deadline": _("The new deadline is the same as the current one.")})
    change = DeadlineChange(
        task=task,
        old_kind=task.deadline_kind, old_deadline=task.deadline, old_text=task.deadline_text,
        new_kind=parsed.kind, new_deadline=parsed.due, new_text=deadline_text.strip(),
        decision_number=decision_number.strip(), decision_date=decision_date,
        decision_authority=decision_authority, reason=reason.strip(), changed_by=actor,
    )
    audited(change, actor).save()
    task.deadline_kind, task.deadline, task.deadline_text = (
        parsed.kind, parsed.due, deadline_text.strip()
    )
    audited(task, actor, _("Deadline changed by decision %(number)s")
             % {"number": change.decision_number}).save()
    return change


@transaction.atomic
def output_add(*, task: Task, actor, kind: str, title: str, position: int | None = None) -> Output:
    """Add a promised output (sản phẩm) to a task; by default after the others."""
    if position is None:
        last = task.outputs.order_by("-position").values_list("position", flat=True).first()
        position = 0 if last is None else last + 1
    output = Output(task=task, kind=kind, title=title.strip(), position=position)
    output.full_clean()
    audited(output, actor, _("Output added")).save()
    return output


@transaction.atomic
def output_update(*, output: Output, actor, **fields) -> Output:
    """Change what an output promises (its kind, title, order). The issued document is recorded
    by output_record_issue."""
    forbidden = fields.keys() - {"kind", "title", "position"}
    if forbidden:
        raise ValueError(f"output_update cannot change {sorted(forbidden)}")
    for name, value in fields.items():
        setattr(output, name, value.strip() if name == "title" else value)
    output.full_clean()
    audited(output, actor, _("Output updated")).save()
    return output


@transaction.atomic
def output_record_issue(*, output: Output, actor, document_number: str, issued_on: date,
                        file=None) -> Output:
    """Record the document that fulfils an output: its number, date and (optionally) file."""
    output.document_number = document_number.strip()
    output.issued_on = issued_on
    if file is not None:
        output.file = file
    output.full_clean()
    audited(output, actor, _("Output issued")).save()
    return output


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
