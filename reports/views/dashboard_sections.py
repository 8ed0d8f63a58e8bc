"""What each page of the dashboard shows, drawn from dashboard_overview's figures: the first
screen and the sections behind it. Each `draw_<page>` adds the URLs behind its numbers and its
charts, and returns its template's context; nothing here reads the database."""

from datetime import date

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import dmy
from indicators.status import TrackStatus
from tasks.rules import StatusClass

from .. import charts
from ..dashboard.compliance import RECEIVED
from ..dashboard.risk import AT_RISK, NO_TREND
from .dashboard_first import due_this_month, units_most_behind
from .dashboard_links import Links, pager, sort_links, within

STATUSES = [status.value for status in StatusClass]

#: Each page's title, for the page, its tab and its <title>.
TITLES = {
    "first": gettext_lazy("At a glance"),
    "groups": gettext_lazy("By task group and by resolution"),
    "units": gettext_lazy("Lead units"),
    "deadlines": gettext_lazy("Deadlines and overdue tasks"),
    "timeline": gettext_lazy("Deadlines and completion over time"),
    "compliance": gettext_lazy("Reporting compliance this period"),
    "clarity": gettext_lazy("The six clarities"),
    "indicators": gettext_lazy("Indicators of the resolutions"),
}

#: The same pages, shortly, for the row of tabs (one line on a laptop's screen).
TABS = {
    "first": gettext_lazy("At a glance"),
    "groups": gettext_lazy("Task groups"),
    "units": gettext_lazy("Lead units"),
    "deadlines": gettext_lazy("Deadlines"),
    "timeline": gettext_lazy("Over time"),
    "compliance": gettext_lazy("Reporting"),
    "clarity": gettext_lazy("Six clarities"),
    "indicators": gettext_lazy("Indicators"),
}


def _labels() -> dict[str, str]:
    return {status.value: str(status.label) for status in StatusClass}


def _headline(data: dict, links: Links) -> None:
    headline = data["headline"]
    for status, entry in headline["classes"].items():
        entry["url"] = links.tasks(status=status)
        entry["label"] = StatusClass(status).label
    headline["url"] = links.tasks()
    headline["at_risk_url"] = links.at_risk(at_risk=AT_RISK)
    headline["no_trend_url"] = links.at_risk(at_risk=NO_TREND)


def draw_first(data: dict, links: Links, filters, today: date, request_get) -> dict:
    """The first screen: the four classes and their change, the units most behind, what falls
    due this month."""
    _headline(data, links)
    _indicator_links(data["indicators"], links)
    data["proposals"]["url"] = reverse("proposal_register") + "?state=received&state=handling"
    return {"most_behind": units_most_behind(data, links),
            "due_month": due_this_month(data, links, filters, on=today),
            "units_url": links.to("units", sort="-overdue"),
            "deadlines_url": links.to("deadlines")}


def draw_groups(data: dict, links: Links, filters, today: date, request_get) -> dict:
    _headline(data, links)
    for kind in ("group", "resolution"):
        for entry in data[f"by_{kind}"]:
            key = {kind: entry[kind].pk}
            if kind == "group":
                key["resolution"] = None
            entry["url"] = links.tasks(**key)
            for status in STATUSES:
                entry["classes"][status]["url"] = links.tasks(**key, status=status)
            entry["at_risk_url"] = links.at_risk(**key, at_risk=AT_RISK)
    labels = _labels()
    headline = data["headline"]
    status_chart = charts.status_bar_chart(
        {s: e["count"] for s, e in headline["classes"].items()}, labels,
        title=_("Tasks by status class on %(date)s") % {"date": dmy(headline["on"])})
    groups_chart = charts.group_progress_chart(
        [{"label": f"{e['group'].resolution.number} · {e['group'].number}. "
                   f"{e['group'].display_name}",
          "counts": {s: c["count"] for s, c in e["classes"].items()}}
         for e in data["by_group"]],
        title=_("Tasks of each group by status class"), labels=labels) \
        if data["by_group"] else ""
    return {"charts": {"status": mark_safe(status_chart), "groups": mark_safe(groups_chart)}}


def draw_units(data: dict, links: Links, filters, today: date, request_get) -> dict:
    for row in data["league"].rows:
        unit = {"lead_unit": row["unit_id"], "lead_unit_name": None}
        row["urls"] = {
            "tasks": links.tasks(**unit),
            "completed_on_time": links.tasks(**unit, status=StatusClass.COMPLETED_ON_TIME.value),
            "completed_late": links.tasks(**unit, status=StatusClass.COMPLETED_LATE.value),
            "overdue": links.tasks(**unit, status=StatusClass.OVERDUE.value),
            "at_risk": links.at_risk(**unit, at_risk=AT_RISK),
            "missing": links.reports(**unit, role="lead", received="no"),
        }
    return {
        "league_sort_links": sort_links(
            links, "sort", data["league"].sort,
            ["unit", "tasks", "on_time", "late", "overdue", "at_risk", "missing"]),
        "pager": pager(links, request_get, "units_page", "sort", data["league"]),
    }


