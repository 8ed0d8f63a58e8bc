"""The leadership dashboard: a first screen (the four classes and their change, the units most
behind, what falls due this month), the sections behind it, and the lists behind its numbers
that the task list cannot show (tasks at risk, reports missing this period). Thin: the figures
come from reports.dashboard, what each page shows from dashboard_sections."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.facts import task_annotate_facts
from tasks.filters import TaskFilter
from tasks.models import Task
from tasks.permissions import can_view_coverage
from tasks.rules import StatusClass
from tasks.selectors import task_list_visible_to, task_visibility_key
from tasks.views.listing import lead_unit_choice, units_listed
from units.models import Unit

from .. import permissions
from ..cascade import dashboard_coverage
from ..dashboard import (
    RISK_PERIODS,
    at_risk_tasks,
    dashboard_overview,
    expected_reports_list,
)
from ..dashboard.cache import cached, cached_frame
from ..dashboard.compliance import RECEIVED
from ..dashboard.first import dashboard_first_screen, dashboard_tasks
from ..dashboard.indicators import dashboard_indicators, filtered_indicators
from ..dashboard.proposals import dashboard_proposals
from ..dashboard.risk import AT_RISK, NO_TREND
from ..periods import period_for_date
from .dashboard_links import Links, active_filters, int_param
from .dashboard_sections import DRAW, TITLES, tabs

LIST_PAGE = 50
#: The parameters of the tables that were on the one-page dashboard, and their pages now.
MOVED = {"sort": "dashboard_units", "units_page": "dashboard_units",
         "compliance_sort": "dashboard_compliance", "compliance_page": "dashboard_compliance"}


def _allowed(request):
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for leadership, the secretariat and unit "
                                 "leaders."))


def _scope_path(user) -> str:
    return "/" if user.sees_all_units else user.unit.path


def _filtered(request, today: date) -> TaskFilter:
    return dashboard_tasks(task_list_visible_to(user=request.user), data=request.GET,
                           on=today, request=request)


def _filter_bar(request) -> dict:
    """The filter bar: the unit filters (tasks.views.listing.lead_unit_choice; a removed filter
    also goes back to the first page of the tables) and how many filters are on (the bar opens
    when any is)."""
    return {**lead_unit_choice(request, task_list_visible_to(user=request.user),
                               pagers=("page", "units_page", "compliance_page")),
            "filters_active": active_filters(request)}


def _int(request, name: str) -> int:
    return int_param(request.GET, name)


def _query(request) -> list:
    return sorted((key, value) for key, values in request.GET.lists() for value in values)


def _dashboard_page(request, name: str):
    """A page of the dashboard (`name`: "first" or one of dashboard_links.SECTIONS) for the
    tasks the user may see, filtered by the URL; every number links to the tasks behind it.

    Two parts are drawn once and cached (reports/dashboard/cache.py): the page's body, per data
    version, address, scope and language; and its frame (the tabs and the filter bar), per
    version of what the filters offer to choose from. A page whose parts are both cached
    builds no queryset and runs three small queries (the data version, the choices version,
    the cache)."""
    _allowed(request)
    today = timezone.localdate()
    parts = {"on": today, "scope": task_visibility_key(user=request.user), "query": _query(request)}
    body = cached(f"page-{name}", parts, lambda: _body(request, name, today))
    frame = cached_frame(f"frame-{name}", parts, lambda: _frame(request, name),
                         with_data=units_listed())
    return render(request, "reports/dashboard.html", {
        # drawn by our templates, every value escaped there
        "body": mark_safe(body), "tabs_html": mark_safe(frame["tabs"]),
        "filters_html": mark_safe(frame["filters"]),
        "section": name, "title": TITLES[name],
    })


def _frame(request, name: str) -> dict:
    """The tabs and the filter bar of a dashboard page, drawn: {"tabs", "filters"}."""
    filters = TaskFilter(request.GET or None, queryset=task_list_visible_to(user=request.user),
                         request=request)
    return {
        "tabs": render_to_string("reports/dashboard/tabs.html",
                                 {"tabs": tabs(Links(request), name)}, request=request),
        "filters": render_to_string("reports/dashboard/filters.html", {
            "filters": filters, **_filter_bar(request)}, request=request),
    }


def _body(request, name: str, today: date) -> str:
    period = period_for_date(on=today)
    filters = _filtered(request, today)
    if name == "first":  # only what it shows: quick just after a change
        data = first_screen_data(request, filters, today, period)
    elif name == "indicators":
        data = {"indicators": _indicators(request, filters, today)}
    else:
        data = _overview(request, filters, today, period, _scope_path(request.user))
    extra = DRAW[name](data, Links(request), filters, today, request.GET)
    return render_to_string(f"reports/dashboard/{name}.html", {
        **data, **extra, "today": today, "risk_periods": RISK_PERIODS,
    }, request=request)


def first_screen_data(request, filters, today: date, period) -> dict:
    """What the first screen draws (here and on leadership's home page): the figures of
    reports.dashboard.first, the indicators' count by track status, the coverage of the plans
    cascade and the open items of the register of difficulties and proposals."""
    resolution = filters.form.cleaned_data.get("resolution") if filters.is_valid() else None
    return {**dashboard_first_screen(tasks=filters.qs, on=today), "period": period,
            "indicators": _indicators(request, filters, today),
            "coverage": dashboard_coverage(tasks=filters.qs, on=today, resolution=resolution,
                                           linked=can_view_coverage(request.user)),
            "proposals": dashboard_proposals(tasks=filters.qs, on=today)}


def _indicators(request, filters, today: date) -> dict:
    return dashboard_indicators(
        indicators=filtered_indicators(user=request.user, filters=filters), on=today)


def _overview(request, filters, today: date, period, scope: str) -> dict:
    return dashboard_overview(
        tasks=filters.qs, on=today, period=period, scope_path=scope,
        league_sort=request.GET.get("sort", ""), league_page=_int(request, "units_page"),
        compliance_sort=request.GET.get("compliance_sort", ""),
        compliance_page=_int(request, "compliance_page"))


@login_required
def dashboard(request):
    """The first screen. An address of the one-page dashboard that sorted or paged one of its
    tables goes on to the page that now holds that table."""
    for param, target in MOVED.items():
        if param in request.GET:
            return redirect(f"{reverse(target)}?{request.GET.urlencode()}")
    return _dashboard_page(request, "first")


def _section_view(name: str):
    @login_required
    def view(request):
        return _dashboard_page(request, name)

    view.__name__ = view.__qualname__ = f"dashboard_{name}"
    view.__doc__ = f"The dashboard's page {name!r} (see _dashboard_page)."
    return view


dashboard_groups = _section_view("groups")
dashboard_units = _section_view("units")
dashboard_deadlines = _section_view("deadlines")
dashboard_timeline = _section_view("timeline")
dashboard_compliance = _section_view("compliance")
dashboard_clarity = _section_view("clarity")
dashboard_indicators_view = _section_view("indicators")


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
    tasks = {task.pk: task for task in task_annotate_facts(
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
    count, found = at_risk_tasks(filters.qs, on=today, which=which,
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
                        "today": today, **_filter_bar(request),
                        "tabs": tabs(Links(request), "at_risk" if which == AT_RISK else "")}))


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
                        "today": today, **_filter_bar(request),
                        "tabs": tabs(Links(request), "")}))
