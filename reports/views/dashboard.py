"""The leadership dashboard and the lists behind its numbers that the task list cannot show
(tasks at risk, reports missing this period). Thin: the figures come from reports.dashboard."""

from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.text import dmy
from tasks.filters import TaskFilter
from tasks.models import Task
from tasks.rules import StatusClass
from tasks.selectors import task_annotate_status, task_list_visible_to
from tasks.views.listing import lead_unit_choice
from units.models import Unit

from .. import charts, permissions
from ..dashboard import (
    RISK_PERIODS,
    at_risk_tasks,
    dashboard_overview,
    expected_reports_list,
)
from ..dashboard.cache import cached
from ..dashboard.compliance import RECEIVED
from ..dashboard.overview import overview_parts
from ..dashboard.risk import AT_RISK, NO_TREND
from ..periods import period_for_date

#: The query parameters that choose tasks (TaskFilter's), kept on every link of the page.
TASK_PARAMS = ("q", "resolution", "group", "lead_unit", "lead_unit_name", "coordinating_unit",
               "unit", "status", "overdue", "deadline_from", "deadline_to", "clarity")
LIST_PAGE = 50


def _allowed(request):
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for leadership, the secretariat and unit "
                                 "leaders."))


def _scope_path(user) -> str:
    return "/" if user.sees_all_units else user.unit.path


class Links:
    """URLs to the lists behind the numbers: the page's filters plus the number's own.

    A page has a thousand of them: the paths are reversed once and the query strings built from
    plain pairs."""

    def __init__(self, request):
        self.base: dict[str, list[str]] = {}
        for name in TASK_PARAMS:
            values = [value for value in request.GET.getlist(name) if value]
            if values:
                self.base[name] = values
        self.paths = {"tasks": reverse("tasks:list"), "at_risk": reverse("dashboard_at_risk"),
                      "reports": reverse("dashboard_reports")}

    def query(self, **params) -> str:
        merged = dict(self.base)
        for name, value in params.items():
            if value is None:
                merged.pop(name, None)
            elif isinstance(value, list | tuple):
                merged[name] = [str(item) for item in value]
            else:
                merged[name] = [str(value)]
        return urlencode([(name, value) for name, values in merged.items()
                          for value in values])

    def tasks(self, **params) -> str:
        return f"{self.paths['tasks']}?{self.query(**params)}"

    def at_risk(self, **params) -> str:
        return f"{self.paths['at_risk']}?{self.query(**params)}"

    def reports(self, **params) -> str:
        return f"{self.paths['reports']}?{self.query(**params)}"

    def page(self, **params) -> str:
        return f"?{self.query(**params)}"


def _within(filters, start: date, end: date) -> tuple[date, date] | None:
    """The part of [start, end] inside the page's own deadline range (None if none)."""
    data = filters.form.cleaned_data if filters.is_bound and hasattr(
        filters.form, "cleaned_data") else {}
    low = max(start, data.get("deadline_from") or start)
    high = min(end, data.get("deadline_to") or end)
    return (low, high) if low <= high else None


def _filtered(request, today: date) -> TaskFilter:
    visible = task_list_visible_to(user=request.user)
    return TaskFilter(request.GET or None, queryset=task_annotate_status(visible, on=today),
                      request=request)


def _unit_choice(request) -> dict:
    """The unit filters (tasks.views.listing.lead_unit_choice); a removed filter also goes back
    to the first page of the dashboard's tables."""
    return lead_unit_choice(request, task_list_visible_to(user=request.user),
                            pagers=("page", "units_page", "compliance_page"))


def _int(request, name: str) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else 1


