"""Who may do what with the register's items, for views, templates and the API alike.

- the raising unit (its reporters and leaders, or those of a unit above it) and the secretariat
  address a received item and split it;
- the addressee unit's people (reporters and leaders of it or above it) take up and answer an
  item addressed to it; the secretariat those addressed to an authority or to no one yet;
- the secretariat closes an item and reopens an answered or closed one;
- everyone who oversees all units reads every item; a unit reads what it raised and what is
  addressed to it.
"""

from django.utils.translation import gettext as _

from core.errors import NotAllowed, WrongState
from units.permissions import (
    is_programme_office,
    oversees_all_units,
    reports_for_unit,
    unit_in_scope,
)

from ..models import Proposal

State = Proposal.State


def can_view_proposal(user, item: Proposal) -> bool:
    if oversees_all_units(user):
        return True
    if not user.is_authenticated or not user.unit_id:
        return False
    return unit_in_scope(user, item.report.unit) or bool(
        item.addressee_unit_id and unit_in_scope(user, item.addressee_unit))


def _raiser(user, item) -> bool:
    return is_programme_office(user) or (reports_for_unit(user)
                                         and unit_in_scope(user, item.report.unit))


def _answerer(user, item) -> bool:
    if item.addressee_kind == Proposal.AddresseeKind.UNIT:
        return (reports_for_unit(user) and not user.sees_all_units
                and unit_in_scope(user, item.addressee_unit))
    return is_programme_office(user)


#: Each step: who may ever take it, and the states it is taken from.
STEPS = {
    "address": (_raiser, {State.RECEIVED}),
    "split": (_raiser, {State.RECEIVED}),
    "handle": (_answerer, {State.RECEIVED}),
    "answer": (_answerer, {State.RECEIVED, State.HANDLING}),
    "close": (lambda user, item: is_programme_office(user),
              {State.RECEIVED, State.HANDLING, State.ANSWERED}),
    "reopen": (lambda user, item: is_programme_office(user), {State.ANSWERED, State.CLOSED}),
}


def can_take_step(step: str, user, item: Proposal) -> bool:
    who, states = STEPS[step]
    return user.is_authenticated and item.state in states and who(user, item)


def proposal_step_check(step: str, user, item: Proposal) -> None:
    """Return if the user may take the step now; else WrongState when only the item's state is
    in the way, NotAllowed otherwise."""
    who, states = STEPS[step]
    if not (user.is_authenticated and who(user, item)):
        raise NotAllowed(_("You may not do this to this item."))
    if item.state not in states:
        raise WrongState(_("The item is %(state)s: this cannot be done to it now.")
                         % {"state": item.get_state_display().lower()})


def steps_allowed(user, item: Proposal) -> set[str]:
    return {step for step in STEPS if can_take_step(step, user, item)}
