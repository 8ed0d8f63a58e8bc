"""Webhook subscriptions through the API, for administrators only."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ApiPagination, text_field
from core.events import EVENT_KINDS
from tasks.api.common import ScopedViewSetMixin, run_service
from units.models import User

from .models import WebhookDelivery, WebhookSubscription
from .outbox import webhook_subscription_resume
from .permissions import can_manage_webhooks
from .selectors import webhook_deliveries_of, webhook_subscription_list_visible_to
from .services import (
    webhook_subscription_create,
    webhook_subscription_update,
)


class IsAdministrator(drf_permissions.BasePermission):
    message = _("Only administrators manage webhook subscriptions.")

    def has_permission(self, request, view):
        return can_manage_webhooks(request.user)


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_KINDS.choices))
    paused = serializers.BooleanField(source="is_paused", read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "events", "owner", "is_active", "paused", "paused_at",
                  "consecutive_failures", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


def _owner_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True),
        help_text=_("The account whose reading rights the subscription has (the creator's by "
                    "default)."), **kwargs)


class WebhookSubscriptionCreateSerializer(serializers.Serializer):
    name = text_field(max_length=200)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_KINDS.choices),
                                   min_length=1)
    owner = _owner_field(required=False)
    is_active = serializers.BooleanField(required=False, default=True)


class WebhookSubscriptionUpdateSerializer(serializers.Serializer):
    name = text_field(max_length=200, required=False)
    url = serializers.URLField(max_length=500, required=False)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_KINDS.choices),
                                   min_length=1, required=False)
    owner = _owner_field(required=False)
    is_active = serializers.BooleanField(required=False)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "uuid", "event", "key", "state", "attempts", "next_attempt_at",
                  "last_attempt_at", "response_code", "last_error", "created_at",
                  "delivered_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("List webhook subscriptions (administrators)")),
    retrieve=extend_schema(summary=_("Read a webhook subscription (administrators)")),
    create=extend_schema(summary=_("Subscribe a system to events (administrators)"),
                         description=_("The answer carries the signing secret, shown this "
                                       "once."),
                         request=WebhookSubscriptionCreateSerializer,
                         responses={201: WebhookSubscriptionCreatedSerializer}),
    partial_update=extend_schema(summary=_("Change a webhook subscription (administrators)"),
                                 request=WebhookSubscriptionUpdateSerializer,
                                 responses={200: WebhookSubscriptionSerializer}),
)
class WebhookSubscriptionViewSet(ScopedViewSetMixin, mixins.ListModelMixin,
                                 mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Systems told of events by a signed HTTP POST (README.md, "Webhooks")."""

    serializer_class = WebhookSubscriptionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends: list = []

    def get_permissions(self):
        return [*super().get_permissions(), IsAdministrator()]

    def scoped_queryset(self):
        return webhook_subscription_list_visible_to(user=self.request.user)

    def create(self, request, *args, **kwargs):
        subscription = run_service(request, WebhookSubscriptionCreateSerializer,
                                   webhook_subscription_create)
        return Response(WebhookSubscriptionCreatedSerializer(subscription).data,
                        status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        subscription = self.get_object()
        run_service(request, WebhookSubscriptionUpdateSerializer, webhook_subscription_update,
                    subscription=subscription)
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(summary=_("Resume a paused webhook subscription (administrators)"),
                   request=None, responses={200: WebhookSubscriptionSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        subscription = webhook_subscription_resume(subscription=self.get_object(),
                                                   actor=request.user)
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(summary=_("The delivery log of a webhook subscription (administrators)"),
                   responses={200: WebhookDeliverySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=ApiPagination)
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(webhook_deliveries_of(subscription=self.get_object()))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
