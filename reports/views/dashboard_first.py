"""The figures of the dashboard's first screen that reports.dashboard does not give as such:
the units most behind and what falls due this month, read from dashboard_overview's output
(so they cost no query of their own and are cached with it). Each is one function, to be
replaced by a figure of reports.dashboard when it offers one."""

from datetime import date

from core.text import dmy
from tasks.deadlines import month_end
from tasks.rules import StatusClass

from .dashboard_links import Links, within

#: Units named on the first screen, and tasks due this month named there.
MOST_BEHIND = 5
DUE_NAMED = 5


def units_most_behind(data: dict, links: Links, *, size: int = MOST_BEHIND) -> list[dict]:
    """The lead units with the most tasks overdue or at risk (both together; then the most
    overdue, then by name), those with none left out: [{"unit_id", "name", "overdue",
    "at_risk", "behind", "urls": {"tasks", "overdue", "at_risk"}}]."""
    rows = []
    for unit_id, row in data["unit_rows"].items():
        overdue, at_risk = row["now_overdue"], row["at_risk"]
        if not overdue + at_risk:
            continue
        rows.append({"unit_id": unit_id, "name": data["units"][unit_id]["name"],
                     "overdue": overdue, "at_risk": at_risk, "behind": overdue + at_risk})
    rows.sort(key=lambda row: (-row["behind"], -row["overdue"], row["name"].lower()))
    rows = rows[:size]
    for row in rows:
        unit = {"lead_unit": row["unit_id"], "lead_unit_name": None}
        row["urls"] = {
            "tasks": links.tasks(**unit),
            "overdue": links.tasks(**unit, status=StatusClass.OVERDUE.value,
                                   ordering="deadline"),
            "at_risk": links.at_risk(**unit, at_risk="yes"),
        }
    return rows


def due_this_month(data: dict, links: Links, filters, *, on: date,
                   size: int = DUE_NAMED) -> dict:
    """The tasks in progress whose due date falls from `on` to the end of its month: how many
    (the deadline timeline's cell of this month), the first `size` of them by due date, and the
    task list of them all ("url", "" when the page's deadline filter excludes this month)."""
    until = month_end(on.year, on.month)
    this_month = on.replace(day=1)
    count = sum(cell["counts"][StatusClass.IN_PROGRESS.value]
                for line in data["timeline"]["lines"] for cell in line["cells"]
                if cell["month"] == this_month)
    tasks = [task for task in data["lists"]["upcoming"]
             if task.current_due and task.current_due <= until][:size]
    span = within(filters, on, until)
    return {"count": count, "until": until, "tasks": tasks,
            "url": links.tasks(status=StatusClass.IN_PROGRESS.value, deadline_from=dmy(span[0]),
                               deadline_to=dmy(span[1]), ordering="deadline") if span else ""}

