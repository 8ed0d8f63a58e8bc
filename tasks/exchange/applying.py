"""Writing a checked import plan: all or nothing, through the services, each change audited
with the actor; deadline changes only under the decision that allows them."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..services import group_create, task_change_deadline, task_create, task_update
from .plans import CREATE, UNCHANGED, Decision, ImportPlan, RowPlan


class ImportRowError(Exception):
    """A row was refused while writing (nothing was written)."""

    def __init__(self, row: int, code: str, messages: list[str]):
        self.row, self.code, self.messages = row, code, messages
        super().__init__(f"row {row}: {' '.join(messages)}")


def decision_errors(plan: ImportPlan, decision: Decision | None) -> dict[str, str]:
    """What is missing of the decision the plan's deadline changes need (empty when fine)."""
    if not plan.deadline_changes:
        return {}
    errors = {}
    if decision is None or not decision.number.strip():
        errors["decision_number"] = _("This file changes deadlines: give the number of the "
                                      "decision that allows it.")
    if decision is None or not decision.date:
        errors["decision_date"] = _("Give the date of the decision.")
    if decision is None or not decision.authority:
        errors["decision_authority"] = _("Say which authority made the decision.")
    return errors


@transaction.atomic
def import_apply(*, plan: ImportPlan, actor, reason: str, decision: Decision | None = None,
                 progress: Callable[[float], None] | None = None) -> dict[str, int]:
    """Write a checked plan: create the new groups, create and update the tasks, change the
    deadlines under the decision. All or nothing; returns the counts."""
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    missing = decision_errors(plan, decision)
    if missing:
        raise ValidationError(missing)
    groups = {}
    for number, name in sorted(plan.new_groups.items()):
        groups[number] = group_create(actor=actor, resolution=plan.resolution, number=number,
                                      name=name)
    changing = [row for row in plan.rows if row.action != UNCHANGED]
    for index, row in enumerate(changing):
        if isinstance(row.group, int):
            row.group = groups[row.group]
        if isinstance(row.fields.get("group"), int):
            row.fields["group"] = groups[row.fields["group"]]
        try:
            with transaction.atomic():
                _apply_row(row, actor=actor, reason=reason, decision=decision)
        except ValidationError as error:
            raise ImportRowError(row.number, row.code, error.messages) from error
        if progress:
            progress((index + 1) / len(changing))
    return plan.counts()


def _apply_row(row: RowPlan, *, actor, reason: str, decision: Decision | None) -> None:
    if row.action == CREATE:
        fields = dict(row.fields)
        task_create(actor=actor, group=row.group, code=row.code, title=fields.pop("title"),
                    lead_unit=fields.pop("lead_unit"), deadline_text=row.deadline_text,
                    coordinating_units=row.coordinating,
                    outputs=[(spec.kind, spec.title) for spec in row.outputs],
                    reason=reason, **fields)
        return
    task = row.task
    if row.fields or row.coordinating is not None or row.outputs is not None:
        task_update(task=task, actor=actor, reason=reason, coordinating_units=row.coordinating,
                    outputs=row.outputs, **row.fields)
    if row.deadline_change:
        task_change_deadline(task=task, actor=actor, deadline_text=row.deadline_text,
                             decision_number=decision.number, decision_date=decision.date,
                             decision_authority=decision.authority,
                             reason=decision.reason or reason)
