"""The task list: every task the user may see, filtered by the URL (bookmarkable, shareable)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit
from units.text import localized

from ..filters import TaskFilter
from ..rules import StatusClass
from ..selectors import task_annotate_status, task_list_visible_to

PAGE_SIZE = 50


def _unit_options(visible) -> list[tuple[int, str]]:
    """The lead units of the visible tasks, as (id, name in the user's language), tree order."""
    rows = (Unit.objects.filter(pk__in=visible.values("lead_unit_id"))
            .order_by("path").values_list("pk", "name", "name_en"))
    return [(pk, localized(name, name_en)) for pk, name, name_en in rows]


def _unit_chips(request) -> list[dict]:
    """The unit filters that have no field on the page (they come from the dashboard's links):
    each shown with its unit's name and a link that removes it."""
    chips = []
    for name, label in (("coordinating_unit", _("Coordinating unit")),
                        ("unit", _("Unit and the units under it"))):
        value = request.GET.get(name, "")
        unit = Unit.objects.filter(pk=value).first() if value.isdigit() else None
        if unit is not None:
            rest = request.GET.copy()
            rest.pop(name)
            rest.pop("page", None)
            chips.append({"label": label, "unit": unit, "remove": rest.urlencode()})
    return chips


@login_required
def task_list(request):
    """Tasks the user may see, with their status class today, filtered and ordered by the URL."""
    today = timezone.localdate()
    visible = task_list_visible_to(user=request.user)
    tasks = task_annotate_status(
        visible.select_related("resolution", "group", "lead_unit"), on=today)
    filters = TaskFilter(request.GET or None, queryset=tasks, request=request)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page:
        task.status_label = StatusClass(task.status_class).label
        if task.status_class == StatusClass.OVERDUE:
            task.days_overdue = (today - task.missed_due).days
        elif task.status_class == StatusClass.IN_PROGRESS and task.current_due:
            task.days_left = (task.current_due - today).days
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tasks/task_list.html", {
        "filters": filters, "page": page, "today": today, "query": query.urlencode(),
        "unit_options": _unit_options(visible), "lead_unit": request.GET.get("lead_unit", ""),
        "chips": _unit_chips(request),
    })
