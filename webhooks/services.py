"""Every write to webhook subscriptions and their deliveries.

An event (core.events) becomes one delivery row per subscription that wants it and whose owner
may read what it is about, in the event's own transaction, and its job is queued after commit.
A delivery is attempted until the receiver answers 2xx: each failure waits longer (exponential
backoff) and counts against the subscription, which is paused, and its owner told, after
WEBHOOK_PAUSE_AFTER_FAILURES failures in a row. Nothing is lost when the broker or the receiver
is down: the rows wait, and the beat job `webhooks.requeue_due` queues those due again.
Recording an event and resuming a subscription queue jobs: they live in webhooks/outbox.py.
"""

import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audited
from core.errors import NotAllowed
from core.events import EVENT_KINDS
from units.models import Notification, User
from units.notifications import notify

from .models import WebhookDelivery, WebhookSubscription
from .permissions import can_manage_webhooks
from .signing import HEADER, signature_header

EDITABLE = ("name", "url", "events", "owner", "is_active")
#: A retry queued for its time may start a moment early (the worker's timer): still due.
EARLY_SLACK = timedelta(seconds=1)


def _check(subscription: WebhookSubscription) -> None:
    unknown = [kind for kind in subscription.events if kind not in EVENT_KINDS.values]
    if not isinstance(subscription.events, list) or not subscription.events or unknown:
        raise ValidationError({"events": _("Choose one or more of: %(kinds)s.")
                               % {"kinds": ", ".join(EVENT_KINDS.values)}})
    subscription.events = list(dict.fromkeys(subscription.events))
    subscription.full_clean()


@transaction.atomic
def webhook_subscription_create(*, actor, name: str, url: str, events: list[str],
                                owner: User | None = None,
                                is_active: bool = True) -> WebhookSubscription:
    """Subscribe a system (administrators only); its signing secret is made here."""
    if not can_manage_webhooks(actor):
        raise NotAllowed(_("Only administrators manage webhook subscriptions."))
    subscription = WebhookSubscription(name=name.strip(), url=url.strip(), events=events,
                                       owner=owner or actor, is_active=is_active,
                                       secret=secrets.token_urlsafe(32))
    _check(subscription)
    audited(subscription, actor, _("Webhook subscription created")).save()
    return subscription


@transaction.atomic
def webhook_subscription_update(*, subscription: WebhookSubscription, actor,
                                **fields) -> WebhookSubscription:
    """Change a subscription's name, URL, events, owner or whether it is on."""
    if not can_manage_webhooks(actor):
        raise NotAllowed(_("Only administrators manage webhook subscriptions."))
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(subscription, name, value.strip() if isinstance(value, str) else value)
    _check(subscription)
    audited(subscription, actor, _("Webhook subscription changed")).save()
    return subscription


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling, up to six hours."""
    base = settings.WEBHOOKS["backoff_seconds"]
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 6 * 3600))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer that is not 2xx: it counts as a failure


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = delivery.body.encode()
    request = urllib.request.Request(subscription.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "ProgrammeTracker-Webhooks/1",
        "X-PT-Event": delivery.event,
        "X-PT-Delivery": str(delivery.uuid),
        HEADER: signature_header(secret=subscription.secret, body=body),
    })
    try:
        with _OPENER.open(request, timeout=settings.WEBHOOKS["timeout_seconds"]) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (OSError, ValueError) as error:  # refused, timed out, DNS, a URL it cannot send to
        return None, repr(error)[:500]


@dataclass(frozen=True)
class Attempt:
    outcome: str  # delivered, retry, failed, paused, not_due, done, busy
    retry_at: datetime | None = None


PAUSED_SUBJECT = gettext_lazy("Webhook subscription paused: %(name)s")
PAUSED_BODY = gettext_lazy(
    "Deliveries to %(name)s failed %(failures)s times in a row, so it is paused. Events keep "
    "waiting for it; resume it in the administration once the receiving system answers again.")


def _pause(subscription: WebhookSubscription, now: datetime) -> None:
    subscription.paused_at = now
    audited(subscription, None, _("Paused after failures in a row")).save(
        update_fields=["paused_at", "updated_at"])
    notify(recipients=[subscription.owner], kind=Notification.Kind.WEBHOOK_PAUSED,
           key=f"webhook-paused:{subscription.pk}:{now.isoformat()}",
           subject=PAUSED_SUBJECT, body=PAUSED_BODY,
           params={"name": subscription.name, "failures": subscription.consecutive_failures},
           link=reverse("admin:webhooks_webhooksubscription_change", args=[subscription.pk]))


@transaction.atomic
def webhook_delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> Attempt:
    """POST one delivery if it is due, and record the outcome: delivered (2xx), or the time of
    the next attempt, or given up after WEBHOOK_MAX_ATTEMPTS. The row stays locked meanwhile, so
    a delivery queued twice (a retry and the beat's re-queue) is sent once."""
    now = now or timezone.now()
    delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True)
                .filter(pk=delivery_id).first())
    if delivery is None:
        return Attempt("busy")
    if delivery.state != WebhookDelivery.State.PENDING:
        return Attempt("done")
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    if not subscription.is_active or subscription.is_paused:
        return Attempt("paused")
    if delivery.next_attempt_at > now + EARLY_SLACK:
        return Attempt("not_due")
    code, error = _post(subscription, delivery)
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.response_code = timezone.now(), code
    if code is not None and 200 <= code < 300:
        delivery.state, delivery.delivered_at, delivery.last_error = (
            WebhookDelivery.State.DELIVERED, delivery.last_attempt_at, "")
        delivery.save()
        if subscription.consecutive_failures:
            subscription.consecutive_failures = 0
            subscription.save(update_fields=["consecutive_failures", "updated_at"])
        return Attempt("delivered")
    delivery.last_error = error
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1)
    subscription.refresh_from_db(fields=["consecutive_failures"])
    if delivery.attempts >= settings.WEBHOOKS["max_attempts"]:
        delivery.state = WebhookDelivery.State.FAILED
        delivery.save()
        outcome = Attempt("failed")
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
        outcome = Attempt("retry", delivery.next_attempt_at)
    if subscription.consecutive_failures >= settings.WEBHOOKS["pause_after_failures"]:
        _pause(subscription, now)
        return Attempt("paused")
    return outcome
