"""Computing the per-task facts, for any number of tasks at once.

The status, due dates and six clarities are the set-based rules of tasks.selectors (the twins of
tasks.rules, tested to agree); the forecast is added by whoever registered a forecaster (the
reports app: it owns the reports the forecast reads).

Database triggers (migrations tasks 0012 and reports 0011) delete a task's rows whenever
anything they are computed from changes, however it is written, and list the task as stale
(TaskFactsStale); a new task is listed too. Before a figure is read, the stale tasks' rows are
computed again for every stored day (TaskFactsDay) and the list is cleared: the work is that of
the tasks changed, not of the whole programme. A day not stored yet is computed whole (the
nightly job does it for the new day before anyone reads it).

On PostgreSQL one computation runs at a time (an exclusive advisory lock, held until its
transaction ends), and a change never waits for one (tasks 0015): its trigger skips the rows a
computation holds and lists the task stale in any case, so a row computed from data that a
concurrent change has just replaced is computed again before the next figure is read. A reader's
computation waits for no change either (READER_LOCK_TIMEOUT): when a change holds what it needs,
it reads what is stored, and the writer's own settling, after its commit, computes the rest.
"""

import contextvars
import logging
import time
from collections.abc import Callable
from datetime import date

from django.db import OperationalError, connection, transaction
from django.db.models import Count, DateField, Exists, F, FilteredRelation, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .facts_table import TaskFacts, TaskFactsDay, TaskFactsStale
from .models import Task
from .rules import Clarity, StatusClass, task_clarity_gaps, task_due_dates, task_status_class
from .selectors import task_annotate_clarity_gaps, task_annotate_status

logger = logging.getLogger(__name__)

#: The advisory lock the fills take exclusive and the triggers shared (any fixed number).
FACTS_LOCK = 720282

CLARITIES = [clarity.value for clarity in Clarity]

#: Functions called with (day=, facts=[TaskFacts, ...]) before new rows are stored, to fill
#: the forecast columns.
FORECASTERS: list[Callable] = []


def register_forecaster(function: Callable) -> None:
    if function not in FORECASTERS:
        FORECASTERS.append(function)


#: How long a reader tries for the lock before it reads what is stored (see _lock).
READER_WAIT = (40, 0.05)


