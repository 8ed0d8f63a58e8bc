"""The per-task facts the figures read: one narrow row per task and day."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TaskFacts(models.Model):
    """What the figures need of one task on one day, computed once and read by every figure
    (the dashboard, the REST `stats`, the monthly report, the task list's counts).

    A row is the task's status class on `day`, its due dates then, its six clarities and its
    forecast, with copies of the columns the figures group by. Database triggers delete the
    rows of a task whenever anything they are computed from changes (the task, its outputs,
    its occurrences, its coordinating units, its lead's members, its approved reports, the
    reporting periods), however it is written; a missing row is computed when first read
    (tasks.facts.facts_fill), so a figure never reads a stale one.
    """

    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="facts",
                             db_index=False)
    day = models.DateField()
    # Copies of the task's columns, for grouping without a join.
    resolution_id = models.BigIntegerField()
    group_id = models.BigIntegerField(null=True)
    lead_unit_id = models.BigIntegerField()
    sort_key = models.CharField(max_length=80)
    deadline_kind = models.CharField(max_length=20)
    completed_on = models.DateField(null=True)
    start = models.DateField(null=True)
    # The status on `day` (tasks.selectors.task_annotate_status).
    status = models.CharField(max_length=20)
    current_due = models.DateField(null=True)
    missed_due = models.DateField(null=True)
    # The six clarities (tasks.selectors.task_clarity_conditions).
    lacks_person = models.BooleanField()
    lacks_work = models.BooleanField()
    lacks_time = models.BooleanField()
    lacks_responsibility = models.BooleanField()
    lacks_product = models.BooleanField()
    lacks_authority = models.BooleanField()
    not_clear = models.BooleanField()
    # The forecast on `day` (filled by the app that owns the reports, see tasks.facts).
    forecast = models.BooleanField(default=False)
    projected = models.FloatField(null=True)
    latest = models.FloatField(null=True)

    class Meta:
        verbose_name = _("task facts")
        verbose_name_plural = _("task facts")
        constraints = [models.UniqueConstraint(fields=["day", "task"], name="task_facts_once")]
        indexes = [
            models.Index(fields=["task", "day"], name="task_facts_task_idx"),
            # The first screen's lists: what falls due in a span, and the units most behind.
            models.Index(fields=["day", "status", "current_due"], name="task_facts_status_due_idx"),
            models.Index(fields=["day", "lead_unit_id"], include=["status", "projected"],
                         condition=Q(status="overdue") | Q(projected__lt=100),
                         name="task_facts_behind_idx"),
            # A day's tasks by the date now due: lists of a status class ordered by deadline
            # read their page from it.
            models.Index(fields=["day", "current_due", "task"], name="task_facts_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.day}"


class TaskFactsDay(models.Model):
    """A day whose facts are stored for every task but those listed as stale."""

    day = models.DateField(unique=True)

    class Meta:
        verbose_name = _("day of task facts")
        verbose_name_plural = _("days of task facts")

    def __str__(self) -> str:
        return str(self.day)


class TaskFactsStale(models.Model):
    """A task whose facts were deleted by a change (or that is new): its rows are computed
    again, for every stored day, before the next figure is read. Written by the triggers."""

    task_id = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("stale task facts")
        verbose_name_plural = _("stale task facts")

    def __str__(self) -> str:
        return str(self.task_id)
