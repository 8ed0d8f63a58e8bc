"""Who may do what with progress reports: predicates shared by views, templates and the API.

Each step of the workflow is who may ever take it (role, unit) and the states it is taken in, so
that a refusal says which of the two stood in the way (`report_step_check`), for every caller
alike.
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
from units.selectors import units_expected_to_report

from .models import ProgressReport

State = ProgressReport.State


def can_view_report(user, report) -> bool:
    """The reporting unit's scope, and the task's lead, who sees its coordinating units' reports.

    Reads `report.task.lead_unit.members` for a collective lead."""
    if unit_in_scope(user, report.unit):
        return True
    bodies = units_expected_to_report(units=[report.task.lead_unit])
    return any(unit_in_scope(user, body) for body in bodies)


def _writes_for(user, report) -> bool:
    return reports_for_unit(user) and unit_in_scope(user, report.unit)


def _decides_for(user, report) -> bool:
    return is_unit_leader(user) and unit_in_scope(user, report.unit)


def _reopens(user, report) -> bool:
    return is_programme_office(user)


@dataclass(frozen=True)
class ReportStep:
    """Something done to a report: who may ever do it (`who`, a signed-in user) and the states
    of the report it is done in."""

    who: Callable[..., bool]
    states: frozenset[str]

    def allows(self, user, report) -> bool:
        # The state first: it costs no query, the unit's scope may.
        return (user.is_authenticated and report.state in self.states
                and self.who(user, report))


#: Reporters and leaders of the reporting unit (or above it) edit drafts and returned reports,
#: and submit them.
EDIT = SUBMIT = ReportStep(_writes_for, frozenset({State.DRAFT, State.RETURNED}))
#: The leader of the reporting unit (or of a unit above it) approves or returns it.
DECIDE = ReportStep(_decides_for, frozenset({State.SUBMITTED}))
#: Only the programme secretariat (or an administrator) reopens an approved report.
REOPEN = ReportStep(_reopens, frozenset({State.APPROVED}))


def report_step_check(step: ReportStep, user, report, *, refused: str | None = None,
                      wrong_state: str | None = None) -> None:
    """Return if the user may take the step on the report as it stands; otherwise raise
    WrongState when only the report's state is in the way (the same user could take the step in
    another state), else NotAllowed. `refused` and `wrong_state` are their messages."""
    if step.allows(user, report):
        return
    if not (user.is_authenticated and step.who(user, report)):
        raise NotAllowed(refused or _("You may not do this to this report."))
    raise WrongState(wrong_state or _("The report is %(state)s: this cannot be done to it now.")
                     % {"state": report.get_state_display().lower()})


def can_edit_report(user, report) -> bool:
    return EDIT.allows(user, report)


def can_submit_report(user, report) -> bool:
    return SUBMIT.allows(user, report)


def can_decide_report(user, report) -> bool:
    return DECIDE.allows(user, report)


def can_reopen_report(user, report) -> bool:
    return REOPEN.allows(user, report)


def can_read_monthly_reports(user) -> bool:
    """The monthly report to the Standing Secretariat: leadership, secretariat, administrators."""
    return oversees_all_units(user)


def can_issue_monthly_reports(user) -> bool:
    """The programme secretariat (or an administrator) issues it."""
    return is_programme_office(user)


def can_view_dashboard(user) -> bool:
    """The dashboard: leadership, secretariat and administrators across all units; a unit leader
    for the tasks of their unit and the units under it. Reporters have their own page ("my
    tasks"), not the dashboard."""
    return oversees_all_units(user) or is_unit_leader(user)
