"""Signing in: repeated failures pause signing in (for that username from that address), with a
clear message on the sign-in page; every sign-in, sign-out and refusal is in the audit log;
passwords of 12 characters or more.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from tests.factories import UserFactory
from units.models import SignInEvent, User
from units.signin import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "r72-test"  # what UserFactory sets
WRONG = "khong-dung-1"
LIMIT = 5


@pytest.fixture
def official(department):
    return UserFactory(username="nguyen.an", role=User.Role.REPORTER, unit=department)


def attempt(client, password, username="nguyen.an", address="10.1.2.3", url=None, **extra):
    return client.post(url or reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, HTTP_USER_AGENT="Mozilla/5.0 (test)", **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def lockout_message(minutes: int, language: str) -> str:
    with translation.override(language):
        return ngettext(
            "Too many failed sign-in attempts. To protect the account, signing in with this "
            "username from this computer is paused for %(minutes)s minute, until %(until)s; each "
            "new attempt meanwhile starts the wait again. If you have forgotten your password, "
            "reset it below.",
            "Too many failed sign-in attempts. To protect the account, signing in with this "
            "username from this computer is paused for %(minutes)s minutes, until %(until)s; "
            "each new attempt meanwhile starts the wait again. If you have forgotten your "
            "password, reset it below.", minutes)


def test_the_settings():
    assert settings.AXES_FAILURE_LIMIT == LIMIT == settings.SIGNIN_FAILURE_LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# --- Lockout ----------------------------------------------------------------------------------


def test_the_fifth_failure_pauses_signing_in_with_a_clear_message(client, official):
    for _ in range(LIMIT - 1):
        response = attempt(client, WRONG)
        assert response.status_code == 200  # the usual "wrong username or password"
        assert "lockout" not in response.content.decode()
    response = attempt(client, WRONG)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    assert "registration/login.html" in [t.name for t in response.templates]
    page = response.content.decode()
    until = timezone.localtime(timezone.now() + timedelta(minutes=15)).strftime("%H:%M")
    message = lockout_message(15, "vi") % {"minutes": 15, "until": until}
    assert message.startswith("Quá nhiều lần")
    assert message in page
    assert 'id="lockout"' in page and 'role="alert"' in page
    # The form is still there, with the username kept, and the way to reset the password.
    assert 'value="nguyen.an"' in page
    assert f'href="{reverse("password_reset")}"' in page

    # Even the right password is refused during the pause, and the wait starts again.
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_the_message_is_in_english_when_the_user_chose_english(client, official):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(LIMIT):
        response = attempt(client, WRONG)
    assert response.status_code == 429
    assert "signing in with this username from this computer is paused for 15 minutes" in (
        response.content.decode())


def test_the_pause_is_for_that_username_from_that_address_only(client, official, department):
    colleague = UserFactory(username="tran.binh", role=User.Role.REPORTER, unit=department)
    for _ in range(LIMIT):
        attempt(client, WRONG)
    # The same official from another computer (nobody can lock an official out from elsewhere)...
    assert signed_in(attempt(client, PASSWORD, address="10.9.9.9"))
    client.post(reverse("logout"))
    # ... and a colleague behind the same address (one ministry, one NAT address) sign in.
    assert signed_in(attempt(client, PASSWORD, username=colleague.username))


def test_after_the_cool_off_signing_in_works_again(client, official):
    for _ in range(LIMIT):
        attempt(client, WRONG)
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert signed_in(attempt(client, PASSWORD))


def test_a_successful_sign_in_resets_the_count(client, official):
    for _ in range(LIMIT - 1):
        attempt(client, WRONG)
    assert signed_in(attempt(client, PASSWORD))
    client.post(reverse("logout"))
    for _ in range(LIMIT - 1):
        assert attempt(client, WRONG).status_code == 200
    assert signed_in(attempt(client, PASSWORD))


def test_the_admin_sign_in_page_is_paused_too(client, official):
    official.is_staff = True
    official.save()
    admin_login = reverse("admin:login")
    for _ in range(LIMIT):
        response = attempt(client, WRONG, url=admin_login)
    assert response.status_code == 429
    assert attempt(client, PASSWORD, url=admin_login).status_code == 429


def test_an_unknown_username_is_paused_the_same_way(client, official):
    # Nothing tells whether the username exists.
    for _ in range(LIMIT - 1):
        assert attempt(client, WRONG, username="khong.co").status_code == 200
    assert attempt(client, WRONG, username="khong.co").status_code == 429


# --- The audit log ----------------------------------------------------------------------------


def outcomes():
    return list(SignInEvent.objects.order_by("id").values_list("outcome", "username", "user_id",
                                                               "ip_address"))


def test_sign_in_sign_out_and_failures_are_recorded(client, official):
    attempt(client, WRONG)
    attempt(client, WRONG, username="khong.co")
    attempt(client, PASSWORD)
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    assert outcomes() == [
        ("failed", "nguyen.an", official.pk, "10.1.2.3"),
        ("failed", "khong.co", None, "10.1.2.3"),
        ("signed_in", "nguyen.an", official.pk, "10.1.2.3"),
        ("signed_out", "nguyen.an", official.pk, "10.1.2.3"),
    ]
    event = SignInEvent.objects.get(outcome="signed_in")
    assert event.user_agent == "Mozilla/5.0 (test)"
    assert event.path == reverse("login")
    assert timezone.now() - event.occurred_at < timedelta(minutes=1)


def test_refusals_during_the_pause_are_recorded_as_locked_out(client, official):
    for _ in range(LIMIT + 1):
        attempt(client, WRONG)
    attempt(client, PASSWORD)
    assert [outcome for outcome, *_ in outcomes()] == (
        ["failed"] * (LIMIT - 1) + ["locked_out"] * 3)


def test_a_hostile_username_is_refused_and_recorded_safely(client, official):
    # Longer than any username: Django's form passes it on as it is; it must not break the page.
    response = attempt(client, WRONG, username="x" * 400 + "\r\n<script>")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
    (event,) = SignInEvent.objects.all()
    assert len(event.username) == 150 and event.user is None


def test_the_audit_log_is_read_only_in_the_admin(client, official):
    root = UserFactory(username="root", role=User.Role.ADMIN, unit=None, is_staff=True,
                       is_superuser=True)
    attempt(client, WRONG)
    event = SignInEvent.objects.get()
    client.force_login(root)
    changelist = reverse("admin:units_signinevent_changelist")
    page = client.get(changelist, {"q": "nguyen.an"}).content.decode()
    assert "nguyen.an" in page and "10.1.2.3" in page
    assert client.get(reverse("admin:units_signinevent_add")).status_code == 403
    change = reverse("admin:units_signinevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # to read
    assert client.post(change, {"username": "someone.else"}).status_code == 403
    assert client.post(reverse("admin:units_signinevent_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
    assert client.post(changelist, {"action": "delete_selected",
                                    "_selected_action": [event.pk]}).status_code in (200, 302)
    assert SignInEvent.objects.filter(pk=event.pk, username="nguyen.an").exists()
    model_admin = admin.site._registry[SignInEvent]
    assert "delete_selected" not in model_admin.get_actions(RequestFactory().get("/"))


def test_the_audit_log_list_takes_the_same_queries_for_3_rows_and_30(client, official):
    root = UserFactory(username="root", role=User.Role.ADMIN, unit=None, is_staff=True,
                       is_superuser=True)
    client.force_login(root)
    changelist = reverse("admin:units_signinevent_changelist")

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(changelist).status_code == 200
        return len(context.captured_queries)

    def add(n):
        SignInEvent.objects.bulk_create(
            SignInEvent(outcome="failed", username=f"u{i}", user=official, ip_address="10.0.0.1")
            for i in range(n))

    add(3)
    small = count()
    add(27)
    assert count() == small


# --- The client's address ---------------------------------------------------------------------


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, "", "10.1.2.3", "10.1.2.3"),
    (0, "203.0.113.9", "10.1.2.3", "10.1.2.3"),  # no proxy: the header is the client's word
    (1, "203.0.113.9", "10.0.0.2", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "10.0.0.2", "203.0.113.9"),  # the client wrote 6.6.6.6
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.7", "10.0.0.2", "203.0.113.9"),
    (1, "", "10.0.0.2", "10.0.0.2"),  # not through the proxy
    (1, "not-an-address", "10.0.0.2", None),
    (0, "", "2001:db8::1", "2001:db8::1"),
])
def test_the_clients_address(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_the_pause_follows_the_real_address(client, official, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(LIMIT):
        attempt(client, WRONG, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert attempt(client, PASSWORD, address="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    # Someone else behind the same proxy is not paused.
    assert signed_in(attempt(client, PASSWORD, address="10.0.0.2",
                             HTTP_X_FORWARDED_FOR="203.0.113.50"))
    assert SignInEvent.objects.filter(ip_address="203.0.113.9").count() == LIMIT + 1


# --- Passwords --------------------------------------------------------------------------------


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


@pytest.mark.parametrize(("password", "accepted"), [
    ("Sen-hong-7a", False),  # 11 characters
    ("Sen-hong-7ab", True),  # 12
    ("hoa sen hồng ven hồ tây", True),  # a passphrase, with Vietnamese
])
def test_a_new_password_needs_12_characters(client, official, password, accepted):
    client.force_login(official)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": password, "new_password2": password})
    official.refresh_from_db()
    assert official.check_password(password) is accepted
    if not accepted:
        page = response.content.decode()
        assert "Mật khẩu quá ngắn. Nó phải chứa ít nhất 12 ký tự." in page
        assert "Mật khẩu của bạn phải chứa ít nhất 12 ký tự." in page  # the rule, beforehand


def test_common_and_numeric_passwords_are_refused(client, official):
    client.force_login(official)
    for password in ("123456789012", "password1234"):
        response = client.post(reverse("password_change"), {
            "old_password": PASSWORD, "new_password1": password, "new_password2": password})
        assert response.status_code == 200
    official.refresh_from_db()
    assert official.check_password(PASSWORD)


def test_an_administrator_lifts_a_lockout_in_the_admin(client, official):
    for _ in range(LIMIT):
        attempt(client, WRONG)
    (lockout,) = AccessAttempt.objects.all()
    root = UserFactory(username="root", role=User.Role.ADMIN, unit=None, is_staff=True,
                       is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(root)
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "nguyen.an" in page
    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[lockout.pk]),
                                 {"post": "yes"})
    assert response.status_code == 302
    assert signed_in(attempt(client, PASSWORD))


def test_authenticating_without_a_request_is_not_counted_or_refused(official):
    """A management command or script checking a password is the server itself."""
    from django.contrib.auth import authenticate

    assert authenticate(username="nguyen.an", password=PASSWORD) == official
    for _ in range(LIMIT + 1):
        assert authenticate(username="nguyen.an", password=WRONG) is None
    assert authenticate(username="nguyen.an", password=PASSWORD) == official
    assert not AccessAttempt.objects.exists()
