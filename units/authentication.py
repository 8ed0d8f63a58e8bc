"""How the REST API knows who is calling: API tokens for other systems (the browser's session
works too), the scope a token allows, and the request rates allowed.

A token is sent as `Authorization: Bearer pt_<prefix>_<secret>` and acts as its user, within its
scope: a read token cannot write.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken
from .selectors import api_token_find
from .services import api_token_mark_used


class ApiRateThrottle(SimpleRateThrottle):
    """One bucket per token, one per signed-in user (the browser's session), one per client
    address for anonymous requests; the rates are the `token`, `user` and `anon` entries of
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], read on every request (settings can change them
    at run time, as tests do)."""

    def __init__(self):  # the rate depends on the request: see allow_request
        pass

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.scope, self.ident = "token", str(request.auth.pk)
        elif request.user and request.user.is_authenticated:
            self.scope, self.ident = "user", str(request.user.pk)
        else:
            self.scope, self.ident = "anon", self.get_ident(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def throttle_anonymous(request, view) -> None:
    """Count an unauthenticated request (no credentials, or credentials refused) against its
    address's rate, and refuse it with 429 once the rate is exceeded: DRF checks throttles only
    after authentication and permissions, so without this nobody would slow down token guessing.
    """
    throttle = ApiRateThrottle()
    throttle.scope, throttle.ident = "anon", throttle.get_ident(request)
    throttle.rate = throttle.get_rate()
    throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
    if not SimpleRateThrottle.allow_request(throttle, request, view):
        raise exceptions.Throttled(wait=throttle.wait())


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`; a request without it is left to the other methods."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            self._refuse(request, _("Give the token after \"Bearer\", with no spaces in it."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = api_token_find(raw=raw) if raw else None
        now = timezone.now()
        if token is None:
            self._refuse(request, _("This token is not valid."))
        if token.revoked_at is not None:
            self._refuse(request, _("This token has been revoked."))
        if token.expires_at is not None and token.expires_at <= now:
            self._refuse(request, _("This token has expired."))
        if not token.user.is_active:
            self._refuse(request, _("The account of this token is disabled."))
        api_token_mark_used(token=token, now=now)
        return token.user, token

    def _refuse(self, request, message):
        throttle_anonymous(request, None)
        raise exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class IsAuthenticatedWithinScope(permissions.BasePermission):
    """Signed in (or a valid token), and a read token only reads. Anonymous requests are
    counted against their address's rate before they are refused."""

    message = _("This token may only read: issue a write token to change anything.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            throttle_anonymous(request, view)
            return False
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return (token is None or token.scope == ApiToken.Scope.WRITE
                or request.method in permissions.SAFE_METHODS
                or not view_handles(view, request))


def view_handles(view, request) -> bool:
    """Whether the view has a handler for the request's method (if not, the answer is 405, not a
    refusal that would suggest the method exists)."""
    method = request.method.lower()
    return method in view.http_method_names and hasattr(view, method)