def draw_deadlines(data: dict, links: Links, filters, today: date, request_get) -> dict:
    deadline_links = []
    for days, horizon in zip(data["deadlines"], data["horizons"], strict=True):
        span = within(filters, today, horizon)
        deadline_links.append({
            "days": days, "count": data["deadlines"][days], "until": horizon,
            "url": links.tasks(status=StatusClass.IN_PROGRESS.value,
                               deadline_from=dmy(span[0]), deadline_to=dmy(span[1]),
                               ordering="deadline") if span else "",
        })
    return {"deadline_links": deadline_links,
            "overdue_url": links.tasks(status=StatusClass.OVERDUE.value, ordering="deadline")}


def draw_timeline(data: dict, links: Links, filters, today: date, request_get) -> dict:
    for line in data["timeline"]["lines"]:
        for cell in line["cells"]:
            span = within(filters, cell["month"], cell["end"])
            cell["url"] = links.tasks(group=line["group"].pk, resolution=None,
                                      deadline_from=dmy(span[0]),
                                      deadline_to=dmy(span[1])) if span else ""
    for month in data["trend"]:
        for status, key in ((StatusClass.COMPLETED_ON_TIME, "on_time"),
                            (StatusClass.COMPLETED_LATE, "late")):
            month[f"{key}_url"] = links.tasks(status=status.value,
                                              completed_from=dmy(month["month"]),
                                              completed_to=dmy(month["end"]))
    labels = _labels()
    timeline = charts.deadline_timeline_chart(
        data["timeline"], labels=labels, title=_("Deadlines by task group and month")) \
        if data["by_group"] else ""
    trend = charts.completion_trend_chart(
        data["trend"], title=_("Tasks completed each month"),
        on_time=labels[StatusClass.COMPLETED_ON_TIME], late=labels[StatusClass.COMPLETED_LATE],
        share=_("Share of the tasks completed by the end of the month"))
    return {"charts": {"timeline": mark_safe(timeline), "trend": mark_safe(trend)}}


def draw_compliance(data: dict, links: Links, filters, today: date, request_get) -> dict:
    data["compliance"]["urls"] = {received: links.reports(received=received)
                                  for received in RECEIVED}
    for row in data["compliance"]["page"].rows:
        row["urls"] = {received: links.reports(received=received, reporting_unit=row["unit_id"])
                       for received in RECEIVED}
        row["tasks_url"] = links.tasks(unit=row["unit_id"])
    return {
        "compliance_sort_links": sort_links(
            links, "compliance_sort", data["compliance"]["page"].sort,
            ["unit", "expected", "received", "on_time", "missing", "received_rate",
             "on_time_rate"]),
        "pager": pager(links, request_get, "compliance_page", "compliance_sort",
                       data["compliance"]["page"]),
    }


def draw_clarity(data: dict, links: Links, filters, today: date, request_get) -> dict:
    clarity = data["clarity"]
    clarity["rows"] = [{"clarity": item, "count": count, "url": links.tasks(clarity=item.value)}
                       for item, count in clarity["counts"].items()]
    clarity["url"] = links.tasks(clarity="any")
    return {}


def _indicator_links(indicators: dict, links: Links) -> None:
    """Each indicator's page (its status on the dashboard's day) and the section's link."""
    indicators["url"] = links.to("indicators")
    indicators["list_url"] = reverse("indicators:list")
    labels = {status.value: str(status.label) for status in TrackStatus}
    indicators["labelled"] = [{"status": status, "label": labels[status], "count": count}
                              for status, count in indicators["counts"]]
    for row in indicators["rows"]:
        row["url"] = reverse("indicators:detail", args=[row["pk"]])
        row["label"] = labels[row["status"]]


def draw_indicators(data: dict, links: Links, filters, today: date, request_get) -> dict:
    """The indicators: how many stand in each track status, then each one, off track first."""
    _indicator_links(data["indicators"], links)
    return {}


DRAW = {"first": draw_first, "groups": draw_groups, "units": draw_units,
        "deadlines": draw_deadlines, "timeline": draw_timeline,
        "compliance": draw_compliance, "clarity": draw_clarity,
        "indicators": draw_indicators}


def tabs(links: Links, current: str) -> list[dict]:
    """The pages of the dashboard, the filters kept, the current one marked; the at-risk list
    closes the row."""
    rows = [{"title": TABS["first"], "url": links.to("dashboard"),
             "current": current == "first"}]
    rows += [{"title": TABS[name], "url": links.to(name), "current": current == name}
             for name in TABS if name != "first"]
    rows.append({"title": _("At risk"), "url": links.at_risk(at_risk=AT_RISK),
                 "current": current == "at_risk"})
    return rows

