"""API tokens: issued once by a command, stored as a hash, sent as Bearer, revocable, expiring,
their last use recorded at most once a minute; a read token cannot write."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from units.models import ApiToken, User
from units.services import api_token_issue, api_token_revoke

from .conftest import bearer

TASKS = "/api/v1/tasks/"


def test_the_command_prints_the_token_once_and_keeps_only_its_hash(reporter):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "reporter", "--scope", "write", "--name",
                 "Hệ thống báo cáo quốc gia", "--expires-in-days", "30", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("pt_")
    token = ApiToken.objects.get()
    assert token.user == reporter and token.scope == "write"
    assert token.name == "Hệ thống báo cáo quốc gia"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values_list())  # the token itself is stored nowhere
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert "keep it secret" in err.getvalue()


def test_the_command_refuses_unknown_users_and_revokes_by_prefix(reporter):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    raw = api_token_issue(user=reporter, scope="read")[1]
    prefix = raw.split("_")[1]
    call_command("create_api_token", "--revoke", prefix, stdout=StringIO())
    assert ApiToken.objects.get().revoked_at is not None
    with pytest.raises(CommandError):
        call_command("create_api_token", "--revoke", "ffffffff", stdout=StringIO())


def test_a_token_acts_as_its_user(client, reporter, own_task, other_task, read_token):
    response = client.get(TASKS, **bearer(read_token))
    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == [own_task.code]


@pytest.mark.parametrize("header", [
    "Bearer pt_00000000_not-a-token", "Bearer pt_", "Bearer nothing", "Bearer a b",
    "Bearer", "Bearer pt_12345678_x\u00e9",
])
def test_a_wrong_token_is_refused_with_401_and_the_error_shape(client, db, header):
    response = client.get(TASKS, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_token_with_the_right_prefix_and_a_wrong_secret_is_refused(client, read_token):
    forged = read_token[:-4] + ("AAAA" if not read_token.endswith("AAAA") else "BBBB")
    assert client.get(TASKS, **bearer(forged)).status_code == 401


def test_no_credentials_is_401_naming_bearer(client, db):
    response = client.get(TASKS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"error": {
        "code": "not_authenticated", "message": response.json()["error"]["message"],
        "fields": {}}}


def test_a_revoked_token_stops_working_at_once(client, reporter):
    token, raw = api_token_issue(user=reporter, scope="read")
    assert client.get(TASKS, **bearer(raw)).status_code == 200
    api_token_revoke(token=token, actor=None)
    response = client.get(TASKS, **bearer(raw), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This token has been revoked."


def test_an_expired_token_is_refused(client, reporter):
    token, raw = api_token_issue(user=reporter, scope="read",
                                 expires_at=timezone.now() + timedelta(hours=1))
    assert client.get(TASKS, **bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(TASKS, **bearer(raw), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This token has expired."


def test_the_token_of_a_disabled_account_is_refused(client, reporter, read_token):
    User.objects.filter(pk=reporter.pk).update(is_active=False)
    assert client.get(TASKS, **bearer(read_token)).status_code == 401


def test_a_read_token_cannot_write_but_a_write_token_can(client, own_report, read_token,
                                                         write_token):
    url = f"/api/v1/progress-reports/{own_report.pk}/"
    body = {"version": 1, "percent_complete": 55}
    refused = client.patch(url, body, content_type="application/json", **bearer(read_token))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    own_report.refresh_from_db()
    assert own_report.percent_complete == 40
    done = client.patch(url, body, content_type="application/json", **bearer(write_token))
    assert done.status_code == 200
    own_report.refresh_from_db()
    assert own_report.percent_complete == 55 and own_report.version == 2
    # The audit history names the token's user, as for the browser.
    assert own_report.history.first().history_user.username == "reporter"


def test_last_use_is_written_at_most_once_a_minute(client, reporter):
    token, raw = api_token_issue(user=reporter, scope="read")
    assert token.last_used_at is None
    client.get(TASKS, **bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    def updates():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TASKS, **bearer(raw)).status_code == 200
        return [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]

    assert updates() == []
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert len(updates()) == 1
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", role=User.Role.ADMIN, unit=None,
                                   is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_tokens_without_their_secret_and_revokes_them(admin_client, reporter):
    token, raw = api_token_issue(user=reporter, scope="write", name="Cổng dữ liệu y tế")
    listing = admin_client.get(reverse("admin:units_apitoken_changelist"))
    page = listing.content.decode()
    assert f"pt_{token.prefix}_…" in page and "Cổng dữ liệu y tế" in page
    assert raw not in page and token.token_hash not in page
    change = admin_client.get(reverse("admin:units_apitoken_change", args=[token.pk]))
    assert raw not in change.content.decode() and token.token_hash not in change.content.decode()
    assert admin_client.get(reverse("admin:units_apitoken_add")).status_code == 403
    admin_client.post(reverse("admin:units_apitoken_changelist"),
                      {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get(TASKS, **bearer(raw)).status_code == 401
