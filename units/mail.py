"""Sending one notification by email, exactly once (the email job calls it)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notification_send_email(*, notification_id: int) -> bool:
    """Email one notification unless it was already emailed; True when sent now.

    The row stays locked while the mail is handed to the server, so two workers never both send
    it; the Message-ID is derived from the notification, so a mail server or client can recognise
    the one duplicate a crash between sending and committing could cause.
    """
    with transaction.atomic():
        notification = (Notification.objects.select_for_update(skip_locked=True)
                        .select_related("recipient")
                        .filter(pk=notification_id, email_wanted=True, emailed_at__isnull=True)
                        .first())
        if notification is None:
            return False
        recipient = notification.recipient
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.link}"
        EmailMessage(
            subject=" ".join(notification.subject.split()), body=body, to=[recipient.email],
            headers={"Message-ID": f"<notification-{notification.pk}@{settings.EMAIL_DOMAIN}>"},
        ).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
