"""The cascade's coverage where the secretariat and leadership look first: a line on the
secretariat's home (reports.waiting's registry) and a figure on the dashboard's first screen."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tasks.cascade import coverage_gaps
from tasks.models import Task
from tasks.permissions import can_view_coverage

from .waiting import WaitingItem


def coverage_item(*, user, on: date) -> list[WaitingItem]:
    """The tasks units have not yet broken down in their plans, when there are any."""
    if not can_view_coverage(user):
        return []
    count = len(coverage_gaps(tasks=Task.objects.all(), on=on))
    if not count:
        return []
    return [WaitingItem(
        key="cascade", count=count,
        label=ngettext("task assigned to a unit not yet broken down in its plan",
                       "tasks assigned to units not yet broken down in their plans", count),
        url=reverse("tasks:coverage"), action=_("See which units"))]


def dashboard_coverage(*, tasks: QuerySet[Task], on: date, resolution=None,
                       linked: bool) -> dict:
    """{"count", "units", "url"} of the tasks of `tasks` not yet broken down, for the first
    screen; `url` (the coverage list, for the same programme) only when `linked`."""
    gaps = coverage_gaps(tasks=tasks, on=on)
    url = ""
    if linked:
        url = reverse("tasks:coverage") + (f"?programme={resolution.pk}" if resolution else "")
    return {"count": len(gaps), "units": len({gap.unit_id for gap in gaps}), "url": url}
