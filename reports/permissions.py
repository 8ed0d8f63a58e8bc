"""Who may do what with progress reports: predicates shared by views, templates and the API."""

from units.permissions import (
    is_programme_office,
    is_unit_leader,
    oversees_all_units,
    reports_for_unit,
    unit_in_scope,
)
from units.selectors import units_expected_to_report


def can_view_report(user, report) -> bool:
    """The reporting unit's scope, and the task's lead, who sees its coordinating units' reports.

    Reads `report.task.lead_unit.members` for a collective lead."""
    if unit_in_scope(user, report.unit):
        return True
    bodies = units_expected_to_report(units=[report.task.lead_unit])
    return any(unit_in_scope(user, body) for body in bodies)


def can_edit_report(user, report) -> bool:
    """Reporters and leaders of the reporting unit (or above it) edit drafts and returned
    reports."""
    return (
        reports_for_unit(user)
        and report.state in (report.State.DRAFT, report.State.RETURNED)
        and unit_in_scope(user, report.unit)
    )


def can_submit_report(user, report) -> bool:
    return can_edit_report(user, report)


def can_decide_report(user, report) -> bool:
    """The leader of the reporting unit (or of a unit above it) approves or returns it."""
    return (
        is_unit_leader(user)
        and report.state == report.State.SUBMITTED
        and unit_in_scope(user, report.unit)
    )


def can_reopen_report(user, report) -> bool:
    """Only the programme secretariat (or an administrator) reopens an approved report."""
    return is_programme_office(user) and report.state == report.State.APPROVED


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
