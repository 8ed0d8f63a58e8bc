from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.lookups import Exact

from units.models import Unit
from units.selectors import unit_ids_in_scope

from .deadlines import (
    ONE_OFF_KINDS,
    RECURRING_KINDS,
    UNDATED_KINDS,
    DeadlineKind,
    period_end,
    previous_period_end,
)
from .models import OccurrenceCompletion, Output, Task
from .rules import Clarity, StatusClass


def task_unit_condition(*, unit) -> Q:
    """Tasks the unit (or a unit under it, or a designation they belong to) leads or coordinates,
    as a condition to filter any task queryset with."""
    scope = unit_ids_in_scope(unit=unit)
    led = Task.objects.order_by().filter(lead_unit_id__in=scope).values_list("id", flat=True)
    coordinated = (Task.coordinating_units.through.objects.order_by()
                   .filter(unit_id__in=scope).values_list("task_id", flat=True))
    # One subquery, the union of the two halves (each read by its index), so that the lists
    # built on the condition read those tasks by key rather than test every task against two
    # subqueries joined by OR.
    return Q(id__in=led.union(coordinated))


def task_list_for_unit(*, unit) -> QuerySet[Task]:
    """Tasks the unit (or a unit under it, or a designation they belong to) leads or coordinates."""
    return Task.objects.filter(task_unit_condition(unit=unit))


def task_list_visible_to(*, user) -> QuerySet[Task]:
    """Every task for roles across all units; otherwise the tasks of the user's unit scope."""
    if user.sees_all_units:
        return Task.objects.all()
    if user.unit_id is None:
        return Task.objects.none()
    return task_list_for_unit(unit=user.unit)


def task_visibility_key(*, user) -> list:
    """Whose tasks task_list_visible_to gives the user, for cache keys."""
    return ["all"] if user.sees_all_units else ["unit", user.unit_id]


def task_page_queryset(*, user) -> QuerySet[Task]:
    """The tasks the user may open (the task page, a report page), with what those pages read
    prefetched: a fixed number of queries whatever the task's units and outputs."""
    return (task_list_visible_to(user=user)
            .select_related("group", "resolution", "lead_unit", "implements__resolution")
            .prefetch_related("lead_unit__members", "coordinating_units__members", "outputs",
                              "occurrence_completions"))


# --- Status classes in SQL ----------------------------------------------------------------------


def _occurrence_done(due, on: date) -> Exists:
    """The task's occurrence due on `due` was completed by `on` (a completion after `on` does
    not count on `on`)."""
    return Exists(OccurrenceCompletion.objects.filter(task=OuterRef("pk"), due=due,
                                                      completed_on__lte=on))


def _status_whens(on: date) -> tuple[list[When], list[When], list[When]]:
    """The CASE branches for status_class, current_due and missed_due on `on`: one set per
    deadline kind, mirroring tasks.rules.task_status_class."""
    status, current, missed = [], [], []
    completed = Q(completed_on__isnull=False, completed_on__lte=on)
    for kind in sorted(RECURRING_KINDS):
        this_end = period_end(kind, on)
        before = previous_period_end(kind, this_end)
        is_kind = Q(deadline_kind=kind)
        first_later = is_kind & Q(deadline__gt=this_end)
        status += [
            # Before its first occurrence's period, a task is judged on that first occurrence.
            When(first_later & _occurrence_done(OuterRef("deadline"), on),
                 then=Value(StatusClass.COMPLETED_ON_TIME)),
            When(first_later, then=Value(StatusClass.IN_PROGRESS)),
            When(is_kind & _occurrence_done(this_end, on),
                 then=Value(StatusClass.COMPLETED_ON_TIME)),
            When(is_kind & Q(deadline__lte=before) & ~_occurrence_done(before, on),
                 then=Value(StatusClass.OVERDUE)),
            When(is_kind, then=Value(StatusClass.IN_PROGRESS)),
        ]
        current += [When(first_later, then=F("deadline")), When(is_kind, then=Value(this_end))]
        missed.append(When(is_kind & Q(deadline__lte=before), then=Value(before)))
    undated = Q(deadline_kind__in=UNDATED_KINDS)
    status += [
        When(undated & completed, then=Value(StatusClass.COMPLETED_ON_TIME)),
        When(undated, then=Value(StatusClass.IN_PROGRESS)),
        When(completed & Q(completed_on__lte=F("deadline")),
             then=Value(StatusClass.COMPLETED_ON_TIME)),
        When(completed, then=Value(StatusClass.COMPLETED_LATE)),
        When(deadline__gte=on, then=Value(StatusClass.IN_PROGRESS)),
    ]
    current.append(When(deadline_kind__in=ONE_OFF_KINDS, then=F("deadline")))
    missed.append(When(deadline_kind__in=ONE_OFF_KINDS, then=F("deadline")))
    return status, current, missed


