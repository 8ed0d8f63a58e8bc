"""Writes to the groups of tasks and solutions of a resolution."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited

from ..models import Resolution, TaskGroup
from .editing import lock_unchanged


def _check_group_number(group: TaskGroup) -> None:
    taken = TaskGroup.objects.filter(resolution_id=group.resolution_id, number=group.number)
    if taken.exclude(pk=group.pk).exists():
        raise ValidationError({"number": _("This resolution already has a group %(number)s.")
                                         % {"number": group.number}})


@transaction.atomic
def group_create(*, actor, resolution: Resolution, number: int, name: str,
                 name_en: str = "") -> TaskGroup:
    """Add a group of tasks and solutions to a resolution."""
    group = TaskGroup(resolution=resolution, number=number, name=name.strip(),
                      name_en=name_en.strip())
    _check_group_number(group)
    group.full_clean()
    audited(group, actor, _("Task group created")).save()
    return group


@transaction.atomic
def group_update(*, group: TaskGroup, actor, expected_updated_at: datetime | None = None,
                 **fields) -> TaskGroup:
    """Renumber or rename a group; refused (StaleEditError) if it changed since it was loaded."""
    lock_unchanged(group, expected_updated_at)
    for name, value in fields.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    _check_group_number(group)
    group.full_clean()
    audited(group, actor, _("Task group updated")).save()
    return group
