"""Who may do what with programmes and tasks: predicates shared by views, templates and the API."""

from units.permissions import is_programme_office


def can_manage_programmes(user) -> bool:
    """The programme secretariat (and administrators) manage resolutions, groups, tasks,
    outputs and deadlines, and import task lists."""
    return is_programme_office(user)


def can_export_tasks(user) -> bool:
    """Anyone signed in exports the tasks they can see."""
    return user.is_authenticated