def task_annotate_status(queryset: QuerySet[Task], *, on: date) -> QuerySet[Task]:
    """The tasks with their status on `on`, computed by the database (so it can be filtered,
    counted and grouped over any number of tasks), exactly as tasks.rules.task_status_class
    computes it for one task:

    - `status_class`: a StatusClass value;
    - `current_due`: the due date that matters on `on` (a one-off task's deadline; a recurring
      task's current occurrence); None for ongoing and unspecified tasks;
    - `missed_due`: for an overdue task, the due date it missed (a one-off task's deadline, a
      recurring task's previous occurrence), so days overdue = on - missed_due; otherwise None.
      (Ordering by it puts the longest overdue first; the days are computed in Python because
      SQLite, used by `make run`, cannot extract days from a date difference.)
    """
    status, current, missed = _status_whens(on)
    missed_due = Case(*missed, default=Value(None), output_field=DateField())
    return queryset.annotate(
        status_class=Case(*status, default=Value(StatusClass.OVERDUE),
                          output_field=CharField()),
        current_due=Case(*current, default=Value(None), output_field=DateField()),
    ).annotate(
        missed_due=Case(When(status_class=StatusClass.OVERDUE, then=missed_due),
                        default=Value(None), output_field=DateField()),
    )


def task_status_expression(*, on: date) -> Case:
    """The `status_class` of task_annotate_status on `on`, as one expression: to classify the same
    tasks on a second date beside the first (e.g. "last period") in the same query."""
    status, _current, _missed = _status_whens(on)
    return Case(*status, default=Value(StatusClass.OVERDUE), output_field=CharField())


# --- Six clarities in SQL -----------------------------------------------------------------------

#: What Python's str.strip() removes (str.isspace), so "blank" means the same in SQL.
WHITESPACE = "".join(chr(code) for code in range(0x3000 + 1) if chr(code).isspace())


class _Strip(Func):
    """The text without leading and trailing whitespace (as Python's str.strip())."""

    function = "BTRIM"
    output_field = TextField()

    def __init__(self, field: str):
        super().__init__(F(field), Value(WHITESPACE))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="TRIM", **extra_context)


def _blank(field: str) -> Q:
    return Q(Exact(_Strip(field), ""))


def task_clarity_conditions() -> dict[Clarity, Q]:
    """For each clarity, the condition "the task lacks it", computed by the database: the
    set-based twin of tasks.rules.task_clarity_gaps (tested to agree with it), to count and
    filter any number of tasks in one query.

    (A task always has a lead unit in the database, so "no lead" never occurs here.)
    """
    members = Unit.members.through.objects.filter(from_unit_id=OuterRef("lead_unit_id"))
    # Not correlated: the database lists once the tasks whose lead also coordinates them.
    lead_coordinates = Task.coordinating_units.through.objects.filter(
        unit_id=F("task__lead_unit_id")).values("task_id")
    return {
        Clarity.PERSON: _blank("responsible_official"),
        Clarity.WORK: _blank("title"),
        Clarity.TIME: Q(deadline_kind__in=[DeadlineKind.UNSPECIFIED, ""]),
        Clarity.RESPONSIBILITY: (Q(lead_unit__kind=Unit.Kind.COLLECTIVE) & ~Exists(members))
        | Q(pk__in=lead_coordinates),
        Clarity.PRODUCT: ~Exists(Output.objects.filter(task_id=OuterRef("pk"))),
        Clarity.AUTHORITY: Q(competent_authority=""),
    }


def task_not_six_clear_condition() -> Q:
    """The task lacks at least one of the six clarities."""
    conditions = list(task_clarity_conditions().values())
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def task_annotate_clarity_gaps(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks with `lacks_<clarity>` booleans (e.g. `lacks_person`), one per clarity."""
    return queryset.annotate(**{
        f"lacks_{clarity.value}": ExpressionWrapper(condition, output_field=BooleanField())
        for clarity, condition in task_clarity_conditions().items()})