def _decorate(data: dict, links: Links, filters, today: date) -> None:
    """The URL behind every number of the page."""
    statuses = [status.value for status in StatusClass]
    headline = data["headline"]
    for status, entry in headline["classes"].items():
        entry["url"] = links.tasks(status=status)
        entry["label"] = StatusClass(status).label
    headline["url"] = links.tasks()
    headline["at_risk_url"] = links.at_risk(at_risk=AT_RISK)
    headline["no_trend_url"] = links.at_risk(at_risk=NO_TREND)
    for entry in data["by_group"]:
        entry["url"] = links.tasks(group=entry["group"].pk, resolution=None)
        for status in statuses:
            entry["classes"][status]["url"] = links.tasks(group=entry["group"].pk,
                                                          resolution=None, status=status)
        entry["at_risk_url"] = links.at_risk(group=entry["group"].pk, resolution=None,
                                             at_risk=AT_RISK)
    for entry in data["by_resolution"]:
        entry["url"] = links.tasks(resolution=entry["resolution"].pk)
        for status in statuses:
            entry["classes"][status]["url"] = links.tasks(resolution=entry["resolution"].pk,
                                                          status=status)
        entry["at_risk_url"] = links.at_risk(resolution=entry["resolution"].pk,
                                             at_risk=AT_RISK)
    for row in data["league"].rows:
        unit = row["unit_id"]
        row["urls"] = {
            "tasks": links.tasks(lead_unit=unit, lead_unit_name=None),
            "completed_on_time": links.tasks(lead_unit=unit, lead_unit_name=None,
                                             status=StatusClass.COMPLETED_ON_TIME.value),
            "completed_late": links.tasks(lead_unit=unit, lead_unit_name=None,
                                          status=StatusClass.COMPLETED_LATE.value),
            "overdue": links.tasks(lead_unit=unit, lead_unit_name=None,
                                   status=StatusClass.OVERDUE.value),
            "at_risk": links.at_risk(lead_unit=unit, lead_unit_name=None, at_risk=AT_RISK),
            "missing": links.reports(lead_unit=unit, lead_unit_name=None, role="lead",
                                     received="no"),
        }
    data["deadline_links"] = []
    for days, horizon in zip(data["deadlines"], data["horizons"], strict=True):
        span = _within(filters, today, horizon)
        data["deadline_links"].append({
            "days": days, "count": data["deadlines"][days], "until": horizon,
            "url": links.tasks(status=StatusClass.IN_PROGRESS.value,
                               deadline_from=dmy(span[0]), deadline_to=dmy(span[1]),
                               ordering="deadline") if span else "",
        })
    data["overdue_url"] = links.tasks(status=StatusClass.OVERDUE.value, ordering="deadline")
    for line in data["timeline"]["lines"]:
        for cell in line["cells"]:
            span = _within(filters, cell["month"], cell["end"])
            cell["url"] = links.tasks(group=line["group"].pk, resolution=None,
                                      deadline_from=dmy(span[0]),
                                      deadline_to=dmy(span[1])) if span else ""
    for month in data["trend"]:
        for status, key in ((StatusClass.COMPLETED_ON_TIME, "on_time"),
                            (StatusClass.COMPLETED_LATE, "late")):
            month[f"{key}_url"] = links.tasks(status=status.value,
                                              completed_from=dmy(month["month"]),
                                              completed_to=dmy(month["end"]))
    data["compliance"]["urls"] = {received: links.reports(received=received)
                                  for received in RECEIVED}
    for row in data["compliance"]["page"].rows:
        row["urls"] = {received: links.reports(received=received, reporting_unit=row["unit_id"])
                       for received in RECEIVED}
        row["tasks_url"] = links.tasks(unit=row["unit_id"])
    clarity = data["clarity"]
    clarity["rows"] = [{"clarity": item, "count": count, "url": links.tasks(clarity=item.value)}
                       for item, count in clarity["counts"].items()]
    clarity["url"] = links.tasks(clarity="any")


def _charts(data: dict) -> dict:
    """The SVG charts (markup built and escaped by reports/charts.py)."""
    labels = {status.value: str(status.label) for status in StatusClass}
    headline = data["headline"]
    on = dmy(headline["on"])
    return {
        "status": mark_safe(charts.status_bar_chart(
            {s: e["count"] for s, e in headline["classes"].items()}, labels,
            title=_("Tasks by status class on %(date)s") % {"date": on})),
        "groups": mark_safe(charts.group_progress_chart(
            [{"label": f"{e['group'].resolution.number} · {e['group'].number}. "
                       f"{e['group'].display_name}",
              "counts": {s: c["count"] for s, c in e["classes"].items()}}
             for e in data["by_group"]],
            title=_("Tasks of each group by status class"), labels=labels))
        if data["by_group"] else "",
        "timeline": mark_safe(charts.deadline_timeline_chart(
            data["timeline"], labels=labels,
            title=_("Deadlines by task group and month"))) if data["by_group"] else "",
        "trend": mark_safe(charts.completion_trend_chart(
            data["trend"], title=_("Tasks completed each month"),
            on_time=labels[StatusClass.COMPLETED_ON_TIME],
            late=labels[StatusClass.COMPLETED_LATE],
            share=_("Share of the tasks completed by the end of the month"))),
    }


