"""Password change and password reset by email, through Django's own auth views.

The pages are in Vietnamese by default. Where the text is Django's own (its auth catalogue has the
Vietnamese), the test asserts the Vietnamese wording; where it is ours, the test asks the catalogue
for it, so the assertion holds before and after the string is translated.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_PASSWORD = "r72-test"  # what UserFactory sets
NEW_PASSWORD = "Sen-hong-ven-ho-2031"
WRONG_PASSWORD = "Khong-phai-mat-khau-9"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)")


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


@pytest.fixture
def official(db):
    return UserFactory(username="nguyen.an", email="an.nguyen@moh.gov.vn")


def can_sign_in(client, username: str, password: str) -> bool:
    """Through the real sign-in page: a successful sign-in redirects, a failed one re-renders."""
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


# --- Links to the pages -----------------------------------------------------------------------


def test_the_sign_in_page_links_to_password_reset(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert f'href="{reverse("password_reset")}"' in response.content.decode()


def test_the_navigation_links_to_password_change_for_a_signed_in_user(client, official):
    link = f'href="{reverse("password_change")}"'
    assert link not in client.get(reverse("login")).content.decode()
    client.force_login(official)
    assert link in client.get(reverse("password_change")).content.decode()


def test_standard_url_names():
    assert reverse("password_change") == "/accounts/password/change/"
    assert reverse("password_change_done") == "/accounts/password/change/done/"
    assert reverse("password_reset") == "/accounts/password/reset/"
    assert reverse("password_reset_done") == "/accounts/password/reset/done/"
    assert reverse("password_reset_confirm", args=["MQ", "a-1"]) == "/accounts/reset/MQ/a-1/"
    assert reverse("password_reset_complete") == "/accounts/reset/done/"
    # The routes defined before stay as they were.
    assert reverse("login") == "/accounts/login/"
    assert reverse("logout") == "/accounts/logout/"


# --- Change password --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_signed_out_user_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"


def test_change_form_page(client, official):
    client.force_login(official)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "registration/password_change_form.html" in [t.name for t in response.templates]
    page = response.content.decode()
    for field in ("old_password", "new_password1", "new_password2"):
        assert f'<label for="id_{field}">' in page
        assert re.search(rf'<input type="password" name="{field}"[^>]*id="id_{field}"', page)
    # The validators' rules, as a list, tied to the field that they describe.
    assert '<div class="muted" id="id_new_password1_helptext"><ul><li>' in page
    assert 'aria-describedby="id_new_password1_helptext"' in page


def test_change_with_a_wrong_old_password(client, official):
    client.force_login(official)
    response = client.post(reverse("password_change"), {
        "old_password": WRONG_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["old_password"]] == ["password_incorrect"]
    page = response.content.decode()
    # Django's own message, in Vietnamese from its auth catalogue, next to the field, and
    # announced in the form's error summary.
    assert ('<div class="error" id="id_old_password_error">'
            "Mật khẩu cũ không chính xác. Hãy nhập lại lần nữa</div>") in page
    assert 'id="error-summary" role="alert"' in page
    assert 'aria-invalid="true"' in page
    # Nothing typed into a password field comes back.
    for secret in (WRONG_PASSWORD, NEW_PASSWORD, OLD_PASSWORD):
        assert secret not in page
    assert not re.search(r'<input type="password"[^>]*value=', page)
    official.refresh_from_db()
    assert official.check_password(OLD_PASSWORD)


def test_change_with_new_passwords_that_do_not_match(client, official):
    client.force_login(official)
    response = client.post(reverse("password_change"), {
        "old_password": OLD_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD + "x",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["new_password2"]] == ["password_mismatch"]
    assert "Hai trường mật khẩu không giống nhau." in response.content.decode()
    official.refresh_from_db()
    assert official.check_password(OLD_PASSWORD)


def test_change_rejects_a_weak_new_password(client, official):
    client.force_login(official)
    response = client.post(reverse("password_change"), {
        "old_password": OLD_PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert response.status_code == 200
    codes = {e.code for e in response.context["form"].errors.as_data()["new_password2"]}
    assert {"password_too_common", "password_entirely_numeric"} <= codes
    assert 'id="id_new_password2_error"' in response.content.decode()


def test_change_with_the_right_old_password(client, official):
    client.force_login(official)
    response = client.post(reverse("password_change"), {
        "old_password": OLD_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }, follow=True)
    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert response.status_code == 200
    assert "registration/password_change_done.html" in [t.name for t in response.templates]
    assert vi("Your password has been changed. Use the new one the next time you sign in.") in (
        response.content.decode())
    # Still signed in on this browser (the session follows the new password) ...
    assert response.wsgi_request.user == official
    official.refresh_from_db()
    assert official.check_password(NEW_PASSWORD)
    # ... and the new password signs in, the old one no longer does.
    assert not can_sign_in(client, official.username, OLD_PASSWORD)
    assert can_sign_in(client, official.username, NEW_PASSWORD)


# --- Reset by email ---------------------------------------------------------------------------


def request_reset(client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def reset_link_path(body: str) -> str:
    match = RESET_LINK.search(body)
    assert match, body
    return match[1]


def test_reset_form_page(client):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_email">' in page
    assert re.search(r'<input type="email" name="email"[^>]*id="id_email"', page)


def test_reset_form_keeps_what_was_typed_and_shows_the_error(client):
    response = request_reset(client, "not-an-email")
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["email"]] == ["invalid"]
    page = response.content.decode()
    assert 'value="not-an-email"' in page
    assert 'id="id_email_error"' in page and 'id="error-summary" role="alert"' in page
    assert not mail.outbox


def test_reset_by_email(client, official):
    response = request_reset(client, "AN.Nguyen@moh.gov.vn")  # the case does not matter
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [official.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    with translation.override("vi"):
        product = gettext("Programme Tracker")
        assert message.subject == gettext("Reset your %(product)s password") % {"product": product}
        assert gettext("Hello %(name)s,") % {"name": official.full_name} in message.body
        assert gettext("Your username is: %(username)s") % {"username": official.username} in (
            message.body)
    assert "&" not in message.body  # plain text: nothing HTML-escaped
    path = reset_link_path(message.body)
    assert message.body.count(path) == 1

    # The link from the email asks for the new password (Django first moves the token from the
    # URL into the session).
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    page = response.content.decode()
    for field in ("new_password1", "new_password2"):
        assert f'<label for="id_{field}">' in page
    assert '<div class="muted" id="id_new_password1_helptext"><ul><li>' in page

    # Mismatched passwords: errors on the page, nothing secret comes back, nothing changes.
    response = client.post(set_password_url, {
        "new_password1": NEW_PASSWORD, "new_password2": WRONG_PASSWORD,
    })
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["new_password2"]] == [
        "password_mismatch"]
    assert NEW_PASSWORD not in response.content.decode()
    assert WRONG_PASSWORD not in response.content.decode()

    response = client.post(set_password_url, {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_complete"), 302)]
    assert response.context["login_url"] == reverse("login")
    assert f'href="{reverse("login")}"' in response.content.decode()

    official.refresh_from_db()
    assert official.check_password(NEW_PASSWORD)
    assert can_sign_in(client, official.username, NEW_PASSWORD)
    assert not can_sign_in(client, official.username, OLD_PASSWORD)

    # The link works once.
    client.post(reverse("logout"))
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert vi("Invalid password reset link") in response.content.decode()


def test_the_email_is_in_the_language_of_the_page(client, official):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    request_reset(client, official.email)
    message = mail.outbox[0]
    assert message.subject == "Reset your Programme Tracker password"
    assert message.body.startswith(f"Hello {official.full_name},\n")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, official):
    known = request_reset(client, official.email)
    mail.outbox.clear()
    unknown = request_reset(client, "nobody@example.vn")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("password_reset_done")
    assert mail.outbox == []

    response = client.get(unknown["Location"])
    assert response.status_code == 200
    assert "registration/password_reset_done.html" in [t.name for t in response.templates]
    assert "nobody@example.vn" not in response.content.decode()


def test_an_inactive_user_gets_no_email(client):
    UserFactory(username="da.nghi", email="nghi@moh.gov.vn", is_active=False)
    response = request_reset(client, "nghi@moh.gov.vn")
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_bad_token_shows_the_invalid_link_page(client, official):
    request_reset(client, official.email)
    path = reset_link_path(mail.outbox[0].body)
    bad = path.rstrip("/").rsplit("/", 1)[0] + "/not-a-real-token/"
    response = client.get(bad)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    page = response.content.decode()
    assert vi("This password reset link is invalid, possibly because it has already been used or "
              "has expired. Please request a new one.") in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "<form method=\"post\">" not in page
    official.refresh_from_db()
    assert official.check_password(OLD_PASSWORD)


def test_a_link_for_no_user_shows_the_invalid_link_page(client):
    response = client.get(reverse("password_reset_confirm", args=["Zm9v", "abc-def"]))
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_a_token_is_spent_once_the_password_changes(client, official):
    request_reset(client, official.email)
    path = urlsplit(RESET_LINK.search(mail.outbox[0].body)[0]).path
    official.set_password(NEW_PASSWORD)
    official.save()
    response = client.get(path, follow=True)
    assert response.context["validlink"] is False
