"""Webhook subscriptions in the admin: an administrator adds one (through the service, audited,
with its secret made), sees the delivery log and resumes a paused one; other staff see nothing."""

import yaml
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from units.models import User
from webhooks.models import WebhookSubscription
from webhooks.services import webhook_subscription_create


def test_an_administrator_adds_a_subscription_in_the_admin(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("admin:webhooks_webhooksubscription_add"), {
        "name": "Cổng dữ liệu tỉnh", "url": "https://data.example.gov.vn/pt",
        "events": ["task.status_changed", "task.deadline_changed"],
        "owner": administrator.pk, "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["task.status_changed", "task.deadline_changed"]
    assert len(subscription.secret) >= 40
    assert subscription.history.first().history_user == administrator
    page = client.get(reverse("admin:webhooks_webhooksubscription_change",
                              args=[subscription.pk])).content.decode()
    assert subscription.secret in page  # the administrator gives it to the receiving system
    assert client.get(reverse("admin:webhooks_webhookdelivery_changelist")).status_code == 200


def test_the_admin_resumes_a_paused_subscription(client, administrator):
    subscription = webhook_subscription_create(actor=administrator, name="Hệ thống",
                                               url="https://x.example/", events=["report.approved"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(paused_at=timezone.now(),
                                                                  consecutive_failures=10)
    client.force_login(administrator)
    response = client.post(reverse("admin:webhooks_webhooksubscription_changelist"), {
        "action": "resume", "_selected_action": [subscription.pk]})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert not subscription.is_paused and subscription.consecutive_failures == 0


def test_other_staff_do_not_see_webhooks_in_the_admin(client, administrator):
    staff = UserFactory(role=User.Role.SECRETARIAT, unit=None, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:webhooks_webhooksubscription_changelist")).status_code \
        == 403
    assert client.get(reverse("admin:webhooks_webhookdelivery_changelist")).status_code == 403


def test_the_webhooks_api_is_in_the_schema(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert {"/api/v1/webhooks/", "/api/v1/webhooks/{id}/", "/api/v1/webhooks/{id}/resume/",
            "/api/v1/webhooks/{id}/deliveries/"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/webhooks/"]) == {"get", "post"}
