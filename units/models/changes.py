from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import dmy

from .units import Unit


class UnitChange(models.Model):
    """A change in a unit's life, ordered by a decision: a rename, a merge into another unit, a
    split among successors, a dissolution.

    A rename keeps the unit (its old name becomes a former-name alias of it). A merge, split or
    dissolution ends the unit on `effective_on` (its `valid_to`); what it held (the open tasks it
    leads or coordinates, its users, the units under it: every duty registered in
    `units.lifecycle.duties`) passes to the successors as `assignments` say, and its old name
    becomes a former-name alias of the first successor. A change dated in the future waits,
    planned, until the `units.apply_unit_changes` job applies it on its day.
    """

    class Kind(models.TextChoices):
        RENAME = "rename", _("Rename")
        MERGE = "merge", _("Merge into another unit")
        SPLIT = "split", _("Split among successors")
        DISSOLVE = "dissolve", _("Dissolve")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPLIED = "applied", _("Applied")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="changes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    effective_on = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    decision_text = models.TextField(_("decision"), blank=True)
    old_name = models.CharField(_("name before"), max_length=255, editable=False)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    successors = models.ManyToManyField(Unit, verbose_name=_("successors"), blank=True,
                                        through="UnitSuccession", related_name="predecessions")
    #: Who takes each thing the unit holds: {holding key: unit id} (units.lifecycle.duties).
    assignments = models.JSONField(_("who takes what"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices,
                             default=State.PLANNED)
    #: Why the daily job could not apply it (something it holds has no successor).
    problem = models.TextField(_("problem"), blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["assignments"])

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision_number=""),
                                   name="unit_change_decision_required"),
            models.CheckConstraint(condition=~Q(kind="rename") | ~Q(new_name=""),
                                   name="unit_change_rename_has_new_name"),
            models.UniqueConstraint(fields=["unit"], condition=Q(state="planned"),
                                    name="unit_change_one_planned_per_unit"),
        ]
        indexes = [models.Index(fields=["state", "effective_on"], name="unit_change_due_idx")]

    def __str__(self) -> str:
        return f"{self.old_name}: {self.get_kind_display()} {dmy(self.effective_on)}"

    @property
    def ends_unit(self) -> bool:
        return self.kind != self.Kind.RENAME


class UnitSuccession(models.Model):
    """A successor of a change, in order: the first is the main one (the old name's alias)."""

    change = models.ForeignKey(UnitChange, on_delete=models.CASCADE, related_name="succession")
    unit = models.ForeignKey(Unit, verbose_name=_("successor"), on_delete=models.PROTECT,
                             related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("successor")
        verbose_name_plural = _("successors")
        ordering = ["change", "position"]
        constraints = [
            models.UniqueConstraint(fields=["change", "unit"], name="unit_succession_once"),
        ]

    def __str__(self) -> str:
        return str(self.unit)
