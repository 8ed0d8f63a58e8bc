import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.kinds import Kinds
from core.text import localized

from .names import name_key


class UnitQuerySet(models.QuerySet):
    def under(self, unit: "Unit") -> "UnitQuerySet":
        """The unit itself and every unit below it in the tree."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """An organisational unit: a ministry, its departments, a province, an agency...

    Units form a tree through `parent`; `path` ("/1/7/42/") is kept in step with it so that
    "this unit and everything under it" is one indexed prefix query.

    A *collective* unit is a designation an appendix names instead of one body ("các bộ, ngành",
    "UBND các tỉnh, thành phố trực thuộc trung ương"): it holds its member units, so a programme can
    be imported as written and each member still sees its duty.
    """

    class Kind(models.TextChoices):
        PARTY_BODY = "party_body", _("Party body")
        NATIONAL_ASSEMBLY = "national_assembly", _("National Assembly body")
        GOVERNMENT = "government", _("Government body")
        MINISTRY = "ministry", _("Ministry or ministerial-level agency")
        DEPARTMENT = "department", _("Department of a ministry")
        AGENCY = "agency", _("Agency or public service unit")
        PROVINCE = "province", _("Province or centrally-run city")
        PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial department")
        COLLECTIVE = "collective", _("Collective designation")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    members = models.ManyToManyField(
        "self", verbose_name=_("member units"), symmetrical=False, blank=True,
        related_name="designations",
        help_text=_("Only for a collective designation: the units it stands for."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(m2m_fields=[members], excluded_fields=["path"])
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="unit_code_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="unit_name_not_blank"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        parent_path = self.parent.path if self.parent_id else "/"
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = f"{parent_path}{self.pk}/"
                type(self).objects.filter(pk=self.pk).update(path=self.path)
                return
            old_path = (
                type(self).objects.filter(pk=self.pk).values_list("path", flat=True).first()
            )
            if old_path and parent_path.startswith(old_path):
                raise ValidationError(
                    _("A unit cannot be placed under itself or one of its own units.")
                )
            self.path = f"{parent_path}{self.pk}/"
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moving a unit moves its whole subtree: rewrite the descendants' prefix at once.
                type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids from the root down to this unit itself, read from the path."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def is_collective(self) -> bool:
        return self.kind == self.Kind.COLLECTIVE

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    def clean(self):
        if self.parent_id and self.pk and (
            self.parent_id == self.pk or (self.path and self.parent.path.startswith(self.path))
        ):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own units.")}
            )


class UnitAlias(models.Model):
    """Another way documents write a unit: a short form ("Bộ KH&CN"), a written variant ("UBND
    các tỉnh"), or a former name ("Bộ Kế hoạch và Đầu tư"), which resolves to the body that took
    its work. `key` is what the importer matches (units.names.name_key of the text)."""

    class Kind(models.TextChoices):
        SHORT_FORM = "short_form", _("Short form")
        OLD_NAME = "old_name", _("Former name")
        VARIANT = "variant", _("Written variant")

    text = models.CharField(_("alias"), max_length=255)
    key = models.CharField(max_length=255, editable=False, db_index=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="aliases")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices,
                            default=Kind.VARIANT)
    note = models.CharField(_("note"), max_length=255, blank=True,
                            help_text=_("E.g. when a former name ended and who took its work."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit alias")
        verbose_name_plural = _("unit aliases")
        ordering = ["unit__code", "kind", "text"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="unit_alias_text_not_blank"),
            models.UniqueConstraint(fields=["unit", "key"], name="unit_alias_once"),
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.unit}"

    def save(self, *args, **kwargs):
        self.key = name_key(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        self.key = name_key(self.text)  # before the unique constraint is checked


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
