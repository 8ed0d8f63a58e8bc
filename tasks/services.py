"""Every write to programmes, tasks, outputs and deadlines.

Each function takes the acting user, validates, writes, and leaves an audit record (the model
histories record who made each change and why).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
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


class StaleEditError(Exception):
    """The row changed since the editor loaded it; the write was refused and nothing was saved.

    `current` is the row as it now stands, to show beside what the editor typed.
    """

    def __init__(self, current):
        self.current = current
        super().__init__(_("This was changed by someone else since you opened it. Nothing of "
                           "yours was saved: compare with their version, then save again to "
                           "replace it."))


def _lock_unchanged(instance, expected_updated_at: datetime | None):
    """Lock the row; refuse (StaleEditError) when it changed since `expected_updated_at`."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise StaleEditError(current)
    return current


# --- Resolutions and their groups -------------------------------------------------------------


@transaction.atomic
def resolution_create(*, actor, **fields) -> Resolution:
    """Create a resolution (a programme or plan whose tasks are tracked)."""
    resolution = Resolution(**fields)
    resolution.full_clean()
    audited(resolution, actor, _("Resolution created")).save()
    return resolution


@transaction.atomic
def resolution_update(*, resolution: Resolution, actor,
                      expected_updated_at: datetime | None = None, **fields) -> Resolution:
    """Change a resolution; refused (StaleEditError) if it changed since the editor loaded it."""
    _lock_unchanged(resolution, expected_updated_at)
    for name, value in fields.items():
        setattr(resolution, name, value)
    if resolution.implements_id and resolution.implements_id == resolution.pk:
        raise ValidationError({"implements": _("A resolution cannot implement itself.")})
    resolution.full_clean()
    audited(resolution, actor, _("Resolution updated")).save()
    return resolution


def _check_group_number(group: TaskGroup) -> None:
    taken = TaskGroup.objects.filter(resolution_id=group.resolution_id, number=group.number)
    if taken.exclude(pk=group.pk).exists():
        raise ValidationError({"number": _("This resolution already has a group %(number)s.")
                                         % {"number": group.number}})


@transaction.atomic
def group_create(*, actor, resolution: Resolution, number: int, name: str,
                 name_en: str = "") -> TaskGroup:
    """Add a group of tasks and solutions to a resolution."""
    group = TaskGroup(resolution=resolution, number=number, name=name.strip(),
                      name_en=name_en.strip())
    _check_group_number(group)
    group.full_clean()
    audited(group, actor, _("Task group created")).save()
    return group


@transaction.atomic
def group_update(*, group: TaskGroup, actor, expected_updated_at: datetime | None = None,
                 **fields) -> TaskGroup:
    """Renumber or rename a group; refused (StaleEditError) if it changed since it was loaded."""
    _lock_unchanged(group, expected_updated_at)
    for name, value in fields.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    _check_group_number(group)
    group.full_clean()
    audited(group, actor, _("Task group updated")).save()
    return group


# --- Tasks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputSpec:
    """One output as an editor (or an imported file) wants it: `id` of an existing output of the
    task, or None for a new one."""

    kind: str
    title: str
    id: int | None = None
    document_number: str = ""
    issued_on: date | None = None


def _validate_task(task: Task) -> None:
    """The fields, and the code unique in the resolution (with a message that says so).

    The check constraints (a deadline's date fits its kind…) hold by construction, the deadline
    coming from the parser, and the database enforces them anyway: checking them here would cost
    a query each for every task of an import.
    """
    # A group or unit given as a saved instance exists: no query to look it up again.
    known = [name for name in ("group", "lead_unit") if getattr(task, f"{name}_id")]
    task.full_clean(exclude=known, validate_unique=False, validate_constraints=False)
    _check_code_free(task)


def _validate_output(output: Output) -> None:
    output.full_clean(exclude=["task"] if output.task_id else None, validate_constraints=False)
    if (output.document_number or output.file) and not output.issued_on:
        raise ValidationError({"outputs": _(
            'The output "%(title)s" has a document number: give the date it was issued.')
            % {"title": output.title}})


def _check_code_free(task: Task) -> None:
    taken = Task.objects.filter(resolution_id=task.resolution_id, code=task.code)
    if taken.exclude(pk=task.pk).exists():
        raise ValidationError({"code": _("Code %(code)s is already used by another task of "
                                         "this resolution.") % {"code": task.code}})


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
    outputs: Iterable[tuple[str, str] | OutputSpec] = (),
    reason: str = "",
    **fields,
) -> Task:
    """Create a task from what the programme wrote; `outputs` are (kind, product) pairs or
    OutputSpecs (without ids).

    The deadline text is parsed and kept as written; the original deadline is recorded.
    """
    coordinating = _check_units(lead_unit, coordinating_units)
    parsed = deadline_resolve(text=deadline_text, resolution=group.resolution)
    task = Task(group=group, code=code.strip(), title=title.strip(), lead_unit=lead_unit,
                deadline_kind=parsed.kind, deadline=parsed.due,
                deadline_text=deadline_text.strip(), **fields)
    _validate_task(task)
    audited(task, actor, reason or _("Task created")).save()
    task.coordinating_units.set(coordinating)
    for position, item in enumerate(outputs):
        spec = item if isinstance(item, OutputSpec) else OutputSpec(kind=item[0], title=item[1])
        output = Output(task=task, kind=spec.kind, title=spec.title.strip(), position=position,
                        document_number=spec.document_number.strip(), issued_on=spec.issued_on)
        _validate_output(output)
        audited(output, actor, reason or _("Output added")).save()
    return task


