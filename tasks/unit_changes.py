"""What a unit holds in the tasks app when it ends: the open tasks it leads or coordinates.

Registered as a duty of a unit's life (units.lifecycle.duties) by TasksConfig.ready(). A
completed task stays with the unit that completed it, as do the progress reports (history).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.lifecycle.duties import Holding, register_duty

from .models import Task
from .services import tasks_pass_to_successor


def _label(task: Task) -> str:
    return f"{task.resolution.number} · {task.code} {task.display_title}"


def open_task_holdings(unit, on) -> list[Holding]:
    """The tasks not yet completed that the unit leads, then those it coordinates. Two queries."""
    open_tasks = Task.objects.filter(completed_on__isnull=True).select_related("resolution")
    led = [Holding(key=f"task-lead:{task.pk}", label=_label(task), role=_("leads"))
           for task in open_tasks.filter(lead_unit=unit)]
    coordinated = [Holding(key=f"task-coordinating:{task.pk}", label=_label(task),
                           role=_("coordinates"))
                   for task in open_tasks.filter(coordinating_units=unit)]
    return led + coordinated


def register() -> None:
    register_duty("tasks.open_tasks", label=gettext_lazy("Open tasks"),
                  holdings=open_task_holdings, move=tasks_pass_to_successor, position=10)
