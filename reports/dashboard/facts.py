"""The per-task facts the dashboard reads, complete for the days asked.

tasks.facts computes a task's missing rows; checking that none is missing costs one anti-join
over the tasks, so on PostgreSQL it is skipped while the data version (cache.py) has not moved
since the last check of that day: every change that deletes rows raises the version.
"""

import logging
from datetime import date

from django.core.cache import cache
from django.db.models import QuerySet

from tasks.facts import facts_fill
from tasks.models import Task, TaskFacts

from .cache import TIMEOUT, key_for

logger = logging.getLogger(__name__)


def facts_complete(*, day: date) -> None:
    """Every task's facts on `day` are stored (computed now for the tasks that lack them).

    Only a check that found nothing missing is remembered: rows added now may yet be rolled
    back with the transaction, so the next reader checks again.
    """
    key = key_for("facts-complete", {"day": day})
    try:
        if key and cache.get(key):
            return
    except Exception:  # the cache is an optimisation
        logger.warning("dashboard cache unavailable", exc_info=True)
        key = None
    if facts_fill(day=day) == 0 and key:
        try:
            cache.set(key, 1, TIMEOUT)
        except Exception:
            logger.warning("dashboard cache unavailable", exc_info=True)


def task_facts(tasks: QuerySet[Task], *, days: list[date]) -> QuerySet[TaskFacts]:
    """The facts on `days` of the tasks of `tasks` (any filtered task queryset)."""
    for day in dict.fromkeys(days):
        facts_complete(day=day)
    facts = TaskFacts.objects.filter(day__in=days)
    if tasks.query.where or tasks.query.is_sliced:  # a filtered selection, not every task
        facts = facts.filter(task_id__in=tasks.order_by().values("pk"))
    return facts
