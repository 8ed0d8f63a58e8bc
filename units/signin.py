"""Signing in: the client's address, the sign-in audit log, and the page shown during a lockout.

Failed sign-ins are counted by django-axes (settings AXES_*): after SIGNIN_FAILURE_LIMIT failures
for one username from one address, signing in with that username from that address is refused
for SIGNIN_COOLOFF_MINUTES, and each attempt meanwhile starts the wait again. Every sign-in,
sign-out and refused sign-in is recorded as a SignInEvent (the receivers below, connected when
the app is ready; axes' own receivers run first, as "axes" comes before "units" in
INSTALLED_APPS, so a refusal due to the lockout is known here).
"""

import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from .models import SignInEvent


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS: refuses a sign-in while its
    username and address are paused. A call without a request (a management command, a script)
    comes from the server itself, not from someone signing in: it is not counted, where axes
    would refuse it outright."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The address of the person's computer.

    Behind TRUSTED_PROXY_COUNT reverse proxies that each append the address they received the
    request from to X-Forwarded-For, it is the entry the outermost of them appended (anything
    before it was written by the client and proves nothing). Without proxies, the peer address.
    None if that is not an IP address.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def axes_username(request, credentials) -> str:
    """The username django-axes counts failures for (AXES_USERNAME_CALLABLE): as typed, but no
    longer than a username can be. Django's sign-in form does not limit what it passes on, and
    axes would fail to store a longer one: the sign-in page would answer 500."""
    User = get_user_model()
    if credentials:
        username = credentials.get(User.USERNAME_FIELD)
    else:
        username = request.POST.get(User.USERNAME_FIELD) if request is not None else None
    if username is None:
        return None
    return _clip(username, User._meta.get_field(User.USERNAME_FIELD).max_length)


def _clip(text, length: int) -> str:
    # PostgreSQL text cannot hold NUL; the rest is kept as typed (the admin escapes it).
    return str(text or "").replace("\x00", "")[:length]


def _record(request, outcome: str, *, user=None, username: str = "") -> SignInEvent:
    meta = request.META if request is not None else {}
    return SignInEvent.objects.create(
        outcome=outcome,
        user=user,
        username=_clip(username, 150),
        ip_address=client_ip(request) if request is not None else None,
        user_agent=_clip(meta.get("HTTP_USER_AGENT"), 255),
        path=_clip(getattr(request, "path", ""), 255),
    )


@receiver(user_logged_in, dispatch_uid="units.signin.signed_in")
def record_sign_in(sender, request, user, **kwargs):
    _record(request, SignInEvent.Outcome.SIGNED_IN, user=user, username=user.get_username())


@receiver(user_logged_out, dispatch_uid="units.signin.signed_out")
def record_sign_out(sender, request, user, **kwargs):
    if request is not None:
        # config.middleware.PrivatePagesMiddleware then tells the browser to clear what it kept.
        request.session_ended = True
    if user is not None:
        _record(request, SignInEvent.Outcome.SIGNED_OUT, user=user, username=user.get_username())


@receiver(user_login_failed, dispatch_uid="units.signin.failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = _clip(credentials.get(User.USERNAME_FIELD), 150)
    locked_out = bool(getattr(request, "axes_locked_out", False))
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() \
        if username else None
    _record(request, SignInEvent.Outcome.LOCKED_OUT if locked_out else SignInEvent.Outcome.FAILED,
            user=user, username=username)


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, with the username kept, saying that signing in is paused and until
    when (HTTP 429, Retry-After). django-axes calls it (AXES_LOCKOUT_CALLABLE) instead of its
    bare 403 page, for the admin's sign-in page as well."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    User = get_user_model()
    username = (credentials or {}).get(User.USERNAME_FIELD) or request.POST.get("username", "")
    response = render(request, "registration/login.html", {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "locked_out": True,
        "lockout_minutes": math.ceil(cool_off.total_seconds() / 60),
        "lockout_until": timezone.localtime(timezone.now() + cool_off),
    }, status=429)
    response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response
