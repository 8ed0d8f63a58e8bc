"""Every write to programmes, tasks, outputs and deadlines, one module per entity.

Each function takes the acting user, validates, writes, and leaves an audit record (the model
histories record who made each change and why). Callers import from `tasks.services`.
"""

from .completion import (
    task_clear_completion,
    task_record_completion,
    task_set_occurrence_completions,
)
from .deadlines import deadline_resolve, task_change_deadline
from .editing import StaleEditError
from .groups import group_create, group_update
from .outputs import (
    OutputSpec,
    output_add,
    output_delete,
    output_is_in_use,
    output_mark_reported,
    output_record_issue,
    output_update,
)
from .resolutions import resolution_create, resolution_update
from .tasks import TASK_EDITABLE_FIELDS, task_create, task_update
from .unit_changes import tasks_pass_to_successor

__all__ = [
    "TASK_EDITABLE_FIELDS",
    "OutputSpec",
    "StaleEditError",
    "deadline_resolve",
    "group_create",
    "group_update",
    "output_add",
    "output_delete",
    "output_is_in_use",
    "output_mark_reported",
    "output_record_issue",
    "output_update",
    "resolution_create",
    "resolution_update",
    "task_change_deadline",
    "task_clear_completion",
    "task_create",
    "task_record_completion",
    "task_set_occurrence_completions",
    "task_update",
    "tasks_pass_to_successor",
]
