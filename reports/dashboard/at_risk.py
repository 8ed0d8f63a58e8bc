"""The list of tasks at risk (or that cannot be forecast), most at risk first."""

from datetime import date

from django.db.models import QuerySet

from tasks.deadlines import ONE_OFF_KINDS
from tasks.models import Task

from . import plain
from .figures import with_status
from .risk import AT_RISK, AT_RISK_LIST_SQL, forecast_annotations, risk_params, risk_periods
from .sql import compose, fetch_dicts


def at_risk_tasks(tasks: QuerySet[Task], *, on: date, which: str = AT_RISK, limit: int = 50,
                  offset: int = 0, classified: bool = False,
                  ) -> tuple[int, list[tuple[int, float | None, float | None]]]:
    """The tasks of `tasks` at risk on `on` (or, with `which=NO_TREND`, those in progress that
    cannot be forecast), most at risk first: (how many in all, a page of (task id, projected
    percent at the due date, latest approved percent)). `classified`: see figures.with_status.
    One query, and one for the periods."""
    if tasks.query.is_empty():
        return 0, []
    if not plain.uses_sql():
        return plain.at_risk_tasks(tasks, on=on, which=which, limit=limit, offset=offset)

    source = with_status(tasks, on=on, classified=classified).annotate(
        **forecast_annotations()).order_by().values(
        "id", "lead_unit_id", "resolution_id", "sort_key", "deadline_kind", "status_class",
        "current_due", "start")
    condition = "risk.projected < 100" if which == AT_RISK else "risk.projected IS NULL"
    sql, params = compose(AT_RISK_LIST_SQL.replace("{condition}", condition),
                          querysets={"tasks": source},
                          values={**risk_params(periods=risk_periods(on=on)),
                                  "one_off": sorted(ONE_OFF_KINDS), "limit": limit,
                                  "offset": offset})
    rows = fetch_dicts(sql, params)
    if not rows and offset:
        return at_risk_tasks(tasks, on=on, which=which, limit=1, offset=0,
                             classified=classified)[0], []
    total = rows[0]["total"] if rows else 0
    return total, [(row["id"], row["projected"], row["latest"]) for row in rows]