def _lock(*, wait: bool = True) -> bool:
    """Take the computations' lock (exclusive, until the transaction ends); True when held.

    A reader (`wait=False`) never blocks on it: its transaction may hold the triggers' shared
    lock already (a request that wrote, then reads), and two such waiting for each other would
    deadlock. It tries for a moment, then gives up: what is stored is read as it is, and the
    writer's own settling, after its commit, computes what is missing."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FACTS_LOCK])
            return True
        tries, pause = READER_WAIT
        for _ in range(tries):
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FACTS_LOCK])
            if cursor.fetchone()[0]:
                return True
            time.sleep(pause)
    logger.warning("per-task facts busy: read as stored")
    return False


#: How long a reader's computation waits for a row a change holds, before it reads what is
#: stored instead (a writing request that reads after its writes must never wait for a writer
#: that waits for it).
READER_LOCK_TIMEOUT = "200ms"


def _computed(ids: QuerySet | list[int], *, day: date) -> list[TaskFacts]:
    """The facts on `day` of the tasks `ids` (a few ids as a list, many as a queryset)."""
    rows = (task_annotate_clarity_gaps(task_annotate_status(
        Task.objects.filter(pk__in=ids), on=day))
        .annotate(start=Coalesce("resolution__issued_on", TruncDate("created_at"),
                                 output_field=DateField()))
        .order_by().values("id", "resolution_id", "group_id", "lead_unit_id", "sort_key",
                           "deadline_kind", "completed_on", "start", "status_class",
                           "current_due", "missed_due", *[f"lacks_{c}" for c in CLARITIES]))
    facts = []
    for row in (rows if isinstance(ids, list) else rows.iterator(chunk_size=2000)):
        lacks = {f"lacks_{c}": bool(row[f"lacks_{c}"]) for c in CLARITIES}
        facts.append(TaskFacts(
            task_id=row["id"], day=day, resolution_id=row["resolution_id"],
            group_id=row["group_id"], lead_unit_id=row["lead_unit_id"],
            sort_key=row["sort_key"], deadline_kind=row["deadline_kind"],
            completed_on=row["completed_on"], start=row["start"], status=row["status_class"],
            current_due=row["current_due"], missed_due=row["missed_due"], **lacks,
            not_clear=any(lacks.values())))
    return facts


def _computed_by_rules(ids: list[int], *, days) -> dict:
    """{day: [TaskFacts]} of the tasks `ids` on each of `days`, by the one-task rules
    (tasks.rules): a few queries for a few tasks, where the set-based statement costs its
    compilation. The tests require both to give the same rows."""
    tasks = list(Task.objects.filter(pk__in=ids).select_related("resolution", "lead_unit")
                 .prefetch_related("occurrence_completions", "outputs", "coordinating_units",
                                   "lead_unit__members"))
    result = {}
    for day in days:
        result[day] = facts = []
        for task in tasks:
            status = task_status_class(task=task, on=day)
            current_due, missed_due = task_due_dates(task=task, status=status, on=day)
            gaps = {gap.value for gap in task_clarity_gaps(task=task)}
            facts.append(TaskFacts(
                task_id=task.pk, day=day, resolution_id=task.resolution_id,
                group_id=task.group_id, lead_unit_id=task.lead_unit_id,
                sort_key=task.sort_key, deadline_kind=task.deadline_kind,
                completed_on=task.completed_on,
                start=task.resolution.issued_on or timezone.localtime(task.created_at).date(),
                status=status.value, current_due=current_due, missed_due=missed_due,
                **{f"lacks_{c}": c in gaps for c in CLARITIES}, not_clear=bool(gaps)))
    return result


#: Up to how many stale tasks are computed again by the one-task rules.
FEW = 200


def _store(facts: list[TaskFacts], *, day: date) -> None:
    for forecaster in FORECASTERS:
        forecaster(day=day, facts=facts)
    TaskFacts.objects.bulk_create(facts, batch_size=2000, ignore_conflicts=True)


def _refresh_stale() -> int:
    """Compute again, for every stored day, the rows of the tasks the triggers listed as
    stale, and clear the list (under the lock); how many rows."""
    stale = list(TaskFactsStale.objects.values_list("pk", "task_id"))
    if not stale:
        return 0
    ids = sorted({task_id for _pk, task_id in stale})
    days = list(TaskFactsDay.objects.values_list("day", flat=True))
    by_rules = _computed_by_rules(ids, days=days) if len(ids) <= FEW else {}
    computed = 0
    for day in days:
        TaskFacts.objects.filter(day=day, task_id__in=ids).delete()
        facts = by_rules[day] if by_rules else _computed(ids, day=day)
        _store(facts, day=day)
        computed += len(facts)
    TaskFactsStale.objects.filter(pk__in=[pk for pk, _task in stale]).delete()
    return computed


def facts_settle() -> int:
    """Compute again the rows of the tasks a change has just listed as stale, so that the
    change, not the next reader, pays for them: called after every request that may have
    written and after every job (config.middleware.FactsSettleMiddleware, tasks.apps). A
    reader still settles whatever a write outside those left behind (facts_fill). How many
    rows were computed; one small query when nothing is stale."""
    if not TaskFactsStale.objects.exists():
        return 0
    with transaction.atomic():
        _lock()
        return _refresh_stale()


#: What runs once a write's facts are settled (writes_settled), registered by higher apps.
AFTER_SETTLE: list[Callable] = []


def register_after_settle(function: Callable) -> None:
    """`function()` runs after every write's facts are settled (the dashboard draws its first
    screen again: the writer, not the next reader, pays for the change)."""
    if function not in AFTER_SETTLE:
        AFTER_SETTLE.append(function)


def writes_settled() -> None:
    """After a request that wrote or a job: the facts of what changed (facts_settle), then what
    the apps registered (register_after_settle). Failures are logged, never raised: the next
    reader settles and computes whatever is left."""
    try:
        facts_settle()
        for function in AFTER_SETTLE:
            function()
    except Exception:
        logger.warning("settling after a write failed; the next reader will", exc_info=True)


#: The days found complete during a request that writes nothing (a GET): read once, not
#: again by each figure of the page (config.middleware.FactsSettleMiddleware sets it).
_COMPLETE_IN_READ: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "facts_complete_in_read", default=None)


def reading_request():
    """For the duration of a request that writes nothing: each day's facts are made complete
    once (facts_fill), then read as they are by every figure of the page. Returns the token to
    give back to end_reading_request."""
    return _COMPLETE_IN_READ.set(set())


def end_reading_request(token) -> None:
    _COMPLETE_IN_READ.reset(token)


def facts_fill(*, day: date, wait: bool = False) -> int | None:
    """Make the facts on `day` complete: the stale tasks' rows computed again, and on a day not
    stored yet every task's; how many rows were computed (0: nothing was missing, at the cost
    of one small query; None: another computation held the lock, so nothing was computed;
    `wait`: wait for it instead, as the nightly job does)."""
    complete = _COMPLETE_IN_READ.get()
    if complete is not None and day in complete:
        return 0
    added = _facts_fill(day=day, wait=wait)
    if complete is not None and added is not None:
        complete.add(day)
    return added


def _facts_fill(*, day: date, wait: bool = False) -> int | None:
    """facts_fill, every time it is asked."""
    if _complete(day):
        return 0
    try:
        with transaction.atomic():
            if not _lock(wait=wait):
                return None
            bounded = not wait and connection.vendor == "postgresql"
            if bounded:
                _set_lock_timeout(READER_LOCK_TIMEOUT)
            added = _fill(day=day)
            if bounded:
                _set_lock_timeout("DEFAULT")
            return added
    except OperationalError:  # lock_timeout, or a deadlock PostgreSQL broke
        if wait:
            raise
        logger.warning("per-task facts held by a change: read as stored", exc_info=True)
        return None


def _complete(day: date) -> bool:
    """Whether the facts of `day` are stored and no task is stale, in one small query (every
    page asks it)."""
    stale = (TaskFactsDay.objects.filter(day=day)
             .values_list(Exists(TaskFactsStale.objects.all()), flat=True).first())
    return stale is False


def _set_lock_timeout(value: str) -> None:
    """For the rest of the transaction (reset by a rollback to the savepoint)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = {value if value == 'DEFAULT' else repr(value)}")


