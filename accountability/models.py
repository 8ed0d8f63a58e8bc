"""Explanation requests (yêu cầu giải trình): leadership or the secretariat asks a unit to explain
an overdue task, a missing report or an indicator off track, by a date; the unit's leader answers
with the reason, the remedy and a new expected date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from reports.models import ReportingPeriod
from tasks.models import Task
from units.models import Unit


class ExplanationRequest(models.Model):
    """One request and its answer. open → answered → closed (the requester accepts it); open →
    escalated (the reply date passed unanswered) → answered → closed; the requester may withdraw
    a request not yet answered."""

    class Kind(models.TextChoices):
        OVERDUE_TASK = "overdue_task", _("Overdue task")
        MISSING_REPORT = "missing_report", _("Missing report")
        INDICATOR_OFF_TRACK = "indicator_off_track", _("Indicator off track")

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ESCALATED = "escalated", _("Escalated: not answered in time")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: The states in which the unit still owes an answer.
    AWAITING = (State.OPEN, State.ESCALATED)

    kind = models.CharField(_("about"), max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit asked"), on_delete=models.PROTECT,
                             related_name="explanation_requests")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="explanation_requests")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("reporting period"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), null=True,
                                  blank=True, on_delete=models.PROTECT,
                                  related_name="explanation_requests")
    message = models.TextField(_("message"))
    reply_by = models.DateField(_("answer by"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.OPEN, db_index=True)

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), db_index=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    reason = models.TextField(_("reason"), blank=True)
    remedy = models.TextField(_("remedy"), blank=True)
    expected_on = models.DateField(_("new expected date"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed or withdrawn by"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    ended_at = models.DateTimeField(_("closed or withdrawn at"), null=True, blank=True)
    end_note = models.TextField(_("note on closing"), blank=True)

    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="overdue_task", task__isnull=False, period__isnull=True,
                             indicator__isnull=True)
                           | Q(kind="missing_report", task__isnull=False,
                               period__isnull=False, indicator__isnull=True)
                           | Q(kind="indicator_off_track", task__isnull=True,
                               period__isnull=True, indicator__isnull=False)),
                name="explanation_subject_matches_kind"),
            models.CheckConstraint(
                condition=~Q(state__in=["answered", "closed"])
                | (Q(answered_by__isnull=False, answered_at__isnull=False)
                   & ~Q(reason="") & ~Q(remedy="")),
                name="explanation_answered_has_answer"),
            models.CheckConstraint(
                condition=~Q(state__in=["closed", "withdrawn"])
                | Q(ended_by__isnull=False, ended_at__isnull=False),
                name="explanation_ended_has_who_and_when"),
        ]
        indexes = [models.Index(fields=["state", "reply_by"], name="explanation_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit}"

    @property
    def is_awaiting(self) -> bool:
        return self.state in self.AWAITING
