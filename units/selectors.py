import hmac
from collections import defaultdict

from django.db.models import Q, QuerySet

from .models import ApiToken, Unit, User


def unit_ids_in_scope(*, unit: Unit) -> QuerySet:
    """Ids of the unit, the units under it, and the collective designations any of them belongs
    to: the units whose duties this unit answers for. A lazy query, to use as a subquery."""
    return Unit.objects.filter(
        Q(path__startswith=unit.path) | Q(members__path__startswith=unit.path)
    ).values("id")


#: The bodies each unit stands for, as SQL for a statement to join (no parameters): a relation
#: of (unit_id, body_id), a unit standing for itself and a collective designation for each of its
#: members (none when it has none). The set-based twin of `units_expected_to_report`.
UNIT_BODIES_SQL = f"""
SELECT u.id AS unit_id, CASE WHEN u.kind = '{Unit.Kind.COLLECTIVE.value}' THEN m.to_unit_id
                             ELSE u.id END AS body_id
FROM units_unit u
LEFT JOIN units_unit_members m ON u.kind = '{Unit.Kind.COLLECTIVE.value}' AND m.from_unit_id = u.id
WHERE u.kind <> '{Unit.Kind.COLLECTIVE.value}' OR m.to_unit_id IS NOT NULL
"""


def units_expected_to_report(*, units: list[Unit]) -> list[Unit]:
    """The bodies behind a list of units: a collective designation stands for its members.

    Reads `unit.members`: prefetch it for many units. For prefetched objects; its twin in SQL,
    for statements over many tasks, is `UNIT_BODIES_SQL`.
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


def unit_list_visible_to(*, user) -> QuerySet[Unit]:
    """Every unit for roles across all units; otherwise the user's unit and the units under it."""
    if user.sees_all_units:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.under(user.unit)


def api_token_find(*, raw: str):
    """The stored token a presented token ("pt_<prefix>_<secret>") stands for, with its user and
    the user's unit; None when it matches none. The hash is compared in constant time. Whether
    the token is still usable (revoked, expired, inactive user) is for the caller to judge."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != "pt" or not parts[1] or not parts[2]:
        return None
    token = ApiToken.objects.select_related("user__unit").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.token_hash, ApiToken.digest(raw)):
        return None
    return token
