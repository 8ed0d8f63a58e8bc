"""The units app's data: units and their life (`units`, `changes`), people, notifications and
credentials (`people`)."""

from .changes import UnitChange, UnitSuccession
from .people import (
    NOTIFICATION_KINDS,
    ApiToken,
    EmailPreference,
    Notification,
    SignInEvent,
    User,
    notification_kind_choices,
)
from .units import Unit, UnitAlias, UnitQuerySet

__all__ = [
    "NOTIFICATION_KINDS",
    "ApiToken",
    "EmailPreference",
    "Notification",
    "SignInEvent",
    "Unit",
    "UnitAlias",
    "UnitChange",
    "UnitQuerySet",
    "UnitSuccession",
    "User",
    "notification_kind_choices",
]
