"""Who may do what with programmes and tasks: predicates shared by views, templates and the API."""

from units.permissions import is_programme_office, oversees_all_units


def can_manage_programmes(user) -> bool:
    """The programme secretariat (and administrators) manage resolutions, groups, tasks,
    outputs and deadlines, and import task lists."""
    return is_programme_office(user)


def can_export_tasks(user) -> bool:
    """Anyone signed in exports the tasks they can see."""
    return user.is_authenticated


def can_view_coverage(user) -> bool:
    """The secretariat and leadership (every role across all units) see which units have not
    yet broken down their tasks in their plans."""
    return oversees_all_units(user)
