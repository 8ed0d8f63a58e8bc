"""Plans cascade: the tasks of plans that break down a programme's tasks, and what has not yet
been broken down.

A task of a plan (a Resolution implementing another) may implement one task of the resolution
its own resolution implements (`Task.implements`, checked by tasks.services.cascade). Reads
here; the reports app adds the latest approved progress on the task page (reports.pages).

Coverage: a tracked resolution that at least one plan (kind plan) implements expects its tasks
to be broken down. Each of its tasks not completed is expected from its lead unit (a collective
designation: from each of its member units), in that unit's plan: a plan implementing the
resolution whose owning unit (`Resolution.owner_unit`) is that unit or, failing one, the nearest
unit above it (the ministry's plan breaks down what its departments lead). The expectation is
met when a task of that plan implements the task. A unit with no such plan has broken down none
of its tasks.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from units.models import Unit

from .deadlines import ONE_OFF_KINDS
from .facts import facts_of, task_annotate_facts
from .models import Resolution, Task
from .rules import StatusClass

COMPLETED = [StatusClass.COMPLETED_ON_TIME.value, StatusClass.COMPLETED_LATE.value]


def resolution_and_plans_ids(resolution_id: int) -> list[int]:
    """The resolution and every plan under it, at any depth (plans of plans). One query over
    the resolutions (a short table)."""
    children = defaultdict(list)
    for pk, parent in Resolution.objects.order_by().values_list("pk", "implements_id"):
        if parent:
            children[parent].append(pk)
    found, todo = [], [resolution_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo.extend(children[current])
    return found


def deadline_after_parent(task: Task, parent: Task) -> bool:
    """Whether the task of a plan is due after the task it implements: both with a one-off
    deadline (a day, month, quarter or year), the plan's ending later. A recurring or ongoing
    deadline is not compared."""
    return (task.deadline_kind in ONE_OFF_KINDS and parent.deadline_kind in ONE_OFF_KINDS
            and task.deadline is not None and parent.deadline is not None
            and task.deadline > parent.deadline)


@dataclass
class PlanTasks:
    resolution: Resolution
    tasks: list[Task]


def implementing_tasks(*, task: Task, visible: QuerySet[Task], on: date) -> list[PlanTasks]:
    """The tasks of `visible` that implement `task`, plan by plan (in the order the plans were
    issued), each with its facts on `on` (`status_class`, `current_due`) and `after_parent`
    (due after `task`). A fixed number of queries however many."""
    rows = (task_annotate_facts(visible.filter(implements_id=task.pk), on=on)
            .select_related("resolution", "resolution__owner_unit", "lead_unit")
            .order_by("resolution__issued_on", "resolution__number", "sort_key", "pk"))
    plans: dict[int, PlanTasks] = {}
    for child in rows:
        child.status_label = StatusClass(child.status_class).label if child.status_class else ""
        child.after_parent = deadline_after_parent(child, task)
        plans.setdefault(child.resolution_id, PlanTasks(child.resolution, [])).tasks.append(child)
    return list(plans.values())


# --- Coverage ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A task a unit has not broken down in its plan (`plan_id`: None when it has none)."""

    task_id: int
    unit_id: int
    resolution_id: int
    plan_id: int | None


def _plan_of(plans: dict[int, int], path: str) -> int | None:
    """The plan of the nearest unit, from the unit itself up, that owns one (`plans`:
    {owning unit: plan})."""
    for unit_id in reversed([int(part) for part in path.strip("/").split("/") if part]):
        if unit_id in plans:
            return plans[unit_id]
    return None


def coverage_gaps(*, tasks: QuerySet[Task], on: date) -> list[Gap]:
    """The tasks of `tasks` that a unit expected to break them down (see the module) has not,
    in programme order then by unit. A unit's plan is the one its own unit owns or, failing
    that, the nearest unit above it (a ministry's plan breaks down its departments' tasks).
    Six queries whatever the number of tasks, plans and units."""
    plans = defaultdict(dict)  # {implemented resolution: {owning unit: plan}}
    for pk, implements, owner in (Resolution.objects.order_by("issued_on", "pk")
                                  .filter(implements__isnull=False, owner_unit__isnull=False)
                                  .values_list("pk", "implements_id", "owner_unit_id")):
        plans[implements].setdefault(owner, pk)
    cascaded = set(Resolution.objects.order_by()
                   .filter(implemented_by__kind=Resolution.Kind.PLAN, is_tracked=True)
                   .values_list("pk", flat=True))
    if not cascaded:
        return []
    done = facts_of(tasks, days=[on]).filter(status__in=COMPLETED).values("task_id")
    rows = list(tasks.filter(resolution_id__in=cascaded).exclude(pk__in=done)
                .order_by("resolution__issued_on", "resolution_id", "sort_key", "pk")
                .values_list("pk", "resolution_id", "lead_unit_id", "lead_unit__kind",
                             "lead_unit__path"))
    collective = {lead for _pk, _r, lead, kind, _path in rows if kind == Unit.Kind.COLLECTIVE}
    members = defaultdict(list)
    for designation, member, path in (
            Unit.members.through.objects.order_by("to_unit__path")
            .filter(Q(to_unit__valid_to__isnull=True) | Q(to_unit__valid_to__gt=on),
                    from_unit_id__in=collective)
            .values_list("from_unit_id", "to_unit_id", "to_unit__path")):
        members[designation].append((member, path))
    broken_down = set(Task.objects.order_by().filter(
        implements_id__in=[row[0] for row in rows]).values_list("implements_id", "resolution_id"))
    gaps = []
    for pk, resolution_id, lead, _kind, path in rows:
        for body, body_path in (members[lead] if lead in collective else [(lead, path)]):
            plan = _plan_of(plans[resolution_id], body_path)
            if plan is None or (pk, plan) not in broken_down:
                gaps.append(Gap(pk, body, resolution_id, plan))
    return gaps


def coverage_by_unit(gaps: list[Gap]) -> list[dict]:
    """{"unit_id", "resolution_id", "plan_id", "count"} for each programme and unit of the
    gaps, most tasks first."""
    counts: dict[tuple, dict] = {}
    for gap in gaps:
        entry = counts.setdefault((gap.resolution_id, gap.unit_id), {
            "unit_id": gap.unit_id, "resolution_id": gap.resolution_id, "plan_id": gap.plan_id,
            "count": 0})
        entry["count"] += 1
    return sorted(counts.values(), key=lambda entry: -entry["count"])
