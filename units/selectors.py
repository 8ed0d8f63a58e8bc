from collections import defaultdict

from django.db.models import Q, QuerySet

from .models import Unit, User


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


def unit_users(*, units, roles) -> dict[int, list[User]]:
    """For each unit (by id): its active users with one of the roles or, when it has none, those
    of the nearest unit above it that has some (who answer for it). One query."""
    units = list(units)
    wanted = {pk for unit in units for pk in unit.ancestor_ids}
    by_unit: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, role__in=list(roles),
                                    unit_id__in=wanted).order_by("pk"):
        by_unit[user.unit_id].append(user)
    return {unit.pk: next((by_unit[pk] for pk in reversed(unit.ancestor_ids) if by_unit[pk]), [])
            for unit in units}
