"""The items of the register of difficulties and proposals (reports.proposals)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Unit


class Proposal(models.Model):
    """One difficulty or proposal of an approved report, addressed to whoever must act on it.

    Without an addressee (`addressee_kind` empty) it waits for the secretariat, who routes it;
    an authority outside the system (the Government, the Prime Minister, a ministry...) is
    answered for by the secretariat."""

    class Kind(models.TextChoices):
        DIFFICULTY = "difficulty", _("Difficulty")
        PROPOSAL = "proposal", _("Proposal")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        HANDLING = "handling", _("Being handled")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class AddresseeKind(models.TextChoices):
        UNIT = "unit", _("A unit in the system")
        AUTHORITY = "authority", _("An authority")

    class Authority(models.TextChoices):
        GOVERNMENT = "government", _("The Government")
        PRIME_MINISTER = "prime_minister", _("The Prime Minister")
        MINISTRY = "ministry", _("A ministry or agency outside the system")
        OTHER = "other", _("Another authority")

    #: The states in which an answer is still awaited.
    OPEN_STATES = (State.RECEIVED, State.HANDLING)

    report = models.ForeignKey("reports.ProgressReport", verbose_name=_("report"),
                               on_delete=models.PROTECT, related_name="proposals_raised")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.TextField(_("text"))
    addressee_kind = models.CharField(_("addressed to"), max_length=12, blank=True,
                                      choices=AddresseeKind.choices)
    addressee_unit = models.ForeignKey(Unit, verbose_name=_("addressee unit"), null=True,
                                       blank=True, on_delete=models.PROTECT,
                                       related_name="proposals_addressed")
    authority = models.CharField(_("authority"), max_length=16, blank=True,
                                 choices=Authority.choices)
    authority_name = models.CharField(_("name of the authority"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.RECEIVED, db_index=True)
    received_at = models.DateTimeField(_("received at"))
    answer = models.TextField(_("answer"), blank=True)
    answer_document_number = models.CharField(_("answering document number"), max_length=100,
                                              blank=True)
    answer_document_date = models.DateField(_("answering document date"), null=True, blank=True)
    answer_link = models.URLField(_("link to the answering document"), max_length=500,
                                  blank=True)
    answer_file = models.FileField(_("answering document"), upload_to="proposals/%Y/%m/",
                                   blank=True, max_length=255)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    #: Incremented on every write, so that a stale edit can be refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        app_label = "reports"
        verbose_name = _("difficulty or proposal")
        verbose_name_plural = _("difficulties and proposals")
        ordering = ["received_at", "report_id", "kind", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="proposal_has_text"),
            models.CheckConstraint(
                condition=Q(addressee_kind="", addressee_unit__isnull=True, authority="")
                | Q(addressee_kind="unit", addressee_unit__isnull=False, authority="")
                | Q(addressee_kind="authority", addressee_unit__isnull=True)
                & ~Q(authority=""),
                name="proposal_addressee_consistent"),
            models.CheckConstraint(
                condition=~Q(state__in=["answered", "closed"]) | Q(answered_at__isnull=True)
                | ~Q(answer=""), name="proposal_answered_has_answer"),
            models.CheckConstraint(
                condition=~Q(state="answered") | Q(answered_at__isnull=False),
                name="proposal_answered_has_when"),
            models.CheckConstraint(condition=~Q(state="closed") | Q(closed_at__isnull=False),
                                   name="proposal_closed_has_when"),
        ]
        indexes = [
            models.Index(fields=["addressee_unit", "state"], name="proposal_addressee_idx"),
            models.Index(fields=["state", "received_at"], name="proposal_state_age_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def addressee_label(self) -> str:
        """Who must act, as people read it (the unit's or authority's name)."""
        if self.addressee_kind == self.AddresseeKind.UNIT and self.addressee_unit_id:
            return self.addressee_unit.display_name
        if self.addressee_kind == self.AddresseeKind.AUTHORITY:
            return self.authority_name or str(self.get_authority_display())
        return ""
