from django.db.models import Q, QuerySet

from units.selectors import unit_ids_in_scope

from .models import Task


def task_list_for_unit(*, unit) -> QuerySet[Task]:
    """Tasks the unit (or a unit under it, or a designation they belong to) leads or coordinates."""
    scope = unit_ids_in_scope(unit=unit)
    coordinated = Task.coordinating_units.through.objects.filter(unit_id__in=scope)
    coordinated = coordinated.values("task_id")
    return Task.objects.filter(Q(lead_unit_id__in=scope) | Q(id__in=coordinated))


def task_list_visible_to(*, user) -> QuerySet[Task]:
    """Every task for roles across all units; otherwise the tasks of the user's unit scope."""
    if user.sees_all_units:
        return Task.objects.all()
    if user.unit_id is None:
        return Task.objects.none()
    return task_list_for_unit(unit=user.unit)
