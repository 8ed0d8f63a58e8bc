"""The models of the shared machinery: the file jobs people wait for."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kinds import Kinds
from .queueing import is_waiting_long

#: The kinds of file job: each app declares those it runs.
FILE_JOB_KINDS = Kinds("file job")


def file_job_kind_choices() -> list:
    return FILE_JOB_KINDS.choices


class FileJob(models.Model):
    """A file a user is waiting for: an import being checked or written, an export being
    prepared (the kinds are declared by the apps: tasks/kinds.py, reports/kinds.py).

    Small files are handled within the request; large ones by a background job, whose progress
    the page shows. Only the user who started it sees it.
    """

    #: Each kind names the job that takes it up from each state it waits in (core.filejobs).
    Kind = FILE_JOB_KINDS

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        CHECKING = "checking", _("Reading and checking the file")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        APPLYING = "applying", _("Writing the changes")
        RUNNING = "running", _("Preparing the file")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=file_job_kind_choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"),
                                   on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: The language the user worked in: messages and headers are written in it.
    language = models.CharField(_("language"), max_length=5, default="vi")
    #: What was asked: the export's format and filters; the import's resolution (its id),
    #: options and decision.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    source = models.FileField(_("uploaded file"), upload_to="task-files/in/%Y/%m/", blank=True,
                              max_length=255)
    source_name = models.CharField(_("uploaded file name"), max_length=255, blank=True)
    result = models.FileField(_("prepared file"), upload_to="task-files/out/%Y/%m/",
                              blank=True, max_length=255)
    result_name = models.CharField(_("prepared file name"), max_length=255, blank=True)
    #: An import's preview (what it will create or change, every error) or its outcome.
    report = models.JSONField(_("report"), default=dict, blank=True)
    #: The preview's SHA-256: confirming writes only if checking again finds the same changes.
    fingerprint = models.CharField(max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    #: When its background job was last queued (None: done within the request).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    #: When a worker took it up (None: done within the request, or not yet taken up).
    taken_up_at = models.DateTimeField(_("taken up by a worker at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file job")
        verbose_name_plural = _("file jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100),
                                   name="file_job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    #: Waiting for a worker, or being worked on.
    BUSY_STATES = (State.QUEUED, State.CHECKING, State.APPLYING, State.RUNNING)

    @property
    def is_busy(self) -> bool:
        return self.state in self.BUSY_STATES

    @property
    def is_waiting_long(self) -> bool:
        """Queued a while ago and not yet taken up by a worker (the job service is busy, or
        was down when it was queued: it is queued again until a worker takes it)."""
        return self.is_busy and self.progress == 0 and is_waiting_long(self.queued_at)


class Version(models.Model):
    """A counter raised by database triggers whenever what it watches changes (the migrations
    that create the triggers say what): a drawn piece of page cached under the counter's value
    (core.versions) is never served once what it shows has changed."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("version of cached pages")
        verbose_name_plural = _("versions of cached pages")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