def _fill(*, day: date) -> int:
    added = _refresh_stale()
    if not TaskFactsDay.objects.filter(day=day).exists():
        missing = Task.objects.order_by().exclude(
            pk__in=TaskFacts.objects.filter(day=day).values("task_id")).values("pk")
        facts = _computed(missing, day=day)
        _store(facts, day=day)
        TaskFactsDay.objects.get_or_create(day=day)
        added += len(facts) or 1  # a day of no task is stored too
        _analyze()
    return added


def _analyze() -> None:
    """Tell PostgreSQL's planner how the rows are spread once a whole day came or went: it
    would otherwise plan a new day's lists as if the day had no rows (a nested loop over
    every overdue task: tens of milliseconds instead of one)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TaskFacts._meta.db_table}")


def facts_of(tasks: QuerySet[Task], *, days: list[date]) -> QuerySet[TaskFacts]:
    """The facts of the tasks of `tasks` on `days`, every missing row computed first."""
    for day in dict.fromkeys(days):
        facts_fill(day=day)
    return TaskFacts.objects.filter(day__in=days, task_id__in=tasks.order_by().values("pk"))


def task_annotate_facts(queryset: QuerySet[Task], *, on: date) -> QuerySet[Task]:
    """The tasks with their facts on `on` (every missing row computed first), under the names
    tasks.selectors.task_annotate_status and task_annotate_clarity_gaps give them, so that
    TaskFilter filters and orders them alike: `status_class`, `current_due`, `missed_due` and
    `lacks_<clarity>`.

    The facts are joined by task and day (one row at most: a unique pair), so a list reads the
    stored figure instead of classifying every task again, PostgreSQL plans with the real
    distribution of the stored classes; filtered by status class and ordered by deadline, a list
    reads its page from the index of the day's due dates. The join is an outer one, which
    PostgreSQL drops when nothing reads it (a count, the programme's order): a task whose rows a
    concurrent change deleted a moment ago carries None until the next read.
    """
    facts_fill(day=on)
    return queryset.annotate(
        day_facts=FilteredRelation("facts", condition=Q(facts__day=on)),
    ).annotate(
        status_class=F("day_facts__status"), current_due=F("day_facts__current_due"),
        missed_due=F("day_facts__missed_due"),
        **{f"lacks_{clarity}": F(f"day_facts__lacks_{clarity}") for clarity in CLARITIES},
    )


def facts_forget(*, keep: list[date]) -> int:
    """Delete the facts of every day but `keep` (the nightly job keeps today's and the last
    cut-off's; another day is computed again when asked for); how many rows went."""
    with transaction.atomic():
        _lock()
        TaskFactsDay.objects.exclude(day__in=keep).delete()
        forgotten = TaskFacts.objects.exclude(day__in=keep).delete()[0]
        if forgotten:
            _analyze()
        return forgotten


def task_status_counts(*, tasks: QuerySet[Task], on: date) -> dict:
    """How many of `tasks` are in each status class on `on`, and what share of them, read from
    the per-task facts (tasks.facts): one grouped query over narrow rows, however many tasks.
    `tasks` may be filtered in any way (joins included: each task counts once).

    Returns {"on": on, "total": n, "counts": {class: n}, "percentages": {class: p}}, every class
    present, percentages rounded to one decimal (0.0 when there are no tasks).
    """
    rows = facts_of(tasks, days=[on]).order_by().values("status").annotate(count=Count("pk"))
    counts = dict.fromkeys(StatusClass.values, 0)
    counts.update({row["status"]: row["count"] for row in rows})
    total = sum(counts.values())
    return {
        "on": on,
        "total": total,
        "counts": counts,
        "percentages": {value: round(100 * count / total, 1) if total else 0.0
                        for value, count in counts.items()},
    }
