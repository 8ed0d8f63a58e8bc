"""Webhook subscriptions of other systems, and the deliveries to them (the outbox and its log)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WebhookSubscription(models.Model):
    """A system told of events (kinds from core.events) by an HTTP POST to its URL, signed with
    its secret. It learns only what its owner may read."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    events = models.JSONField(_("events"), default=list,
                              help_text=_("The kinds of event sent to this system."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="webhook_subscriptions",
                              help_text=_("The system sees only what this account may read; "
                                          "it is told when the subscription is paused."))
    is_active = models.BooleanField(_("active"), default=True)
    #: Set when deliveries failed WEBHOOK_PAUSE_AFTER_FAILURES times in a row; resuming clears it.
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="webhook_has_name"),
            models.CheckConstraint(condition=~Q(secret=""), name="webhook_has_secret"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class WebhookDelivery(models.Model):
    """One event for one subscription: stored in the event's own transaction (the outbox), then
    attempted until delivered; its attempts are its log."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be delivered")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    subscription = models.ForeignKey(WebhookSubscription, verbose_name=_("subscription"),
                                     on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=60)
    #: Names the event once: the same event emitted again is not stored twice.
    key = models.CharField(_("event key"), max_length=200)
    #: The exact JSON sent, so every attempt sends (and signs) the same bytes.
    body = models.TextField(_("body"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"],
                                    name="webhook_delivery_once_per_event"),
            models.CheckConstraint(condition=~Q(state="delivered")
                                   | Q(delivered_at__isnull=False),
                                   name="webhook_delivered_has_time"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"),
                         name="webhook_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription}"
