"""The task list: every task the user may see, filtered by the URL (bookmarkable, shareable)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import versions
from core.paging import IdPaginator
from core.text import localized
from units.models import Unit

from ..facts import task_annotate_facts
from ..filters import TaskFilter
from ..rules import Clarity, StatusClass
from ..selectors import task_list_visible_to, task_visibility_key

PAGE_SIZE = 50
#: Above this many units a list of them weighs more than the page: the lead unit is then asked
#: for by name (a national programme has thousands).
UNIT_SELECT_LIMIT = 200


def units_listed() -> bool:
    """Whether the unit filter lists the units (few enough), rather than asking for a name."""
    # Counting stops past the limit: a national programme's units are not all counted.
    return Unit.objects.order_by()[:UNIT_SELECT_LIMIT + 1].count() <= UNIT_SELECT_LIMIT


def _unit_options(visible) -> list[tuple[int, str]] | None:
    """The lead units of the visible tasks, as (id, name in the user's language), tree order;
    None when there are too many units to list."""
    if not units_listed():
        return None
    rows = (Unit.objects.filter(pk__in=visible.values("lead_unit_id"))
            .order_by("path").values_list("pk", "name", "name_en"))
    return [(pk, localized(name, name_en)) for pk, name, name_en in rows]


def _unit_chips(request, *, lead_listed: bool, pagers) -> list[dict]:
    """The unit filters that have no field on the page (they come from the dashboard's links):
    each shown with its unit's name and a link that removes it (and goes back to the first
    page of each of `pagers`)."""
    chips = []
    names = [("coordinating_unit", _("Coordinating unit")),
             ("unit", _("Unit and the units under it"))]
    if not lead_listed:
        names.insert(0, ("lead_unit", _("Lead unit")))
    for name, label in names:
        value = request.GET.get(name, "")
        unit = Unit.objects.filter(pk=value).first() if value.isdigit() else None
        if unit is not None:
            rest = request.GET.copy()
            rest.pop(name)
            for paging in pagers:
                rest.pop(paging, None)
            chips.append({"name": name, "label": label, "unit": unit,
                          "remove": rest.urlencode()})
    return chips


def lead_unit_choice(request, visible, *, pagers=("page",)) -> dict:
    """The unit filters of a page of filtered tasks (the task list, the dashboard), for
    includes/lead_unit_filter.html: a list of the visible tasks' lead units while units are few,
    a name search past that, and the unit filters given by id shown by name."""
    options = _unit_options(visible)
    return {"unit_options": options, "lead_unit": request.GET.get("lead_unit", ""),
            "chips": _unit_chips(request, lead_listed=options is not None, pagers=pagers)}


def _other_chips(request, filters) -> list[dict]:
    """The other filters with no field on the page (the dashboard's clarity and completion
    links): each with its value in words and a link that removes it."""
    chips = []
    form = filters.form
    for name in ("clarity", "completed_from", "completed_to"):
        value = request.GET.get(name, "")
        if not value or name not in getattr(form, "cleaned_data", {}):
            continue
        shown = dict(form.fields[name].choices).get(value, value) if name == "clarity" \
            else value
        rest = request.GET.copy()
        rest.pop(name)
        rest.pop("page", None)
        chips.append({"label": form.fields[name].label, "value": shown,
                      "remove": rest.urlencode()})
    return chips


@login_required
def task_list(request):
    """Tasks the user may see, with their status class today, filtered and ordered by the URL."""
    today = timezone.localdate()
    visible = task_list_visible_to(user=request.user)
    # The status class, due dates and clarities are the stored facts of the day (tasks.facts);
    # the page's related rows are fetched by id.
    tasks = task_annotate_facts(
        visible.prefetch_related("resolution", "group", "lead_unit"), on=today)
    filters = TaskFilter(request.GET or None, queryset=tasks, request=request)
    listed = filters.qs
    page = IdPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    show_gaps = bool(request.GET.get("clarity"))
    for task in page:
        # Every attribute the row reads is set: a missing one costs the template a dir().
        task.status_label = StatusClass(task.status_class).label if task.status_class else ""
        task.gaps = [clarity for clarity in Clarity
                     if getattr(task, f"lacks_{clarity.value}")] if show_gaps else []
        task.days_left = task.days_overdue = None
        if task.status_class == StatusClass.OVERDUE:
            task.days_overdue = (today - task.missed_due).days
        elif task.status_class == StatusClass.IN_PROGRESS and task.current_due:
            task.days_left = (task.current_due - today).days
    query = request.GET.copy()
    query.pop("page", None)
    units = lead_unit_choice(request, visible)
    return render(request, "tasks/task_list.html", {
        "filters": filters, "page": page, "today": today, "query": query.urlencode(),
        **units, "other_chips": _other_chips(request, filters),
        "filters_html": mark_safe(_filter_form(request, filters, units, query)),  # our template
    })


def _filter_form(request, filters, units: dict, query) -> str:
    """The filter form, drawn once per address, scope and language while the resolutions,
    groups and units stay as they are (core.versions "choices"); drawn every time while the
    lead units are listed (they follow the tasks)."""
    version = None if units["unit_options"] is not None else versions.current("choices")
    return versions.cached_fragment(
        "task-list-filters", {"query": sorted(query.lists()),
                              "scope": task_visibility_key(user=request.user)},
        lambda: render_to_string("tasks/task_list_filters.html",
                                 {"filters": filters, **units}, request=request),
        version=version)