@login_required
def dashboard(request):
    """Where the programme stands and who is behind, for the tasks the user may see, filtered
    by the URL; every number links to the tasks behind it.

    The page's body is drawn once per data version, filters, sorting, scope and language and
    cached (reports/dashboard/cache.py); only the frame and the filter form are drawn anew."""
    _allowed(request)
    today = timezone.localdate()
    period = period_for_date(on=today)
    filters = _filtered(request, today)
    scope = _scope_path(request.user)
    parts = {**overview_parts(tasks=filters.qs, on=today, period=period, scope_path=scope),
             "query": sorted((name, value) for name, values in request.GET.lists()
                             for value in values)}
    body = cached("page", parts, lambda: _body(request, filters, today, period, scope))
    return render(request, "reports/dashboard.html", {
        "body": mark_safe(body),  # drawn by our templates, every value escaped there
        "filters": filters, **_unit_choice(request),
    })


def _body(request, filters, today: date, period, scope: str) -> str:
    data = dashboard_overview(
        tasks=filters.qs, on=today, period=period, classified=True, scope_path=scope,
        league_sort=request.GET.get("sort", ""), league_page=_int(request, "units_page"),
        compliance_sort=request.GET.get("compliance_sort", ""),
        compliance_page=_int(request, "compliance_page"))
    links = Links(request)
    _decorate(data, links, filters, today)
    return render_to_string("reports/dashboard/body.html", {
        **data, "today": today, "charts": _charts(data), "risk_periods": RISK_PERIODS,
        "league_sort_links": _sort_links(
            links, "sort", data["league"].sort, ["unit", "tasks", "on_time", "late", "overdue",
                                                 "at_risk", "missing"], keep=request.GET,
            page="units_page"),
        "compliance_sort_links": _sort_links(
            links, "compliance_sort", data["compliance"]["page"].sort,
            ["unit", "expected", "received", "on_time", "missing", "received_rate",
             "on_time_rate"], keep=request.GET, page="compliance_page"),
        "pager": {"units": _pager(links, request.GET, "units_page", data["league"]),
                  "compliance": _pager(links, request.GET, "compliance_page",
                                       data["compliance"]["page"])},
    }, request=request)


def _kept(request_get, *names) -> dict:
    return {name: request_get.get(name) for name in names if request_get.get(name)}


def _sort_links(links: Links, param: str, current: str, columns: list[str], *, keep,
                page: str) -> dict:
    """For each sortable column: the URL sorting by it (numbers largest first, names A to Z;
    the other way round when already so sorted), and whether and how the table is sorted."""
    others = _kept(keep, "sort", "compliance_sort", "units_page", "compliance_page")
    others.pop(param, None)
    others.pop(page, None)
    result = {}
    for column in columns:
        descending = current == f"-{column}"
        ascending = current == column
        if column == "unit":
            target = f"-{column}" if ascending else column
        else:
            target = column if descending else f"-{column}"
        result[column] = {"url": links.page(**others, **{param: target}),
                          "sorted": "descending" if descending else
                          "ascending" if ascending else ""}
    return result


def _pager(links: Links, request_get, param: str, page) -> dict:
    others = _kept(request_get, "sort", "compliance_sort", "units_page", "compliance_page")
    others.pop(param, None)
    return {
        "previous": links.page(**others, **{param: page.number - 1})
        if page.has_previous else "",
        "next": links.page(**others, **{param: page.number + 1}) if page.has_next else "",
    }


# --- The lists behind the numbers that the task list cannot show -------------------------------


