"""The programme's rules about a task, computed from the task alone and a date.

Nothing here is stored: a status class is computed on the date asked for, so it never goes stale.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from .deadlines import RECURRING_KINDS, DeadlineKind, occurrences_on


class StatusClass(models.TextChoices):
    """The classes the Government Office counts (Decision 42/2014/QĐ-TTg, amended 23/2018)."""

    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")
    IN_PROGRESS = "in_progress", _("In progress, within deadline")
    OVERDUE = "overdue", _("Overdue")


def task_status_class(*, task, on: date) -> StatusClass:
    """The task's status class on the date `on`.

    A completion recorded after `on` is ignored, so the class on a past date is what it was then.
    Reads `task.occurrence_completions` for a recurring task: prefetch it for many tasks.

    - One-off deadline (a day, or the last day of a month, quarter or year): completed on or
      before the deadline is on time, after it late; not completed is within deadline up to and
      including the deadline day, overdue from the day after.
    - Ongoing or unspecified: never overdue; a completion counts as on time.
    - Recurring (monthly, quarterly, annual): judged on the occurrence whose period contains `on`.
      That occurrence completed is "completed on time"; otherwise the task is overdue while the
      occurrence before it is not completed, and within deadline once it is.
    """
    kind = task.deadline_kind
    if kind in RECURRING_KINDS:
        occurrences = occurrences_on(kind, task.deadline, on)
        done = {c.due for c in occurrence_completions(task) if c.completed_on <= on}
        if occurrences.current_due in done:
            return StatusClass.COMPLETED_ON_TIME
        if occurrences.previous_due and occurrences.previous_due not in done:
            return StatusClass.OVERDUE
        return StatusClass.IN_PROGRESS

    completed_on = task.completed_on if task.completed_on and task.completed_on <= on else None
    if kind in (DeadlineKind.ONGOING, DeadlineKind.UNSPECIFIED):
        return StatusClass.COMPLETED_ON_TIME if completed_on else StatusClass.IN_PROGRESS

    if completed_on:
        if completed_on <= task.deadline:
            return StatusClass.COMPLETED_ON_TIME
        return StatusClass.COMPLETED_LATE
    return StatusClass.IN_PROGRESS if on <= task.deadline else StatusClass.OVERDUE


def occurrence_completions(task) -> list:
    """The task's completed occurrences (none for an unsaved task)."""
    if task.pk is None:
        return []
    return list(task.occurrence_completions.all())


def task_due_dates(*, task, status: StatusClass, on: date) -> tuple[date | None, date | None]:
    """(the due date that matters on `on`: a one-off deadline or the current occurrence, the due
    date an overdue task missed: the deadline or the previous occurrence); None when undated
    or not overdue. The one-task twin of tasks.selectors' current_due and missed_due."""
    if task.deadline is None or task.deadline_kind in (DeadlineKind.ONGOING,
                                                       DeadlineKind.UNSPECIFIED):
        return None, None
    if task.deadline_kind in RECURRING_KINDS:
        occurrences = occurrences_on(task.deadline_kind, task.deadline, on)
        missed = occurrences.previous_due if status == StatusClass.OVERDUE else None
        return occurrences.current_due, missed
    return task.deadline, task.deadline if status == StatusClass.OVERDUE else None


def task_days_to_deadline(*, task, on: date) -> int | None:
    """Days from `on` to the deadline now due (negative once passed); None when undated."""
    if task.deadline is None:
        return None
    if task.deadline_kind in RECURRING_KINDS:
        return (occurrences_on(task.deadline_kind, task.deadline, on).current_due - on).days
    return (task.deadline - on).days


def task_deadline_distance(*, task, status: StatusClass, on: date) -> tuple[int | None, int | None]:
    """(days left, days overdue) as the pages show them, each None when it does not apply: they
    only mean something while the task is unfinished."""
    if status not in (StatusClass.IN_PROGRESS, StatusClass.OVERDUE):
        return None, None
    days = task_days_to_deadline(task=task, on=on)
    if days is None:
        return None, None
    return (days, None) if days >= 0 else (None, -days)


class Clarity(models.TextChoices):
    """The "six clarities" (6 rõ) every task must be clear on."""

    PERSON = "person", _("Clear person")
    WORK = "work", _("Clear work")
    TIME = "time", _("Clear time")
    RESPONSIBILITY = "responsibility", _("Clear responsibility")
    PRODUCT = "product", _("Clear product (result)")
    AUTHORITY = "authority", _("Clear authority")


CLARITY_EXPLANATIONS = {
    Clarity.PERSON: _("a lead unit and a responsible official"),
    Clarity.WORK: _("what is to be done"),
    Clarity.TIME: _("a deadline, or marked recurring or ongoing"),
    Clarity.RESPONSIBILITY: _("a lead unit that is a real body (or a designation with members), "
                              "not also listed as coordinating"),
    Clarity.PRODUCT: _("at least one output"),
    Clarity.AUTHORITY: _("the competent authority that approves or issues the product"),
}


def task_clarity_gaps(*, task) -> list[Clarity]:
    """The clarities the task lacks, in the canonical order; empty when it is six-clear.

    Reads `task.outputs`, `task.coordinating_units` and `task.lead_unit.members`: prefetch them
    when checking many tasks.
    """
    gaps = []
    lead = task.lead_unit if task.lead_unit_id else None
    if lead is None or not task.responsible_official.strip():
        gaps.append(Clarity.PERSON)
    if not task.title.strip():
        gaps.append(Clarity.WORK)
    if task.deadline_kind == DeadlineKind.UNSPECIFIED or not task.deadline_kind:
        gaps.append(Clarity.TIME)
    if (
        lead is None
        or (lead.is_collective and not lead.members.all())
        or (task.pk and any(unit.pk == lead.pk for unit in task.coordinating_units.all()))
    ):
        gaps.append(Clarity.RESPONSIBILITY)
    if not task.pk or not task.outputs.all():
        gaps.append(Clarity.PRODUCT)
    if not task.competent_authority:
        gaps.append(Clarity.AUTHORITY)
    return gaps
