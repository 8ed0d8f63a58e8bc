"""The home page: first what waits for the signed-in user (by role, with its deadline), then
"my tasks this period", filterable by group and report state as before. Thin: what waits comes
from reports.waiting, the leadership's first screen from reports.dashboard.first."""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import versions
from tasks.rules import task_deadline_distance, task_status_class
from tasks.selectors import task_list_visible_to
from units.permissions import is_programme_office, is_unit_leader, oversees_all_units

from .. import selectors, waiting
from ..dashboard import RISK_PERIODS
from ..dashboard.first import dashboard_tasks
from ..forms import MyTasksFilterForm
from ..periods import period_for_date
from ..proposals.waiting import unit_proposals
from .dashboard import first_screen_data
from .dashboard_links import Links
from .dashboard_sections import draw_first

PAGE_SIZE = 50
#: Reports submitted or approved this period named under those still to write.
DONE_NAMED = 10


def home_role(user) -> str:
    """Which first panel the user's home shows: "secretariat", "leadership", "leader",
    "reporter" or "" (no unit, nothing to report)."""
    if is_programme_office(user):
        return "secretariat"
    if oversees_all_units(user):
        return "leadership"
    if is_unit_leader(user):
        return "leader"
    return "reporter" if user.unit_id else ""


def _reports_panel(user, period, today, tasks) -> dict:
    mine = waiting.reports_of_period(user=user, period=period, tasks=tasks)
    days = (period.submission_deadline - today).days
    return {"to_write": mine.to_write, "done": mine.done[:DONE_NAMED],
            "done_count": len(mine.done), "days_left": max(days, 0), "days_late": max(-days, 0),
            "unit_items": waiting.unit_items(user=user, on=today)}


def _leader_panel(user) -> dict:
    decisions = waiting.reports_awaiting_decision(user=user)
    return {"decisions": list(decisions[:waiting.DECISIONS_NAMED]),
            "decisions_count": decisions.count()}


def _secretariat_panel(user, today) -> dict:
    return {"monthly": waiting.monthly_report_now(on=today),
            "not_clear": waiting.tasks_not_six_clear_count(on=today),
            "imports": waiting.imports_in_progress(user=user),
            "more_items": waiting.secretariat_items(user=user, on=today)}


def _leadership_panel(request, period, today) -> dict:
    """The dashboard's first screen, as /dashboard/ draws it without filters."""
    filters = dashboard_tasks(task_list_visible_to(user=request.user), data=None, on=today,
                              request=request)
    data = first_screen_data(request, filters, today, period)
    links = Links(SimpleNamespace(GET=QueryDict()))  # the home's own filters are not the tasks'
    extra = draw_first(data, links, filters, today, QueryDict())
    body = render_to_string("reports/dashboard/first.html", {
        **data, **extra, "today": today, "risk_periods": RISK_PERIODS}, request=request)
    return {"first_screen": mark_safe(body)}  # drawn by our template, every value escaped there


def _panel(request, role, period, today, tasks) -> dict:
    """The first panel; `tasks`: the user's tasks of the period already read, unfiltered
    (None: read them)."""
    user = request.user
    if role == "leadership":
        return _leadership_panel(request, period, today)
    if role == "secretariat":
        return _secretariat_panel(user, today)
    panel = {**_reports_panel(user, period, today, tasks), **unit_proposals(user=user, on=today)}
    if role == "leader":
        panel.update(_leader_panel(user))
    return panel


def _task_rows(request, period, today, tasks):
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for task in selectors.tasks_units_read(page):
        status = task_status_class(task=task, on=today)
        days_left, days_overdue = task_deadline_distance(task=task, status=status, on=today)
        reports = {report.unit_id: report for report in task.period_reports}
        bodies = selectors.bodies_in_scope(user=request.user, task=task)
        if not selectors.expects_report(task, period):
            bodies = [body for body in bodies if body.pk in reports]
        rows.append({
            "task": task, "status": status, "days_left": days_left, "days_overdue": days_overdue,
            "entries": [{"unit": body, "report": reports.get(body.pk)} for body in bodies],
        })
    return page, rows


@login_required
def home(request):
    """What waits for the user now (reports to write, to approve, the monthly report to issue,
    or the dashboard's first screen), then "my tasks this period": what the user's unit leads or
    coordinates, with deadlines and this period's report states; filters by group and state."""
    today = timezone.localdate()
    period = period_for_date(on=today)
    filters = MyTasksFilterForm(request.GET or None)
    group = state = None
    if filters.is_valid():
        group, state = filters.cleaned_data["group"], filters.cleaned_data["state"]
    tasks = selectors.my_tasks_for_period(user=request.user, period=period, group=group,
                                          state=state or "")
    unfiltered = None
    if group is None and not state and home_role(request.user) in ("reporter", "leader"):
        # The panel reads the same tasks: read once (a unit's tasks, never the programme's).
        tasks = unfiltered = selectors.tasks_units_read(tasks)
    to_submit = (selectors.count_to_submit(user=request.user, period=period)
                 if unfiltered is None else selectors.count_to_submit_of(unfiltered, period))
    page, rows = _task_rows(request, period, today, tasks)
    query = request.GET.copy()
    query.pop("page", None)
    role = home_role(request.user)
    if role == "reporter":  # the navigation's count is this one (reports.waiting)
        request.waiting_count = to_submit
    panel = _panel(request, role, period, today, unfiltered)
    return render(request, "reports/home.html", {
        "rows": rows, "page": page, "period": period, "today": today, "filters": filters,
        "to_submit": to_submit, "deadline_passed": today > period.submission_deadline,
        "query": query.urlencode(), "role": role, **panel,
        "filters_html": mark_safe(_filter_form(request, filters)),  # our template
    })


def _filter_form(request, filters) -> str:
    """The filter bar, drawn once per address and language while the groups stay as they are
    (core.versions "choices": a programme's groups are many, and a select draws each)."""
    return versions.cached_fragment(
        "home-filters", {"query": sorted((name, request.GET.getlist(name))
                                         for name in ("group", "state"))},
        lambda: render_to_string("reports/home_filters.html", {"filters": filters},
                                 request=request),
        version=versions.current("choices"))
