"""Writes of the units app that are more than an admin form: API tokens.

Each function takes the acting user and leaves an audit record (the model history).
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audited

from .models import ApiToken, User

#: How stale a token's last-used time may get before a request writes it again: at most one
#: write a minute per token, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_issue(*, user: User, scope: str, actor: User | None = None, name: str = "",
                    expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a token for `user`: returns the stored token and the token itself, which is shown
    once and never again (only its SHA-256 is kept). 32 random bytes of secret."""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    raw = f"pt_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, scope=scope, name=name.strip(), prefix=prefix,
                     token_hash=ApiToken.digest(raw), created_by=actor, expires_at=expires_at)
    token.full_clean()
    audited(token, actor, _("API token issued")).save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Revoke a token at once: every later request with it is refused. Idempotent."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        audited(token, actor, _("API token revoked")).save(update_fields=["revoked_at"])
    return token


def api_token_mark_used(*, token: ApiToken, now: datetime | None = None) -> None:
    """Record that the token was just used, at most once per LAST_USED_RESOLUTION (a direct
    update: no audit record for each use)."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Units and their aliases, as an import resolves the names it did not know ----------------


@transaction.atomic
def unit_alias_add(*, unit, text: str, actor: User | None,
                   kind: str = "variant", note: str = ""):
    """Remember `text` as another way documents write `unit`, so the importer reads it as that
    unit from now on. Idempotent: the same text for the same unit returns the alias it has.
    ValidationError when the text is blank or too long."""
    from .models import UnitAlias
    from .names import name_key

    text = " ".join((text or "").split())
    existing = UnitAlias.objects.filter(unit=unit, key=name_key(text)).first() if text else None
    if existing is not None:
        return existing
    alias = UnitAlias(unit=unit, text=text, kind=kind, note=note.strip())
    alias.full_clean()
    audited(alias, actor, _("Unit alias added")).save()
    return alias


@transaction.atomic
def unit_create(*, code: str, name: str, kind: str, actor: User | None, parent=None,
                short_name: str = ""):
    """Create a unit. ValidationError (by field) when the code is taken or a field is wrong."""
    from .models import Unit

    unit = Unit(code=code.strip(), name=" ".join((name or "").split()), kind=kind,
                parent=parent, short_name=short_name.strip())
    unit.full_clean()
    audited(unit, actor, _("Unit created")).save()
    return unit
