"""Who may do what with programmes and tasks: predicates shared by views, templates and the API."""

from units.models import User


def can_manage_tasks(user) -> bool:
    """The programme secretariat (and administrators) create and change tasks, their outputs and
    (by decision) their deadlines."""
    return user.is_authenticated and (
        user.is_superuser or user.role in (User.Role.SECRETARIAT, User.Role.ADMIN))
