"""Template helpers of the task screens: the task list's links to create, import and export."""

from django import template

from ..models import Resolution
from ..permissions import can_export_tasks, can_manage_programmes

register = template.Library()


@register.inclusion_tag("tasks/includes/list_actions.html", takes_context=True)
def task_list_actions(context):
    """New task and import (for the secretariat, into the resolution filtered on, else via the
    programmes page), and export of the list as filtered (for everyone)."""
    request = context["request"]
    chosen = request.GET.get("resolution", "")
    resolution = (Resolution.objects.filter(pk=chosen).only("pk", "number").first()
                  if chosen.isdigit() else None)
    return {"resolution": resolution, "query": context.get("query", ""),
            "can_manage": can_manage_programmes(request.user),
            "can_export": can_export_tasks(request.user)}
