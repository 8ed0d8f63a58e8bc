"""Telling people things: in-app notifications, and email for those who want it.

`notify` writes the notifications (once per person and event) inside the caller's transaction,
then queues the email job after commit. Each person reads them in their own language.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation

from core.queueing import queue_after_commit

from .jobs import send_notification_emails
from .models import EmailPreference, Notification, User

logger = logging.getLogger(__name__)


def _in_language(text, params: dict, language: str) -> str:
    with translation.override(language):
        values = {name: str(value) for name, value in params.items()}
        return str(text) % values if values else str(text)


def notify(*, recipients: Iterable[User], kind: str, key: str, subject, body,
           params: dict | None = None, link: str = "") -> int:
    """Notify each recipient once for the event `key`; returns how many were new.

    `subject` and `body` are lazy translatable strings with %(name)s placeholders filled from
    `params` (whose values may be lazy too), rendered in each recipient's language. Inactive users
    are skipped. Emailed to those with an address who have not opted out of the kind.
    """
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return 0
    params = params or {}
    opted_out = set(EmailPreference.objects.filter(user_id__in=people, kind=kind)
                    .values_list("user_id", flat=True))
    already = set(Notification.objects.filter(recipient_id__in=people, key=key)
                  .values_list("recipient_id", flat=True))
    rows = [
        Notification(
            recipient=user, kind=kind, key=key, link=link,
            # One line: a line break typed into a name or title must not reach a mail header.
            subject=" ".join(_in_language(subject, params, user.language).split())[:255],
            body=_in_language(body, params, user.language),
            email_wanted=bool(user.email) and user.pk not in opted_out,
        )
        for user in people.values() if user.pk not in already
    ]
    # A concurrent run may have written some meanwhile: the unique key keeps one of each.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.email_wanted for row in rows):
        queue_after_commit(send_notification_emails)
    return len(rows)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def email_preferences_set(*, user: User, emailed_kinds: Iterable[str]) -> None:
    """Email the user only the kinds in `emailed_kinds`."""
    wanted = set(emailed_kinds)
    EmailPreference.objects.filter(user=user).delete()
    EmailPreference.objects.bulk_create(
        EmailPreference(user=user, kind=kind) for kind in Notification.Kind.values
        if kind not in wanted
    )
