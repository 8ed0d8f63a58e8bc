import hmac
from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from .lifecycle.duties import Holding
from .models import ApiToken, Unit, UnitChange, User


def unit_ids_in_scope(*, unit: Unit) -> QuerySet:
    """Ids of the unit, the units under it, and the collective designations any of them belongs
    to: the units whose duties this unit answers for. A lazy query, to use as a subquery."""
    # Two halves joined by UNION, each read by the index of unit paths: one condition with OR
    # across the members' join read every unit of a national programme.
    under = Unit.objects.order_by().filter(path__startswith=unit.path).values("id")
    designations = (Unit.members.through.objects.order_by()
                    .filter(to_unit__path__startswith=unit.path).values("from_unit_id"))
    return under.union(designations)


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

#: `UNIT_BODIES_SQL` for one day: only the bodies that exist on the date given as the named
#: parameter `%(bodies_on)s` (a unit merged on 1 July reports for periods cut off before it).
UNIT_BODIES_ON_SQL = f"""
SELECT ub.unit_id, ub.body_id FROM ({UNIT_BODIES_SQL}) ub
JOIN units_unit lb ON lb.id = ub.body_id
WHERE (lb.valid_from IS NULL OR lb.valid_from <= %(bodies_on)s)
  AND (lb.valid_to IS NULL OR lb.valid_to > %(bodies_on)s)
"""


def designations_read(units) -> None:
    """Read the members of the collective designations among `units` (what
    units_expected_to_report reads), in one query, or none when no unit is a designation (most
    pages: a prefetch of every unit's members would ask for nothing)."""
    prefetch_related_objects([unit for unit in units if unit.is_collective], "members")


def units_expected_to_report(*, units: list[Unit], on: date | None = None) -> list[Unit]:
    """The bodies behind a list of units: a collective designation stands for its members;
    given `on`, only the bodies that exist on that date (a period's cut-off date).

    Reads `unit.members`: prefetch it for many units. For prefetched objects; its twin in SQL,
    for statements over many tasks, is `UNIT_BODIES_SQL` (`UNIT_BODIES_ON_SQL` for a date).
    """
    seen: dict[int, Unit] = {}
    for unit in units:
        for body in (unit.members.all() if unit.is_collective else [unit]):
            if on is None or body.exists_on(on):
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


# --- A unit's life ---------------------------------------------------------------------------

def unit_tree_on(*, on: date | None = None) -> QuerySet[Unit]:
    """Every unit in tree order (those existing on `on`, when given), with its parent, the
    changes that ended or renamed it and their successors: for the lifecycle list. A fixed
    number of queries."""
    units = Unit.objects.all() if on is None else Unit.objects.existing_on(on)
    return units.select_related("parent").prefetch_related(_applied_changes()).order_by("path")


def unit_tree_prefetch(units: QuerySet[Unit]) -> QuerySet[Unit]:
    """`units` with their members and successors read in a fixed number of queries."""
    return units.prefetch_related("members", _applied_changes())


def _applied_changes() -> Prefetch:
    return Prefetch("changes", to_attr="applied_changes", queryset=UnitChange.objects.filter(
        state=UnitChange.State.APPLIED).prefetch_related("successors").order_by("effective_on"))


def unit_successors(unit: Unit) -> list[Unit]:
    """The units that took the work of `unit` when it ended (none while it exists). Reads the
    changes prefetched by `unit_tree_on` / `unit_with_history` when they are."""
    changes = getattr(unit, "applied_changes", None)
    if changes is None:
        changes = unit.changes.filter(state=UnitChange.State.APPLIED).prefetch_related(
            "successors")
    return [successor for change in changes if change.ends_unit
            for successor in change.successors.all()]


def unit_with_history(*, pk: int) -> Unit:
    """One unit with its changes (every state, newest first, with their successors and who
    recorded them) and the changes it succeeded in (`predecessions`)."""
    return (Unit.objects.select_related("parent").prefetch_related(
        _applied_changes(),
        Prefetch("changes", to_attr="history_changes", queryset=UnitChange.objects
                 .select_related("created_by").prefetch_related("successors")),
        Prefetch("predecessions", to_attr="predecessor_changes",
                 queryset=UnitChange.objects.filter(state=UnitChange.State.APPLIED)
                 .select_related("unit")))
        .get(pk=pk))


def unit_changes_due(*, on: date) -> list[UnitChange]:
    """The changes waiting whose effective date has come, oldest first."""
    return list(UnitChange.objects.filter(state=UnitChange.State.PLANNED, effective_on__lte=on)
                .select_related("created_by").order_by("effective_on", "id"))


def unit_user_holdings(unit: Unit, on: date) -> list[Holding]:
    """The unit's users (a duty of a unit's life: each must go to a successor)."""
    return [Holding(key=f"user:{user.pk}", label=f"{user} ({user.username})",
                    role=user.get_role_display())
            for user in User.objects.filter(unit=unit).order_by("username")]


def unit_child_holdings(unit: Unit, on: date) -> list[Holding]:
    """The units directly under the unit that still exist on `on`."""
    return [Holding(key=f"unit:{child.pk}", label=f"{child.name} ({child.code})",
                    role=_("unit under it"))
            for child in Unit.objects.existing_on(on).filter(parent=unit).order_by("path")]
