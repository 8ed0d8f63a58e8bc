"""Defining indicators and their targets: the programme secretariat's writes, each audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audited
from core.errors import NotAllowed, Stale
from tasks.models import code_sort_key

from ..models import Indicator, IndicatorTarget
from ..permissions import can_manage_indicators

#: The fields of an indicator a create or an update sets (besides its resolution).
INDICATOR_FIELDS = frozenset({
    "group", "code", "name", "name_en", "measure", "measure_en", "direction", "baseline_value",
    "baseline_year", "baseline_source", "baseline_illustrative", "frequency", "responsible_unit",
    "data_source", "is_illustrative", "note"})
_MANY = frozenset({"tasks", "breakdown_units"})


class StaleIndicatorError(Stale):
    def __init__(self, current: Indicator):
        super().__init__(current, _("This indicator was changed by someone else since you "
                                    "opened it. Reload it to see their changes; nothing of "
                                    "yours was saved."))


def _check_manager(actor) -> None:
    if not can_manage_indicators(actor):
        raise NotAllowed(_("Only the programme secretariat manages indicators."))


def _clean(indicator: Indicator) -> None:
    errors = {}
    for name in ("code", "name", "measure"):
        value = (getattr(indicator, name) or "").strip()
        setattr(indicator, name, value)
        if not value:
            errors[name] = _("This field is required.")
    if indicator.baseline_value is not None and not indicator.baseline_year:
        errors["baseline_year"] = _("Give the year of the baseline.")
    if indicator.group_id and indicator.group.resolution_id != indicator.resolution_id:
        errors["group"] = _("This group belongs to another resolution.")
    if errors:
        raise ValidationError(errors)
    duplicate = Indicator.objects.filter(resolution_id=indicator.resolution_id,
                                         code=indicator.code).exclude(pk=indicator.pk)
    if duplicate.exists():
        raise ValidationError({"code": _("The resolution already has an indicator with this "
                                         "code.")})
    indicator.sort_key = code_sort_key(indicator.code)[:80]


def _set_many(indicator: Indicator, values: dict) -> None:
    if "tasks" in values:
        tasks = list(values["tasks"])
        if any(task.resolution_id not in _related_resolutions(indicator) for task in tasks):
            raise ValidationError({"tasks": _("A contributing task must belong to the "
                                              "resolution or to a programme implementing it.")})
        indicator.tasks.set(tasks)
    if "breakdown_units" in values:
        indicator.breakdown_units.set(values["breakdown_units"])


def _related_resolutions(indicator: Indicator) -> set[int]:
    from tasks.models import Resolution

    ids = {indicator.resolution_id}
    frontier = {indicator.resolution_id}
    while frontier:  # the programmes implementing it, and those implementing them
        frontier = set(Resolution.objects.filter(implements_id__in=frontier)
                       .values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


@transaction.atomic
def indicator_create(*, actor, resolution, **fields) -> Indicator:
    """A new indicator of `resolution` (fields: INDICATOR_FIELDS, and optionally "tasks" and
    "breakdown_units")."""
    _check_manager(actor)
    unknown = fields.keys() - INDICATOR_FIELDS - _MANY
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    indicator = Indicator(resolution=resolution,
                          **{k: v for k, v in fields.items() if k not in _MANY})
    _clean(indicator)
    audited(indicator, actor, _("Indicator created")).save()
    _set_many(indicator, fields)
    return indicator


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, expected_version: int | None = None,
                     **fields) -> Indicator:
    """Change the indicator; refused (StaleIndicatorError) if it changed since
    `expected_version` was read."""
    _check_manager(actor)
    unknown = fields.keys() - INDICATOR_FIELDS - _MANY
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleIndicatorError(locked)
    for name, value in fields.items():
        if name not in _MANY:
            setattr(locked, name, value)
    _clean(locked)
    locked.version += 1
    audited(locked, actor, _("Indicator changed")).save()
    _set_many(locked, fields)
    return locked


def _touch(indicator: Indicator, actor, reason: str) -> None:
    """A change of its targets is a change of the indicator (its version and updated_at)."""
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    locked.version += 1
    audited(locked, actor, reason).save(update_fields=["version", "updated_at"])


@transaction.atomic
def indicator_target_set(*, actor, indicator: Indicator, year: int, value: Decimal,
                         kind: str = IndicatorTarget.Kind.TARGET, unit=None,
                         is_illustrative: bool = False, note: str = "") -> IndicatorTarget:
    """Set the target (or milestone, or a unit's baseline) of a year, nationally or for a unit
    of the breakdown: the year's existing one is replaced."""
    _check_manager(actor)
    errors = {}
    if kind == IndicatorTarget.Kind.BASELINE and unit is None:
        errors["kind"] = _("The national baseline is set on the indicator itself.")
    if unit is not None and not indicator.breakdown_units.filter(pk=unit.pk).exists():
        errors["unit"] = _("This unit does not report its own value of this indicator.")
    if not 1900 <= int(year) <= 2200:
        errors["year"] = _("Give a year between 1900 and 2200.")
    if errors:
        raise ValidationError(errors)
    target = IndicatorTarget.objects.filter(indicator=indicator, unit=unit, year=year).first()
    target = target or IndicatorTarget(indicator=indicator, unit=unit, year=year)
    target.kind, target.value = kind, value
    target.is_illustrative, target.note = is_illustrative, note.strip()
    audited(target, actor, _("Target set")).save()
    _touch(indicator, actor, _("Target set"))
    return target


@transaction.atomic
def indicator_target_remove(*, actor, target: IndicatorTarget) -> None:
    _check_manager(actor)
    indicator = target.indicator
    audited(target, actor, _("Target removed")).delete()
    _touch(indicator, actor, _("Target removed"))
