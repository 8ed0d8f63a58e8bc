"""Why a service refused a write, as types every caller can tell apart.

Services raise them; the browser's views turn them into a page's errors, the API's exception
handler (config/api_errors.py) into its statuses: NotAllowed 403, WrongState 409 "invalid_state",
Stale 409 "stale". Input that is not valid stays Django's ValidationError (400). NotAllowed and
WrongState are PermissionDenied, so whoever only asks "was it refused?" still can.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class NotAllowed(PermissionDenied):
    """The actor may never do this to this object: their role or their unit does not allow it,
    whatever state the object is in."""

    def __init__(self, message: str | None = None):
        super().__init__(str(message or _("You do not have permission to do this.")))


class WrongState(PermissionDenied):
    """The actor may do this, but not to the object in the state it is in now."""

    def __init__(self, message: str | None = None):
        super().__init__(str(message or _("This cannot be done in its present state.")))


class Stale(Exception):
    """The object changed since the editor read it: nothing was written.

    `current` is the object as it now stands, to show beside what the editor sent.
    """

    def __init__(self, current, message: str | None = None):
        self.current = current
        super().__init__(message or _("This object was changed by someone else since you read "
                                      "it. Read it again and repeat your change; nothing was "
                                      "saved."))
