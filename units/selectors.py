from django.db.models import Q, QuerySet

from .models import Unit


def unit_ids_in_scope(*, unit: Unit) -> QuerySet:
    """Ids of the unit, the units under it, and the collective designations any of them belongs
    to: the units whose duties this unit answers for. A lazy query, to use as a subquery."""
    return Unit.objects.filter(
        Q(path__startswith=unit.path) | Q(members__path__startswith=unit.path)
    ).values("id")


def units_expected_to_report(*, units: list[Unit]) -> list[Unit]:
    """The bodies behind a list of units: a collective designation stands for its members.

    Reads `unit.members`: prefetch it for many units.
    """
    seen: dict[int, Unit] = {}
    for unit in units:
        for body in (unit.members.all() if unit.is_collective else [unit]):
            seen.setdefault(body.pk, body)
    return list(seen.values())
