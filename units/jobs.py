"""Background jobs of the units app: sending notification emails."""

from celery import shared_task

from core.joblog import logged_job

from .mail import notification_send_email
from .models import Notification

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
