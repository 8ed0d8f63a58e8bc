import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.kinds import Kinds

from .units import Unit


class User(AbstractUser):
    """A person (or another system acting through the API) with one unit and one role."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        LEADER = "leader", _("Unit leader")
        SECRETARIAT = "secretariat", _("Programme secretariat")
        LEADERSHIP = "leadership", _("Leadership")
        ADMIN = "admin", _("Administrator")

    #: Roles whose scope is every unit rather than their own subtree.
    ACROSS_ALL_UNITS = frozenset({Role.SECRETARIAT, Role.LEADERSHIP, Role.ADMIN})

    class Language(models.TextChoices):
        VI = "vi", _("Vietnamese")
        EN = "en", _("English")

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.VI
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["reporter", "leader"]) | Q(unit__isnull=False),
                name="user_unit_required_for_unit_roles",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_all_units(self) -> bool:
        return self.is_superuser or self.role in self.ACROSS_ALL_UNITS


#: The kinds of notification: each app declares those it sends.
NOTIFICATION_KINDS = Kinds("notification")


def notification_kind_choices() -> list:
    return NOTIFICATION_KINDS.choices


class Notification(models.Model):
    """Something a user should know: a deadline coming, a task overdue, a report returned...

    `key` makes a notification idempotent: the same event notifies each person once, however many
    times (or on however many workers) the job that found it runs.
    """

    #: Declared by the apps that send them (tasks/kinds.py, reports/kinds.py).
    Kind = NOTIFICATION_KINDS

    recipient = models.ForeignKey(User, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=notification_kind_choices)
    key = models.CharField(_("event key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_wanted = models.BooleanField(_("to be emailed"), default=False)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_wanted", "emailed_at"], name="notification_email_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class EmailPreference(models.Model):
    """A kind of notification a user does not want by email (every kind is emailed by default)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(_("kind"), max_length=32, choices=notification_kind_choices)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class SignInEvent(models.Model):
    """One sign-in, sign-out or refused sign-in, for the security audit: who (or which username
    was tried), from where, when, and what came of it. Written by units.signin's receivers of
    Django's authentication signals; never changed afterwards."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGNED_OUT = "signed_out", _("Signed out")
        FAILED = "failed", _("Failed: wrong username or password")
        LOCKED_OUT = "locked_out", _("Refused: too many failed attempts")

    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # The account, when there is one; kept as a name too, as typed, so that an event outlives it
    # and an attempt on an unknown username is still recorded.
    user = models.ForeignKey(User, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="sign_in_events")
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    path = models.CharField(_("page"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["username", "occurred_at"], name="signin_username_idx"),
            models.Index(fields=["ip_address", "occurred_at"], name="signin_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username or '—'} · {self.get_outcome_display()}"


class ApiToken(models.Model):
    """A credential another system uses to call the REST API as one user, within a scope.

    The token itself is shown once, when it is issued; only its SHA-256 is stored. It reads
    "pt_<prefix>_<secret>": the prefix finds the row, and the whole token's hash is compared in
    constant time. A token acts as its user (the same unit and role) and never beyond its scope:
    a read token cannot write.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=120, blank=True,
                            help_text=_("Which system uses it, e.g. the national reporting "
                                        "system."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(User, verbose_name=_("issued by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),
                                   name="api_token_hash_is_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · pt_{self.prefix}_… ({self.get_scope_display()})"

    @staticmethod
    def digest(raw: str) -> str:
        """The SHA-256 (hex) stored for a token."""
        return hashlib.sha256(raw.encode()).hexdigest()

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
