"""What the tasks app adds to the shared kinds: the notifications it sends and the file jobs it
runs (with, for each state such a job waits in, the background job that takes it up)."""

from django.utils.translation import gettext_lazy as _

from core.events import EVENT_KINDS
from core.models import FileJob
from units.models import Notification

Notification.Kind.register("DEADLINE_REMINDER", "deadline_reminder", _("Deadline reminders"))
Notification.Kind.register("OVERDUE", "overdue", _("Overdue tasks"))
Notification.Kind.register("ESCALATION", "escalation", _("Escalations of overdue tasks"))

FileJob.Kind.register("TASK_IMPORT", "task_import", _("Task list import"), waiting={
    FileJob.State.QUEUED: "tasks.jobs.check_task_import",
    FileJob.State.APPLYING: "tasks.jobs.apply_task_import",
})
FileJob.Kind.register("TASK_EXPORT", "task_export", _("Task list export"), waiting={
    FileJob.State.QUEUED: "tasks.jobs.export_task_file",
})


def _task_visible(user, object_id: int) -> bool:
    from .selectors import task_list_visible_to

    return task_list_visible_to(user=user).filter(pk=object_id).exists()


EVENT_KINDS.register("TASK_STATUS_CHANGED", "task.status_changed",
                     _("A task's status class changed"), visible=_task_visible)
EVENT_KINDS.register("TASK_DEADLINE_CHANGED", "task.deadline_changed",
                     _("A task's deadline changed"), visible=_task_visible)
