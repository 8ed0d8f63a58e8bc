"""Writing a checked plan of indicators: all or nothing, through the services, each change
audited with the actor."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import NotAllowed
from tasks.exchange.importing import ImportRowError

from ..services import indicator_create, indicator_target_set, indicator_update
from .plans import CREATE, UNCHANGED, IndicatorPlan, RowPlan

__all__ = ["ImportRowError", "import_apply"]


@transaction.atomic
def import_apply(*, plan: IndicatorPlan, actor,
                 progress: Callable[[float], None] | None = None) -> dict[str, int]:
    """Create and update the plan's indicators, their breakdown units and targets. All or
    nothing (ImportRowError names the row refused); returns the counts."""
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    changing = [row for row in plan.rows if row.action != UNCHANGED]
    for index, row in enumerate(changing):
        try:
            with transaction.atomic():
                _apply_row(row, plan=plan, actor=actor)
        except ValidationError as error:
            raise ImportRowError(row.number, row.code, error.messages) from error
        if progress:
            progress((index + 1) / len(changing))
    return plan.counts()


def _apply_row(row: RowPlan, *, plan: IndicatorPlan, actor) -> None:
    if row.action == CREATE:
        indicator = indicator_create(actor=actor, resolution=plan.resolution, code=row.code,
                                     breakdown_units=row.breakdown_add, **row.fields)
    else:
        indicator = row.indicator
        if row.fields or row.breakdown_add:
            extra = {}
            if row.breakdown_add:
                extra["breakdown_units"] = [*indicator.breakdown_units.all(), *row.breakdown_add]
            indicator = indicator_update(actor=actor, indicator=indicator, **row.fields, **extra)
    for target in row.targets:
        try:
            indicator_target_set(actor=actor, indicator=indicator, year=target.year,
                                 value=target.value, kind=target.kind, unit=target.unit,
                                 is_illustrative=target.is_illustrative, note=target.note)
        except NotAllowed as refused:
            raise ValidationError(str(refused)) from refused
