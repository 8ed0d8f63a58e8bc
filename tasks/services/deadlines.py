"""A task's deadline: read as the programme wrote it, and moved only by decision."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited

from ..deadlines import (
    RECURRING_KINDS,
    DeadlineParseError,
    ParsedDeadline,
    parse_deadline,
    period_end,
)
from ..events import task_deadline_event_emit
from ..models import DeadlineChange, Resolution, Task
from .editing import lock_unchanged


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
    lock_unchanged(task, expected_updated_at)
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
    task_deadline_event_emit(change=change)
    return change
