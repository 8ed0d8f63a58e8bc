"""Background jobs of webhooks: one delivery attempt, and the beat's catch-up of those due."""

from datetime import datetime

from celery import shared_task

from core.joblog import logged_job
from core.queueing import queue_now

from .selectors import webhook_deliveries_due
from .services import webhook_delivery_attempt


@shared_task(name="webhooks.deliver", acks_late=True)
@logged_job("webhooks.deliver")
def deliver_webhook(delivery_id: int) -> dict:
    """Attempt one delivery; after a failure, queue the next attempt for its time (exponential
    backoff). If that cannot be queued, the row says when it is due and the beat finds it."""
    attempt = webhook_delivery_attempt(delivery_id=delivery_id)
    if attempt.retry_at is not None:
        queue_now(deliver_webhook, delivery_id, eta=attempt.retry_at)
    return {attempt.outcome: 1}


@shared_task(name="webhooks.requeue_due", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=3)
@logged_job("webhooks.requeue_due")
def requeue_due(now: str | None = None) -> dict:
    """Queue again every delivery whose attempt is overdue (the broker was down when it was to be
    queued, or lost it, or no worker ran): nothing waits for ever."""
    when = datetime.fromisoformat(now) if now else None
    ids = webhook_deliveries_due(now=when)
    return {"due": len(ids),
            "queued": sum(queue_now(deliver_webhook, delivery_id) for delivery_id in ids)}