#: Fields of a task that task_update may change.
TASK_EDITABLE_FIELDS = frozenset({
    "group", "code", "title", "title_en", "description", "lead_unit", "competent_authority",
    "responsible_official", "is_illustrative",
})


@transaction.atomic
def task_update(*, task: Task, actor, coordinating_units: Iterable[Unit] | None = None,
                outputs: Sequence[OutputSpec] | None = None,
                expected_updated_at: datetime | None = None, reason: str = "",
                **fields) -> Task:
    """Change a task's description fields, and (when given) its coordinating units and its list
    of outputs, in that order; an output left out of `outputs` is removed.

    The deadline is not changed here: see task_change_deadline, which needs the authorising
    decision. When `expected_updated_at` is given and the task changed since, nothing is written
    and StaleEditError is raised. Writes only when something changes; any change (an output
    included) moves the task's `updated_at`, so a stale editor of the task is refused.
    """
    forbidden = fields.keys() - TASK_EDITABLE_FIELDS
    if forbidden:
        raise ValueError(f"task_update cannot change {sorted(forbidden)}")
    _lock_unchanged(task, expected_updated_at)
    changed = False
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name in ("group", "lead_unit"):
            changed |= getattr(task, f"{name}_id") != value.pk
        else:
            changed |= getattr(task, name) != value
        setattr(task, name, value)
    if "group" in fields and task.group.resolution_id != task.resolution_id:
        raise ValidationError({"group": _("Choose a group of the task's own resolution.")})
    current_coordinating = {unit.pk for unit in task.coordinating_units.all()}
    if coordinating_units is not None:
        coordinating_units = _check_units(task.lead_unit, coordinating_units)
        changed |= {unit.pk for unit in coordinating_units} != current_coordinating
    elif "lead_unit" in fields and task.lead_unit_id in current_coordinating:
        raise ValidationError(
            {"lead_unit": _("The lead unit cannot also be a coordinating unit.")})
    _validate_task(task)
    reason = reason or _("Task updated")
    if outputs is not None:
        changed |= _outputs_set(task=task, actor=actor, outputs=outputs, reason=reason)
    if changed:
        audited(task, actor, reason).save()
        if coordinating_units is not None:
            task.coordinating_units.set(coordinating_units)
    return task


def _outputs_set(*, task: Task, actor, outputs: Sequence[OutputSpec], reason: str) -> bool:
    """Make the task's outputs those listed, in that order. Whether anything changed."""
    existing = {output.pk: output for output in task.outputs.all()}
    unknown = {spec.id for spec in outputs if spec.id is not None} - existing.keys()
    if unknown:
        raise ValidationError({"outputs": _("An output does not belong to this task.")})
    kept = {spec.id for spec in outputs}
    changed = False
    for output in existing.values():
        if output.pk not in kept:
            output_delete(output=output, actor=actor, reason=reason)
            changed = True
    for position, spec in enumerate(outputs):
        wanted = {"kind": spec.kind, "title": spec.title.strip(), "position": position,
                  "document_number": spec.document_number.strip(), "issued_on": spec.issued_on}
        if spec.id is None:
            output = Output(task=task, **wanted)
            _validate_output(output)
            audited(output, actor, reason).save()
            changed = True
            continue
        output = existing[spec.id]
        if any(getattr(output, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(output, name, value)
            _validate_output(output)
            audited(output, actor, reason).save()
            changed = True
    if changed:
        # The prefetched list (if any) no longer says what is stored.
        getattr(task, "_prefetched_objects_cache", {}).pop("outputs", None)
    return changed


def output_is_in_use(output: Output) -> bool:
    """Whether an output has an issued document or has been reported on (then it is kept)."""
    return output.is_done or bool(output.file) or Output.objects.filter(
        pk=output.pk, progress__isnull=False).exists()


@transaction.atomic
def output_delete(*, output: Output, actor, reason: str = "") -> None:
    """Remove an output the task no longer promises. One that was issued or already reported on
    is kept: the reports that speak of it would lose their record."""
    if output_is_in_use(output):
        raise ValidationError({"outputs": _(
            'The output "%(title)s" has an issued document or has been reported on: it cannot be '
            'removed.') % {"title": output.title}})
    audited(output, actor, reason or _("Output removed")).delete()


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
    expected_updated_at: datetime | None = None,
) -> DeadlineChange:
    """Move a task's deadline under a decision of the competent authority.

    The original deadline stays on the task; the change (old, new, decision, who, when) is kept.
    When `expected_updated_at` is given and the task changed since, nothing is written and
    StaleEditError is raised.
    """
    _lock_unchanged(task, expected_updated_at)
    errors = {}
    if not decision_number.strip():
        errors["decision_number"] = _(
            "A deadline can only be changed by a decision: give its number.")
    if decision_date is None:
        errors["decision_date"] = _("Give the date of the decision.")
    if not decision_authority:
        errors["decision_authority"] = _("Say which authority made the decision.")
    try:
        parsed = deadline_resolve(text=deadline_text, resolution=task.resolution)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if parsed.kind == task.deadline_kind and parsed.due == task.deadline:
            errors["deadline"] = _("The new deadline is the same as the current one.")
    if errors:
        raise ValidationError(errors)
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
