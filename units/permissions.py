"""What a user's role lets them be: the role predicates every app's permissions build on.

Each role rule is written here once; `tasks.permissions` and `reports.permissions` combine these
with their objects' state, and templates read the result through `config.context_processors`.
"""

from .models import User

#: The roles of the office that runs the programme (besides superusers).
PROGRAMME_OFFICE = frozenset({User.Role.SECRETARIAT, User.Role.ADMIN})

#: The roles that write and submit progress reports for their unit.
REPORTING_ROLES = frozenset({User.Role.REPORTER, User.Role.LEADER})


def is_programme_office(user) -> bool:
    """A superuser, the programme secretariat or an administrator."""
    return user.is_authenticated and (user.is_superuser or user.role in PROGRAMME_OFFICE)


def oversees_all_units(user) -> bool:
    """A superuser, or a role whose scope is every unit (secretariat, leadership,
    administrator)."""
    return user.is_authenticated and user.sees_all_units


def is_unit_leader(user) -> bool:
    """The leader of a unit (who approves its reports and oversees the units under it)."""
    return user.is_authenticated and user.role == User.Role.LEADER and bool(user.unit_id)


def reports_for_unit(user) -> bool:
    """A reporter or a unit leader: writes and submits the unit's progress reports."""
    return user.is_authenticated and user.role in REPORTING_ROLES


def unit_in_scope(user, unit) -> bool:
    """Whether `unit` is the user's unit or under it (or the user's role spans all units)."""
    if not user.is_authenticated:
        return False
    if user.sees_all_units:
        return True
    return bool(user.unit_id) and unit.path.startswith(user.unit.path)
