"""Background jobs of the units app: sending notification emails, applying unit changes."""

from datetime import date

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.joblog import logged_job

from .mail import notification_send_email
from .models import Notification
from .selectors import unit_changes_due
from .services import unit_change_apply, unit_change_note_problem

BATCH = 200


@shared_task(name="units.send_notification_emails", autoretry_for=(Exception,),
             retry_backoff=True, retry_backoff_max=600, max_retries=8)
@logged_job("units.send_notification_emails")
def send_notification_emails() -> dict:
    """Email every notification waiting to be emailed. Safe to run twice, or on two workers."""
    sent = 0
    while True:
        pending = list(Notification.objects.filter(email_wanted=True, emailed_at__isnull=True)
                       .order_by("id").values_list("id", flat=True)[:BATCH])
        if not pending:
            break
        progressed = False
        for notification_id in pending:
            if notification_send_email(notification_id=notification_id):
                sent += 1
                progressed = True
        if not progressed:
            break  # the rest are being sent by another worker right now
    return {"sent": sent}


@shared_task(name="units.apply_unit_changes", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
@logged_job("units.apply_unit_changes")
def apply_unit_changes(on: str | None = None) -> dict:
    """Apply every recorded unit change whose effective date has come by `on` (ISO; default
    today), as the person who recorded it. A change that cannot be applied (something came to
    the unit that nobody was named to take) waits, its problem shown on the unit's page.
    Idempotent."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    applied = refused = 0
    for change in unit_changes_due(on=day):
        try:
            unit_change_apply(change=change, actor=change.created_by)
            applied += 1
        except ValidationError as exc:
            unit_change_note_problem(change=change, problem=" ".join(exc.messages))
            refused += 1
    return {"applied": applied, "refused": refused}