def _listing(request, *, count: int, rows: list, page: int, title: str, template_extra: dict):
    pages = max(1, -(-count // LIST_PAGE))
    links = Links(request)
    keep = {name: request.GET.get(name) for name in ("at_risk", "received", "role",
                                                     "reporting_unit") if request.GET.get(name)}
    return {
        "title": title, "rows": rows, "count": count, "page": page, "pages": pages,
        "previous": links.page(**keep, page=page - 1) if page > 1 else "",
        "next": links.page(**keep, page=page + 1) if page < pages else "",
        "dashboard_url": f"{reverse('dashboard')}?{links.query()}",
        "tasks_url": links.tasks(), **template_extra,
    }


def _tasks_by_id(ids, today: date) -> dict[int, Task]:
    tasks = {task.pk: task for task in task_annotate_status(
        Task.objects.filter(pk__in=list(ids)), on=today)
        .select_related("resolution", "group", "lead_unit")}
    for task in tasks.values():
        task.status_label = StatusClass(task.status_class).label
        if task.current_due:
            task.days_left = (task.current_due - today).days
        if task.missed_due:
            task.days_overdue = (today - task.missed_due).days
    return tasks


@login_required
def at_risk_list(request):
    """The tasks at risk (or, `at_risk=no_trend`, in progress with no approved report to go
    by), most at risk first, for the dashboard's filters."""
    _allowed(request)
    today = timezone.localdate()
    filters = _filtered(request, today)
    which = NO_TREND if request.GET.get("at_risk") == NO_TREND else AT_RISK
    page = _int(request, "page")
    count, found = at_risk_tasks(filters.qs, on=today, which=which, classified=True,
                                 limit=LIST_PAGE, offset=(page - 1) * LIST_PAGE)
    tasks = _tasks_by_id([pk for pk, _p, _l in found], today)
    rows = [{"task": tasks[pk], "projected": None if projected is None else round(projected),
             "latest": None if latest is None else round(latest)}
            for pk, projected, latest in found]
    title = (_("Tasks at risk") if which == AT_RISK
             else _("Tasks in progress with no trend to forecast"))
    return render(request, "reports/dashboard_at_risk.html", _listing(
        request, count=count, rows=rows, page=page, title=title,
        template_extra={"which": which, "risk_periods": RISK_PERIODS, "filters": filters,
                        "no_trend_url": Links(request).at_risk(at_risk=NO_TREND),
                        "today": today, **_unit_choice(request)}))


REPORT_LIST_TITLES = {
    "no": gettext_lazy("Reports not received this period"),
    "yes": gettext_lazy("Reports received this period"),
    "on_time": gettext_lazy("Reports received on time this period"),
    "any": gettext_lazy("Reports expected this period"),
}


@login_required
def reports_list(request):
    """This period's expected reports, for the dashboard's filters: those not received yet
    (`received=no`, the default), received (`yes`), received on time (`on_time`) or all
    (`any`); every reporting unit's, the leads' only (`role=lead`) or one unit's
    (`reporting_unit=<id>`)."""
    _allowed(request)
    today = timezone.localdate()
    period = period_for_date(on=today)
    filters = _filtered(request, today)
    received = request.GET.get("received", "no")
    received = received if received in RECEIVED else "no"
    unit_value = request.GET.get("reporting_unit", "")
    reporting_unit = Unit.objects.filter(pk=unit_value).first() if unit_value.isdigit() else None
    lead_only = request.GET.get("role") == "lead"
    page = _int(request, "page")
    count, found = expected_reports_list(
        filters.qs, period=period, on=today, scope_path=_scope_path(request.user),
        unit_id=reporting_unit.pk if reporting_unit else None, lead_only=lead_only,
        received=received, limit=LIST_PAGE, offset=(page - 1) * LIST_PAGE)
    tasks = _tasks_by_id({task_id for task_id, _u, _l, _d in found}, today)
    units = Unit.objects.in_bulk({unit_id for _t, unit_id, _l, _d in found})
    rows = [{"task": tasks[task_id], "unit": units[unit_id], "lead": lead, "submitted": day}
            for task_id, unit_id, lead, day in found]
    return render(request, "reports/dashboard_reports.html", _listing(
        request, count=count, rows=rows, page=page, title=REPORT_LIST_TITLES[received],
        template_extra={"period": period, "reporting_unit": reporting_unit,
                        "lead_only": lead_only, "received": received, "filters": filters,
                        "today": today, **_unit_choice(request)}))
