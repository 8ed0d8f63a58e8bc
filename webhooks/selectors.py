"""Reads of webhook subscriptions and deliveries."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import WebhookDelivery, WebhookSubscription
from .permissions import can_manage_webhooks


def webhook_subscription_list_visible_to(*, user) -> QuerySet[WebhookSubscription]:
    """Every subscription for administrators; none for anyone else."""
    if not can_manage_webhooks(user):
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.select_related("owner").order_by("name", "id")


def webhook_deliveries_of(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return subscription.deliveries.order_by("-created_at", "-id")


def webhook_deliveries_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries of active, unpaused subscriptions whose attempt was due a while ago
    and has not happened (its job was never queued, or was lost): the oldest first."""
    late = (now or timezone.now()) - timedelta(seconds=settings.WEBHOOKS["requeue_after_seconds"])
    return list(WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PENDING, next_attempt_at__lte=late,
        subscription__is_active=True, subscription__paused_at__isnull=True,
    ).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
