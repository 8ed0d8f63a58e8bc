"""Writes to resolutions (the programmes and plans whose tasks are tracked)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited

from ..models import Resolution
from .cascade import check_resolution_implements
from .editing import lock_unchanged


@transaction.atomic
def resolution_create(*, actor, **fields) -> Resolution:
    """Create a resolution (a programme or plan whose tasks are tracked)."""
    resolution = Resolution(**fields)
    resolution.full_clean()
    audited(resolution, actor, _("Resolution created")).save()
    return resolution


@transaction.atomic
def resolution_update(*, resolution: Resolution, actor,
                      expected_updated_at: datetime | None = None, **fields) -> Resolution:
    """Change a resolution; refused (StaleEditError) if it changed since the editor loaded it."""
    lock_unchanged(resolution, expected_updated_at)
    for name, value in fields.items():
        setattr(resolution, name, value)
    if resolution.implements_id and resolution.implements_id == resolution.pk:
        raise ValidationError({"implements": _("A resolution cannot implement itself.")})
    resolution.full_clean()
    if "implements" in fields:
        check_resolution_implements(resolution)
    audited(resolution, actor, _("Resolution updated")).save()
    return resolution
