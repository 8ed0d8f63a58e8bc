"""The task page: everything about one task. What the apps built on tasks know of it (the
reports app: every period's reports and their history) they draw in its sections (tasks.pages)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ..cascade import deadline_after_parent
from ..pages import task_page_sections
from ..permissions import can_manage_programmes
from ..rules import (
    CLARITY_EXPLANATIONS,
    task_clarity_gaps,
    task_deadline_distance,
    task_status_class,
)
from ..selectors import task_page_queryset


@login_required
def task_detail(request, task_id):
    """Its programme, units, outputs, deadline and changes, six clarities, and the sections the
    other apps contribute."""
    task = get_object_or_404(task_page_queryset(user=request.user), pk=task_id)
    today = timezone.localdate()
    status = task_status_class(task=task, on=today)
    days_left, days_overdue = task_deadline_distance(task=task, status=status, on=today)
    return render(request, "tasks/task_detail.html", {
        "task": task, "status": status, "days_left": days_left, "days_overdue": days_overdue,
        "gaps": [(gap, CLARITY_EXPLANATIONS[gap]) for gap in task_clarity_gaps(task=task)],
        "deadline_changes": task.deadline_changes.select_related("changed_by"),
        "can_manage": can_manage_programmes(request.user),
        "implements_later": bool(task.implements_id)
        and deadline_after_parent(task, task.implements),
        "sections": task_page_sections.sections(request, task),
    })
