"""Who may do what with progress reports: predicates shared by views, templates and the API."""

from units.models import User
from units.selectors import units_expected_to_report


def unit_in_scope(user, unit) -> bool:
    """Whether `unit` is the user's unit or under it (or the user's role spans all units)."""
    if not user.is_authenticated:
        return False
    if user.sees_all_units:
        return True
    return bool(user.unit_id) and unit.path.startswith(user.unit.path)


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
        user.is_authenticated
        and user.role in (User.Role.REPORTER, User.Role.LEADER)
        and report.state in (report.State.DRAFT, report.State.RETURNED)
        and unit_in_scope(user, report.unit)
    )


def can_submit_report(user, report) -> bool:
    return can_edit_report(user, report)


def can_decide_report(user, report) -> bool:
    """The leader of the reporting unit (or of a unit above it) approves or returns it."""
    return (
        user.is_authenticated
        and user.role == User.Role.LEADER
        and report.state == report.State.SUBMITTED
        and unit_in_scope(user, report.unit)
    )


def can_reopen_report(user, report) -> bool:
    """Only the programme secretariat (or an administrator) reopens an approved report."""
    return (
        user.is_authenticated
        and (user.is_superuser or user.role in (User.Role.SECRETARIAT, User.Role.ADMIN))
        and report.state == report.State.APPROVED
    )


def can_read_monthly_reports(user) -> bool:
    """The monthly report to the Standing Secretariat: leadership, secretariat, administrators."""
    return user.is_authenticated and (
        user.is_superuser
        or user.role in (User.Role.SECRETARIAT, User.Role.LEADERSHIP, User.Role.ADMIN))


def can_issue_monthly_reports(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.role in (User.Role.SECRETARIAT, User.Role.ADMIN))


def can_view_dashboard(user) -> bool:
    """The dashboard: leadership, secretariat and administrators across all units; a unit leader
    for the tasks of their unit and the units under it. Reporters have their own page ("my
    tasks"), not the dashboard."""
    return user.is_authenticated and (
        user.sees_all_units or (user.role == User.Role.LEADER and bool(user.unit_id)))
