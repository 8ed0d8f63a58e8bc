"""What every edit screen's service shares: refusing an edit made on a stale copy."""

from datetime import datetime

from django.utils.translation import gettext as _


class StaleEditError(Exception):
    """The row changed since the editor loaded it; the write was refused and nothing was saved.

    `current` is the row as it now stands, to show beside what the editor typed.
    """

    def __init__(self, current):
        self.current = current
        super().__init__(_("This was changed by someone else since you opened it. Nothing of "
                           "yours was saved: compare with their version, then save again to "
                           "replace it."))


def lock_unchanged(instance, expected_updated_at: datetime | None):
    """Lock the row; refuse (StaleEditError) when it changed since `expected_updated_at`.

    FOR NO KEY UPDATE: rows that only refer to this one (the per-task facts being computed
    meanwhile) are not kept waiting, so that computation never waits for this transaction
    while this one waits for it."""
    current = type(instance).objects.select_for_update(no_key=True).get(pk=instance.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise StaleEditError(current)
    return current
