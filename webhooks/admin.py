"""Webhook subscriptions in the admin: every change through the services; deliveries read only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.events import event_kind_choices

from .models import WebhookDelivery, WebhookSubscription
from .outbox import webhook_subscription_resume
from .permissions import can_manage_webhooks
from .services import (
    webhook_subscription_create,
    webhook_subscription_update,
)


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("events"), widget=forms.CheckboxSelectMultiple,
                                       choices=event_kind_choices)  # read when drawn

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "owner", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(SimpleHistoryAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "owner", "is_active", "paused_at", "consecutive_failures"]
    list_filter = ["is_active", ("paused_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "url", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["secret", "paused_at", "consecutive_failures", "created_at", "updated_at"]
    fields = [*SubscriptionForm.Meta.fields, *readonly_fields]
    raw_id_fields = ["owner"]
    actions = ["resume"]

    def has_module_permission(self, request):
        return can_manage_webhooks(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_webhooks(request.user)

    has_add_permission = has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # switch it off instead: the delivery log stays

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in SubscriptionForm.Meta.fields}
        try:
            if change:
                webhook_subscription_update(subscription=obj, actor=request.user, **fields)
            else:
                created = webhook_subscription_create(actor=request.user, **fields)
                obj.pk, obj.secret = created.pk, created.secret
        except ValidationError as error:  # the form checked the same: a race at most
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Resume the selected paused subscriptions"))
    def resume(self, request, queryset):
        paused = list(queryset.filter(paused_at__isnull=False))
        for subscription in paused:
            webhook_subscription_resume(subscription=subscription, actor=request.user)
        self.message_user(request, _("%(count)d subscription(s) resumed.")
                          % {"count": len(paused)}, messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: what was sent, when, how often, and what the receiver answered."""

    list_display = ["created_at", "subscription", "event", "state", "attempts",
                    "last_attempt_at", "response_code", "delivered_at"]
    list_filter = ["state", "event", "subscription"]
    list_select_related = ["subscription"]
    search_fields = ["key", "uuid"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_module_permission(self, request):
        return can_manage_webhooks(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_webhooks(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
