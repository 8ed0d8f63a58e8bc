"""The rule of a task that implements a task of the programme above (plans cascade)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Resolution, Task

#: How far up a chain of tasks is followed looking for a cycle (far more than any real chain).
MAX_DEPTH = 50


def check_implements(task: Task) -> None:
    """A task may implement one task of the resolution its own resolution implements, directly
    (a ministry's plan breaks down the programme's tasks, a department's plan the ministry's):
    never itself, never a task of its own resolution or of one further up, never in a cycle.
    Raises ValidationError on `implements` saying which rule was broken; no query when the task
    implements nothing."""
    if not task.implements_id:
        return
    if task.pk and task.implements_id == task.pk:
        raise ValidationError({"implements": _("A task cannot implement itself.")})
    parent = task.implements
    implemented = (Resolution.objects.filter(pk=task.resolution_id)
                   .values_list("implements_id", flat=True).first())
    if implemented is None:
        raise ValidationError({"implements": _(
            "The task's resolution implements no other resolution: link the resolution to the "
            "programme it implements first.")})
    if parent.resolution_id != implemented:
        number = Resolution.objects.filter(pk=implemented).values_list("number", flat=True)
        raise ValidationError({"implements": _(
            "Choose a task of %(number)s, the resolution this task's resolution implements.")
            % {"number": number.first()}})
    seen, current = {task.pk}, parent
    for _step in range(MAX_DEPTH):
        if current.pk in seen:
            raise ValidationError({"implements": _(
                "Task %(code)s already implements this task, directly or through others: "
                "a task cannot implement its own breakdown.") % {"code": current.code}})
        seen.add(current.pk)
        if not current.implements_id:
            return
        current = Task.objects.only("pk", "code", "implements_id").get(pk=current.implements_id)


def check_resolution_implements(resolution: Resolution) -> None:
    """A resolution whose tasks implement tasks of the one it implements keeps implementing it
    (move or clear those links first): the tasks' links would otherwise point to the wrong
    programme."""
    if not resolution.pk:
        return
    linked = (Task.objects.filter(resolution_id=resolution.pk, implements__isnull=False)
              .exclude(implements__resolution_id=resolution.implements_id))
    code = linked.values_list("code", flat=True).first()
    if code is not None:
        raise ValidationError({"implements": _(
            "Task %(code)s of this resolution implements a task of the resolution it implemented "
            "until now: clear those links before changing what it implements.")
            % {"code": code}})
