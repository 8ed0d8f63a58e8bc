from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import localized

from ..names import name_key


class UnitQuerySet(models.QuerySet):
    def under(self, unit: "Unit") -> "UnitQuerySet":
        """The unit itself and every unit below it in the tree."""
        return self.filter(path__startswith=unit.path)

    def existing_on(self, day: date) -> "UnitQuerySet":
        """The units that exist on `day` (see `Unit.exists_on`)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                           Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class Unit(models.Model):
    """An organisational unit: a ministry, its departments, a province, an agency...

    Units form a tree through `parent`; `path` ("/1/7/42/") is kept in step with it so that
    "this unit and everything under it" is one indexed prefix query.

    A *collective* unit is a designation an appendix names instead of one body ("các bộ, ngành",
    "UBND các tỉnh, thành phố trực thuộc trung ương"): it holds its member units, so a programme can
    be imported as written and each member still sees its duty.

    A unit has a life: it exists from `valid_from` (none: since always) up to, not including,
    `valid_to` (none: still). `valid_to` is the effective date of the change that ended it (a
    merge, split or dissolution, `UnitChange`): a unit merged on 1 July exists on 30 June and not
    on 1 July. `is_active` is an administrator's switch, apart from the unit's life.
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
    valid_from = models.DateField(_("exists from"), null=True, blank=True,
                                  help_text=_("Empty: since before the programme began."))
    valid_to = models.DateField(_("ended on"), null=True, blank=True,
                                help_text=_("The first day it no longer exists (the effective "
                                            "date of the change that ended it)."))
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
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True)
                | Q(valid_to__gt=F("valid_from")), name="unit_ends_after_it_begins"),
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

    def exists_on(self, day: date) -> bool:
        """Whether the unit exists on `day`: from `valid_from` (inclusive) to `valid_to`
        (exclusive)."""
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_to is None or day < self.valid_to))

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


