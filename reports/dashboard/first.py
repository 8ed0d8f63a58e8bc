"""The figures of the dashboard's first screen, and only those: the headline (the four classes
and their change, at risk), the units most behind, and what falls due this month. A handful of
small queries over the per-task facts, so the first screen stays quick just after a change; the
section pages read dashboard_overview."""

from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from core.text import localized
from tasks.deadlines import month_end
from tasks.facts import task_annotate_facts
from tasks.filters import TaskFilter
from tasks.models import Task
from units.models import Unit

from .cache import cached, queryset_identity
from .facts import task_facts
from .figures import behind_by_unit, due_between, headline_row
from .overview import _headline, dashboard_window

#: Units named on the first screen, and tasks due this month named there.
MOST_BEHIND = 5
DUE_NAMED = 5


def _most_behind(rows: list[dict], *, size: int) -> list[dict]:
    """The `size` units most behind: most tasks overdue or at risk, then most overdue, then
    by name (the names read only for the units that can be among them)."""
    if len(rows) > size:
        last = rows[size - 1]
        rows = [row for row in rows if (row["behind"], row["overdue"])
                >= (last["behind"], last["overdue"])]
    names = {pk: localized(name, name_en) for pk, name, name_en in Unit.objects.filter(
        pk__in=[row["lead_unit_id"] for row in rows]).values_list("pk", "name", "name_en")}
    named = [{"unit_id": row["lead_unit_id"], "name": names[row["lead_unit_id"]],
              "overdue": row["overdue"], "at_risk": row["at_risk"], "behind": row["behind"]}
             for row in rows]
    named.sort(key=lambda row: (-row["behind"], -row["overdue"], row["name"].lower()))
    return named[:size]


def dashboard_first_screen(*, tasks: QuerySet[Task], on: date) -> dict:
    """{"headline" (as dashboard_headline), "most_behind": [{"unit_id", "name", "overdue",
    "at_risk", "behind"}], "due_month": {"count", "until", "tasks"}} for the tasks of `tasks`
    on `on`. Cached until the data changes; a handful of small queries when it is."""
    def compute():
        window = dashboard_window(on=on)
        until = month_end(on.year, on.month)
        facts = task_facts(tasks, days=[window.on, window.before])
        due = due_between(tasks, on=on, until=until, size=DUE_NAMED, facts=facts)
        listed = {} if not due["ids"] else {
            task.pk: task for task in Task.objects.filter(pk__in=[pk for pk, _d in due["ids"]])
            .select_related("resolution", "lead_unit")}
        for pk, current_due in due["ids"]:
            listed[pk].current_due = current_due
        return {
            "headline": _headline(headline_row(tasks, window=window, facts=facts), window),
            "most_behind": _most_behind(
                behind_by_unit(tasks, on=on, size=MOST_BEHIND, facts=facts), size=MOST_BEHIND),
            "due_month": {"count": due["count"], "until": until,
                          "tasks": [listed[pk] for pk, _due in due["ids"]]},
        }

    return cached("first", {"tasks": queryset_identity(tasks), "on": on}, compute)


def dashboard_tasks(visible: QuerySet[Task], *, data, on: date, request=None) -> TaskFilter:
    """The dashboard's tasks: those of `visible` (the user's scope) with their status on `on`,
    filtered by `data` (the page's query; None: unfiltered)."""
    return TaskFilter(data or None, queryset=task_annotate_facts(visible, on=on),
                      request=request)


def first_screen_warm() -> None:
    """Compute the first screen as leadership opens it (every task, no filter), in each
    language, if the data changed since it was last computed: registered to run after every
    write (tasks.facts.register_after_settle), so that the writer pays for the change and
    leadership's next look finds it computed. Only where the figures are cached (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    today = timezone.localdate()
    with transaction.atomic():
        tasks = dashboard_tasks(Task.objects.all(), data=None, on=today).qs
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                dashboard_first_screen(tasks=tasks, on=today)
