"""Writes to tasks: creating one from what the programme wrote, and changing its description,
its coordinating units and its list of outputs."""

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited
from units.models import Unit

from ..models import Output, Task, TaskGroup
from .cascade import check_implements
from .deadlines import deadline_resolve
from .editing import lock_unchanged
from .outputs import OutputSpec, outputs_set, validate_output


def _validate_task(task: Task) -> None:
    """The fields, and the code unique in the resolution (with a message that says so).

    The check constraints (a deadline's date fits its kind…) hold by construction, the deadline
    coming from the parser, and the database enforces them anyway: checking them here would cost
    a query each for every task of an import.
    """
    # A group or unit given as a saved instance exists: no query to look it up again.
    known = [name for name in ("group", "lead_unit") if getattr(task, f"{name}_id")]
    if task.implements_id:
        known.append("implements")
    task.full_clean(exclude=known, validate_unique=False, validate_constraints=False)
    _check_code_free(task)
    check_implements(task)


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
        validate_output(output)
        audited(output, actor, reason or _("Output added")).save()
    return task


#: Fields of a task that task_update may change.
TASK_EDITABLE_FIELDS = frozenset({
    "group", "code", "title", "title_en", "description", "lead_unit", "competent_authority",
    "responsible_official", "notes", "is_illustrative", "implements",
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
    lock_unchanged(task, expected_updated_at)
    changed = False
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name in ("group", "lead_unit", "implements"):
            changed |= getattr(task, f"{name}_id") != (value.pk if value else None)
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
        changed |= outputs_set(task=task, actor=actor, outputs=outputs, reason=reason)
    if changed:
        audited(task, actor, reason).save()
        if coordinating_units is not None:
            task.coordinating_units.set(coordinating_units)
    return task
