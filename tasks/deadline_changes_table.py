"""The record of a task's deadline changes (kept apart from tasks.models for its length)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .authorities import Authority
from .deadlines import DeadlineKind


class DeadlineChange(models.Model):
    """A change of a task's deadline, allowed only by a decision of the competent authority."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="deadline_changes")
    old_kind = models.CharField(_("old deadline kind"), max_length=16, choices=DeadlineKind.choices)
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    old_text = models.CharField(_("old deadline as written"), max_length=255, blank=True)
    new_kind = models.CharField(_("new deadline kind"), max_length=16, choices=DeadlineKind.choices)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    new_text = models.CharField(_("new deadline as written"), max_length=255, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    decision_authority = models.CharField(
        _("decided by"), max_length=32, choices=Authority.choices
    )
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["task", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision_number=""),
                                   name="deadline_change_decision_required"),
            models.CheckConstraint(condition=~Q(decision_authority=""),
                                   name="deadline_change_authority_required"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code}: {self.old_text or self.old_deadline} → " \
               f"{self.new_text or self.new_deadline}"
