"""Who may manage webhook subscriptions: administrators (and superusers)."""

from units.models import User


def can_manage_webhooks(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMIN)
