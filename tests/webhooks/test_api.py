"""/api/v1/webhooks/: administrators subscribe systems, read the delivery log and resume a
paused subscription; every other role is refused; lists cost the same for 3 rows and 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from units.models import ApiToken, User
from units.services import api_token_issue
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import webhook_subscription_create

API = "/api/v1/webhooks/"


def _auth(user, scope=ApiToken.Scope.WRITE) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, scope=scope)[1]}"}


@pytest.fixture
def subscription(administrator):
    return webhook_subscription_create(actor=administrator, name="Cơ sở dữ liệu y tế",
                                       url="https://health.example.gov.vn/hooks",
                                       events=["report.approved"])


def test_an_administrator_subscribes_a_system_and_sees_the_secret_once(client, administrator):
    owner = UserFactory(username="national-system", role=User.Role.LEADERSHIP, unit=None)
    response = client.post(API, {"name": "Hệ thống báo cáo quốc gia",
                                 "url": "https://report.example.gov.vn/pt",
                                 "events": ["report.submitted", "monthly_report.issued"],
                                 "owner": "national-system"},
                           content_type="application/json", **_auth(administrator))
    assert response.status_code == 201, response.content
    created = response.json()
    subscription = WebhookSubscription.objects.get(pk=created["id"])
    assert created["secret"] == subscription.secret and len(subscription.secret) >= 40
    assert subscription.owner == owner
    assert subscription.history.first().history_user == administrator
    read = client.get(f"{API}{subscription.pk}/", **_auth(administrator)).json()
    assert "secret" not in read and read["events"] == ["report.submitted",
                                                      "monthly_report.issued"]


def test_bad_input_is_refused_with_its_field(client, administrator):
    response = client.post(API, {"name": "X", "url": "not a url", "events": ["nothing"]},
                           content_type="application/json", **_auth(administrator))
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"url", "events.0"} or \
        set(response.json()["error"]["fields"]) >= {"url", "events"}
    assert not WebhookSubscription.objects.exists()


def test_an_administrator_changes_switches_off_and_resumes_one(client, administrator,
                                                              subscription):
    url = f"{API}{subscription.pk}/"
    response = client.patch(url, {"events": ["report.returned"], "is_active": False},
                            content_type="application/json", **_auth(administrator))
    assert response.status_code == 200 and response.json()["is_active"] is False
    WebhookSubscription.objects.filter(pk=subscription.pk).update(paused_at=timezone.now(),
                                                                  consecutive_failures=10)
    response = client.post(f"{url}resume/", **_auth(administrator))
    assert response.status_code == 200
    assert response.json()["paused"] is False and response.json()["consecutive_failures"] == 0


@pytest.mark.parametrize("role", [User.Role.SECRETARIAT, User.Role.LEADERSHIP,
                                  User.Role.LEADER, User.Role.REPORTER])
def test_every_other_role_is_refused(client, department, subscription, role):
    user = UserFactory(role=role, unit=None if role in (User.Role.SECRETARIAT,
                                                        User.Role.LEADERSHIP) else department)
    for method, path, body in [("get", API, None), ("get", f"{API}{subscription.pk}/", None),
                               ("get", f"{API}{subscription.pk}/deliveries/", None),
                               ("post", API, {"name": "X", "url": "https://x.example/",
                                              "events": ["report.approved"]}),
                               ("patch", f"{API}{subscription.pk}/", {"is_active": False}),
                               ("post", f"{API}{subscription.pk}/resume/", None)]:
        kwargs = {"content_type": "application/json"} if body is not None else {}
        response = getattr(client, method)(path, body, **kwargs, **_auth(user))
        assert response.status_code == 403, (role, method, path)
        assert response.json()["error"]["code"] == "permission_denied"
    assert WebhookSubscription.objects.get().is_active
    assert client.get(API).status_code == 401


def test_a_read_token_of_an_administrator_only_reads(client, administrator, subscription):
    read = _auth(administrator, ApiToken.Scope.READ)
    assert client.get(API, **read).status_code == 200
    response = client.patch(f"{API}{subscription.pk}/", {"is_active": False},
                            content_type="application/json", **read)
    assert response.status_code == 403


def _count(client, path, auth) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, **auth).status_code == 200
    return len(queries)


def _add(administrator, count, subscription):
    for index in range(count):
        other = webhook_subscription_create(
            actor=administrator, name=f"Hệ thống {index}", url="https://x.example/",
            events=["report.approved"], owner=UserFactory(role=User.Role.LEADERSHIP, unit=None))
        WebhookDelivery.objects.create(subscription=subscription, event="report.approved",
                                       key=f"k{other.pk}", body="{}",
                                       next_attempt_at=timezone.now())


def test_the_lists_cost_the_same_for_3_rows_and_30(client, administrator, subscription):
    auth = _auth(administrator)
    client.get(API, **auth)  # the token's first use is recorded once (at most once a minute)
    _add(administrator, 3, subscription)
    few = [_count(client, API, auth), _count(client, f"{API}{subscription.pk}/deliveries/", auth)]
    _add(administrator, 27, subscription)
    many = [_count(client, API, auth), _count(client, f"{API}{subscription.pk}/deliveries/", auth)]
    assert client.get(API, **auth).json()["count"] == 31
    assert few == many
