"""Who may do what with indicators and their values: the same role rules as progress reports
(units.permissions), so a unit's reporters enter its figures and its leader approves them.

An indicator value is entered by its reporting unit: the unit of a breakdown value, or for the
national figure the indicator's responsible unit.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import NotAllowed, WrongState
from units.permissions import (
    is_programme_office,
    is_unit_leader,
    oversees_all_units,
    reports_for_unit,
    unit_in_scope,
)

from .models import IndicatorValue

State = IndicatorValue.State


def can_manage_indicators(user) -> bool:
    """The programme secretariat (and administrators) define indicators and their targets."""
    return is_programme_office(user)


def can_see_missing_values(user) -> bool:
    """The roles across all units (the secretariat first) see which units owe values."""
    return oversees_all_units(user)


def can_view_value(user, value) -> bool:
    """An approved value is for everyone signed in; one on its way, for the reporting unit's
    scope and the roles across all units."""
    if not user.is_authenticated:
        return False
    return (value.state == State.APPROVED or oversees_all_units(user)
            or unit_in_scope(user, value.reporting_unit))


def may_enter_for(user, unit) -> bool:
    """Whether the user enters values for `unit` (a reporter or leader of it or above it)."""
    return reports_for_unit(user) and unit_in_scope(user, unit)


def _writes_for(user, value) -> bool:
    return may_enter_for(user, value.reporting_unit)


def _decides_for(user, value) -> bool:
    return is_unit_leader(user) and unit_in_scope(user, value.reporting_unit)


def _reopens(user, value) -> bool:
    return is_programme_office(user)


@dataclass(frozen=True)
class ValueStep:
    """Something done to a value: who may ever do it, and the states it is done in."""

    who: Callable[..., bool]
    states: frozenset[str]

    def allows(self, user, value) -> bool:
        return user.is_authenticated and value.state in self.states and self.who(user, value)


EDIT = SUBMIT = ValueStep(_writes_for, frozenset({State.DRAFT, State.RETURNED}))
DECIDE = ValueStep(_decides_for, frozenset({State.SUBMITTED}))
REOPEN = ValueStep(_reopens, frozenset({State.APPROVED}))


def value_step_check(step: ValueStep, user, value, *, refused: str | None = None) -> None:
    """Return if the user may take the step on the value as it stands; else WrongState when only
    the value's state is in the way, NotAllowed otherwise."""
    if step.allows(user, value):
        return
    if not (user.is_authenticated and step.who(user, value)):
        raise NotAllowed(refused or _("You may not do this to this value."))
    raise WrongState(_("The value is %(state)s: this cannot be done to it now.")
                     % {"state": value.get_state_display().lower()})


def can_edit_value(user, value) -> bool:
    return EDIT.allows(user, value)


def can_decide_value(user, value) -> bool:
    return DECIDE.allows(user, value)


def can_reopen_value(user, value) -> bool:
    return REOPEN.allows(user, value)
