"""Who may do what with explanation requests.

- ask: leadership, the programme secretariat and administrators (their scope is every unit);
- answer: a leader of the unit asked (or of a unit above it); a reporter reads the request but
  does not answer it, since the answer commits the unit;
- close (accept the answer) or withdraw (before an answer): the requester, or the programme
  secretariat, which keeps the register;
- read: whoever may ask, and the people of the unit asked (and of the units above it).
"""

from units.permissions import (
    is_programme_office,
    is_unit_leader,
    oversees_all_units,
    unit_in_scope,
)

from .models import ExplanationRequest


def can_request_explanations(user) -> bool:
    return oversees_all_units(user)


def can_view_request(user, request: ExplanationRequest) -> bool:
    return oversees_all_units(user) or unit_in_scope(user, request.unit)


def can_answer_request(user, request: ExplanationRequest) -> bool:
    return (request.is_awaiting and is_unit_leader(user)
            and unit_in_scope(user, request.unit))


def _requester_or_office(user, request: ExplanationRequest) -> bool:
    return user.is_authenticated and (user.pk == request.requested_by_id
                                      or is_programme_office(user))


def can_close_request(user, request: ExplanationRequest) -> bool:
    return (request.state == ExplanationRequest.State.ANSWERED
            and _requester_or_office(user, request))


def can_withdraw_request(user, request: ExplanationRequest) -> bool:
    return request.is_awaiting and _requester_or_office(user, request)


def may_end_request(user, request: ExplanationRequest) -> bool:
    """Whether the user is one who closes or withdraws the request, whatever its state."""
    return _requester_or_office(user, request)


def may_answer_for(user, request: ExplanationRequest) -> bool:
    """Whether the user answers for the unit asked, whatever the request's state."""
    return is_unit_leader(user) and unit_in_scope(user, request.unit)
