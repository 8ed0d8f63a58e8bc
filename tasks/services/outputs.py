"""Writes to the outputs (sản phẩm) a task promises, and the documents that fulfil them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited

from ..models import Output, Task


@dataclass(frozen=True)
class OutputSpec:
    """One output as an editor (or an imported file) wants it: `id` of an existing output of the
    task, or None for a new one."""

    kind: str
    title: str
    id: int | None = None
    document_number: str = ""
    issued_on: date | None = None


def validate_output(output: Output) -> None:
    """The fields, and no document number or file without the day it was issued."""
    output.full_clean(exclude=["task"] if output.task_id else None, validate_constraints=False)
    if (output.document_number or output.file) and not output.issued_on:
        raise ValidationError({"outputs": _(
            'The output "%(title)s" has a document number: give the date it was issued.')
            % {"title": output.title}})


def outputs_set(*, task: Task, actor, outputs: Sequence[OutputSpec], reason: str) -> bool:
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
            validate_output(output)
            audited(output, actor, reason).save()
            changed = True
            continue
        output = existing[spec.id]
        if any(getattr(output, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(output, name, value)
            validate_output(output)
            audited(output, actor, reason).save()
            changed = True
    if changed:
        # The prefetched list (if any) no longer says what is stored.
        getattr(task, "_prefetched_objects_cache", {}).pop("outputs", None)
    return changed


def output_is_in_use(output: Output) -> bool:
    """Whether an output has an issued document or has been reported on (then it is kept)."""
    return output.is_done or bool(output.file) or Output.objects.filter(
        pk=output.pk, reported_at__isnull=False).exists()


def output_mark_reported(*, output: Output, actor) -> Output:
    """Record that a report spoke of the output (the first time only): from then on it is kept
    (see output_is_in_use)."""
    if output.reported_at is None:
        output.reported_at = timezone.now()
        audited(output, actor, _("Reported on")).save(update_fields=["reported_at"])
    return output


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
