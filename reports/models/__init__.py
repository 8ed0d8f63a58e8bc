from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.queueing import is_waiting_long
from tasks.models import Output, Task
from units.models import Unit


class ReportingPeriod(models.Model):
    """A monthly reporting period: the data cut-off window and the submission deadline.

    The defaults come from settings when a period is created (Decree 09/2019/NĐ-CP: from the 15th
    of the previous month to the 14th of the reporting month); a stored period keeps its dates.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    starts_on = models.DateField(_("data from"))
    ends_on = models.DateField(_("data cut-off"))
    submission_deadline = models.DateField(_("submission deadline"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="period_unique_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                   name="period_month_valid"),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")),
                                   name="period_starts_before_cutoff"),
            models.CheckConstraint(condition=Q(ends_on__lte=F("submission_deadline")),
                                   name="period_deadline_after_cutoff"),
        ]

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


class ProgressReport(models.Model):
    """One unit's monthly report on one task for one period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    class ProgressStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("In progress, on schedule")
        BEHIND = "behind", _("In progress, behind schedule")
        BLOCKED = "blocked", _("Stalled by obstacles")
        COMPLETED = "completed", _("Completed")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT,
                             related_name="progress_reports")
    unit = models.ForeignKey(Unit, verbose_name=_("reporting unit"), on_delete=models.PROTECT,
                             related_name="progress_reports")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"),
                               on_delete=models.PROTECT, related_name="progress_reports")

    percent_complete = models.SmallIntegerField(_("percent complete"), default=0)
    progress_status = models.CharField(_("progress status"), max_length=16,
                                       choices=ProgressStatus.choices,
                                       default=ProgressStatus.NOT_STARTED)
    results = models.TextField(_("results in the period"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    completion_date = models.DateField(_("completion date"), null=True, blank=True)

    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                   verbose_name=_("approved or returned by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    #: Incremented on every write, so that a stale edit can be refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period__year", "-period__month", "task__sort_key", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"],
                                    name="report_unique_task_unit_period"),
            models.CheckConstraint(condition=Q(percent_complete__gte=0,
                                               percent_complete__lte=100),
                                   name="report_percent_0_100"),
            models.CheckConstraint(
                condition=~Q(progress_status="completed")
                | Q(completion_date__isnull=False, percent_complete=100),
                name="report_completed_has_date_and_100",
            ),
            models.CheckConstraint(
                condition=Q(completion_date__isnull=True) | Q(progress_status="completed"),
                name="report_completion_date_only_when_completed",
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="report_submitted_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "returned"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="report_decided_has_who_and_when",
            ),
            models.CheckConstraint(condition=~Q(state="returned") | ~Q(return_comment=""),
                                   name="report_returned_has_comment"),
        ]
        indexes = [
            models.Index(fields=["period", "unit", "state"], name="report_period_unit_idx"),
            models.Index(fields=["task", "period"], name="report_task_period_idx"),
            # The at-risk forecast reads the approved percentages of a few recent periods for
            # every task in progress: answered from this index alone.
            models.Index(fields=["task", "unit", "period", "percent_complete"],
                         condition=Q(state="approved"), name="report_approved_progress_idx"),
            # Reporting compliance reads when each expected report of a period was submitted.
            models.Index(fields=["period", "task", "unit", "submitted_at"],
                         name="report_period_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit} · {self.period}"

    def clean(self):
        """The rules of one report's content (the database enforces them too)."""
        errors = {}
        if self.percent_complete is not None and not 0 <= self.percent_complete <= 100:
            errors["percent_complete"] = _("Percent complete must be between 0 and 100.")
        completed = self.progress_status == self.ProgressStatus.COMPLETED
        if completed and not self.completion_date:
            errors["completion_date"] = _("Give the completion date of a completed task.")
        if completed and self.percent_complete != 100:
            errors["percent_complete"] = _("A completed task must be 100 percent complete.")
        if self.completion_date and not completed:
            errors["completion_date"] = _("A completion date is only given for a completed task.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.APPROVED

    @property
    def is_lead_report(self) -> bool:
        """Whether the unit reports as lead: the lead unit, or a member of a collective lead.

        Reads `task.lead_unit.members` for a collective lead: prefetch it for many reports."""
        lead = self.task.lead_unit
        if self.unit_id == lead.pk:
            return True
        return lead.is_collective and any(m.pk == self.unit_id for m in lead.members.all())


class OutputProgress(models.Model):
    """What a report says about one of the task's outputs in its period."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFTING = "drafting", _("Being drafted")
        SUBMITTED = "submitted", _("Submitted to the competent authority")
        ISSUED = "issued", _("Issued")

    report = models.ForeignKey(ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="output_progress")
    output = models.ForeignKey(Output, verbose_name=_("output"), on_delete=models.CASCADE,
                               related_name="progress")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.NOT_STARTED)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    file = models.FileField(_("issued document"), upload_to="outputs/%Y/%m/", blank=True,
                            max_length=255)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("output progress")
        verbose_name_plural = _("output progress")
        # By the report's id, not the report: the report's own ordering would join its period,
        # task and unit into every read of a report's outputs.
        ordering = ["report_id", "output__position", "output_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "output"],
                                    name="output_progress_unique_per_report"),
            models.CheckConstraint(condition=~Q(status="issued") | Q(issued_on__isnull=False),
                                   name="output_progress_issued_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.output} · {self.get_status_display()}"


class EvidenceFile(models.Model):
    """A file attached to a report as evidence (a signed document, minutes, photographs...)."""

    report = models.ForeignKey(ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE,
                               related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report_id", "uploaded_at", "id"]  # as OutputProgress: no join
        constraints = [
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(condition=~Q(original_name=""), name="evidence_has_name"),
        ]

    def __str__(self) -> str:
        return self.original_name


class ReportLateness(models.Model):
    """An expected report that was not submitted by its period's submission deadline.

    Recorded by the `reports.record_late_reports` job after the deadline: one row per expected
    (task, reporting unit) whose report had not been submitted by then. `submitted_at` is filled
    when the report came in late (at once if it already had, or by a later run of the job).
    """

    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"),
                               on_delete=models.CASCADE, related_name="late_reports")
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="late_reports")
    unit = models.ForeignKey(Unit, verbose_name=_("reporting unit"), on_delete=models.CASCADE,
                             related_name="late_reports")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("late report")
        verbose_name_plural = _("late reports")
        ordering = ["-period__year", "-period__month", "unit__path", "task__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["period", "task", "unit"],
                                    name="lateness_unique_task_unit_period"),
        ]
        indexes = [
            models.Index(fields=["period", "unit"], name="lateness_period_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} · {self.unit} · {self.period}"


class MonthlyReportData(models.Model):
    """The figures of one period's monthly report to the Standing Secretariat, as computed once
    the period's submission deadline had passed (JSON: dates as ISO strings)."""

    period = models.OneToOneField(ReportingPeriod, verbose_name=_("period"),
                                  on_delete=models.PROTECT, related_name="monthly_report_data")
    data = models.JSONField(_("data"))
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)
    generated_by_job = models.BooleanField(_("generated by the scheduled job"), default=False)
    #: The draft PDF (Vietnamese) rendered from `data`, and how far its preparation has gone.
    draft_pdf = models.FileField(_("draft"), upload_to="monthly-reports/drafts/", blank=True,
                                 max_length=255)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    #: When the draft's preparation was last queued, and when a worker took it up.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    taken_up_at = models.DateTimeField(_("taken up by a worker at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly report data")
        verbose_name_plural = _("monthly report data")
        ordering = ["-period__year", "-period__month"]

    def __str__(self) -> str:
        return str(self.period)

    #: Progress 1: the draft's preparation is queued and no worker has taken it up yet.
    QUEUED = 1

    @property
    def is_waiting_long(self) -> bool:
        """Queued a while ago and not yet taken up (the job service is busy, or was down)."""
        return self.progress == self.QUEUED and is_waiting_long(self.queued_at)


class IssuedMonthlyReport(models.Model):
    """A monthly report as issued: frozen. Its data, its PDFs and their SHA-256 never change; a
    re-issue is a new version with a reason."""

    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT,
                               related_name="issued_reports")
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("date issued"))
    reason = models.TextField(_("reason for re-issuing"), blank=True)
    data = models.JSONField(_("data"))
    pdf = models.FileField(_("PDF (Vietnamese)"), upload_to="monthly-reports/issued/",
                           max_length=255)
    sha256 = models.CharField(_("SHA-256 (Vietnamese)"), max_length=64)
    pdf_en = models.FileField(_("PDF (English)"), upload_to="monthly-reports/issued/",
                              max_length=255)
    sha256_en = models.CharField(_("SHA-256 (English)"), max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued monthly report")
        verbose_name_plural = _("issued monthly reports")
        ordering = ["-period__year", "-period__month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"],
                                    name="issued_report_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="issued_report_version_min"),
            models.CheckConstraint(condition=~Q(number=""), name="issued_report_has_number"),
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""),
                                   name="issued_report_reissue_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.period}, v{self.version})"


class DataVersion(models.Model):
    """One row whose `value` the database itself raises whenever something the dashboard reads
    changes (triggers on those tables, PostgreSQL only: see migration 0007). Part of the
    dashboard cache's key, so a cached figure never outlives the data it was computed from,
    however the data changed (a service, a bulk update, the admin, raw SQL, COPY)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("dashboard data version")
        verbose_name_plural = _("dashboard data versions")

    def __str__(self) -> str:
        return str(self.value)


from .proposals import Proposal  # noqa: E402, F401  (the register's items)
