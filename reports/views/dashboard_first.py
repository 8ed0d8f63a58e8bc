"""The links of the dashboard's first screen: the units most behind and what falls due this
month, as reports.dashboard.first counts them."""

from datetime import date

from core.text import dmy
from tasks.rules import StatusClass

from .dashboard_links import Links, within


def units_most_behind(data: dict, links: Links) -> list[dict]:
    """The units most behind (reports.dashboard.first), each with the links to its tasks:
    "urls": {"tasks", "overdue", "at_risk"}."""
    rows = data["most_behind"]
    for row in rows:
        unit = {"lead_unit": row["unit_id"], "lead_unit_name": None}
        row["urls"] = {
            "tasks": links.tasks(**unit),
            "overdue": links.tasks(**unit, status=StatusClass.OVERDUE.value,
                                   ordering="deadline"),
            "at_risk": links.at_risk(**unit, at_risk="yes"),
        }
    return rows


def due_this_month(data: dict, links: Links, filters, *, on: date) -> dict:
    """The tasks in progress due from `on` to the end of its month (reports.dashboard.first),
    and the task list of them all ("url", "" when the page's deadline filter excludes this
    month)."""
    due = dict(data["due_month"])
    span = within(filters, on, due["until"])
    due["url"] = links.tasks(status=StatusClass.IN_PROGRESS.value, deadline_from=dmy(span[0]),
                             deadline_to=dmy(span[1]), ordering="deadline") if span else ""
    return due
