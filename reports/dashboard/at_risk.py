"""The list of tasks at risk (or that cannot be forecast), most at risk first."""

from datetime import date

from django.db.models import Q, QuerySet

from tasks.models import Task

from .facts import task_facts
from .risk import AT_RISK


def at_risk_tasks(tasks: QuerySet[Task], *, on: date, which: str = AT_RISK, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[tuple[int, float | None, float | None]]]:
    """The tasks of `tasks` at risk on `on` (or, with `which=NO_TREND`, those in progress that
    cannot be forecast), most at risk first: (how many in all, a page of (task id, projected
    percent at the due date, latest approved percent)). Two queries, read from the facts."""
    if tasks.query.is_empty():
        return 0, []
    condition = (Q(projected__lt=100) if which == AT_RISK
                 else Q(forecast=True, projected__isnull=True))
    facts = task_facts(tasks, days=[on]).filter(condition, day=on)
    total = facts.count()
    rows = list(facts.order_by("projected", "current_due", "resolution_id", "sort_key",
                               "task_id").values_list("task_id", "projected", "latest")
                [offset:offset + limit])
    return total, rows
