"""The services that queue delivery jobs (the jobs never import this module): storing an event
for its subscribers, in the event's transaction, and resuming a paused subscription."""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited
from core.errors import NotAllowed
from core.events import event_visible
from core.queueing import queue_after_commit

from .jobs import deliver_webhook
from .models import WebhookDelivery, WebhookSubscription
from .permissions import can_manage_webhooks


def _body(*, delivery_uuid, kind: str, key: str, data: dict) -> str:
    return json.dumps({"id": str(delivery_uuid), "event": kind, "key": key,
                       "occurred_at": timezone.now().isoformat(), "data": data},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def webhook_outbox_record(*, kind: str, key: str, object_id: int, data: dict) -> int:
    """The event handler (core.events): a delivery row for each active subscription to `kind`
    whose owner may read the object, in the caller's transaction; each delivered after commit.
    An event already stored for a subscription (same key) is not stored again. Returns how many
    rows were written."""
    subscriptions = [
        subscription for subscription in
        WebhookSubscription.objects.filter(is_active=True).select_related("owner__unit")
        if kind in subscription.events
        and event_visible(kind, user=subscription.owner, object_id=object_id)]
    if not subscriptions:
        return 0
    known = set(WebhookDelivery.objects.filter(subscription__in=subscriptions, key=key)
                .values_list("subscription_id", flat=True))
    now = timezone.now()
    rows = []
    for subscription in subscriptions:
        if subscription.pk in known:
            continue
        row = WebhookDelivery(subscription=subscription, event=kind, key=key, next_attempt_at=now)
        row.body = _body(delivery_uuid=row.uuid, kind=kind, key=key, data=data)
        rows.append(row)
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    for row in WebhookDelivery.objects.filter(uuid__in=[row.uuid for row in rows]):
        queue_after_commit(deliver_webhook, row.pk)
    return len(rows)


@transaction.atomic
def webhook_subscription_resume(*, subscription: WebhookSubscription,
                                actor) -> WebhookSubscription:
    """Resume a paused subscription: what waited is delivered at once, in order."""
    if not can_manage_webhooks(actor):
        raise NotAllowed(_("Only administrators manage webhook subscriptions."))
    subscription.paused_at, subscription.consecutive_failures = None, 0
    audited(subscription, actor, _("Webhook subscription resumed")).save()
    waiting = WebhookDelivery.objects.filter(subscription=subscription,
                                             state=WebhookDelivery.State.PENDING)
    waiting.update(next_attempt_at=timezone.now())
    for delivery_id in waiting.values_list("pk", flat=True):
        queue_after_commit(deliver_webhook, delivery_id)
    return subscription
