"""Imports and exports as the browser and the jobs run them: each is a FileJob, done within the
request when the file is small, by a background job (with a progress bar) when it is large."""

import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.queueing import abandoned_before, queue_after_commit, requeue_before

from ..filters import TaskFilter
from ..models import FileJob, Resolution, Task
from ..selectors import task_annotate_status, task_list_visible_to
from .exporting import tasks_export
from .importing import (
    Decision,
    ImportOptions,
    ImportRowError,
    file_error,
    fingerprint,
    import_apply,
    import_plan,
)
from .progress import ProgressRecorder
from .reading import FileRefused, estimate_rows, table_read

#: Up to this many rows, a file is checked and written, or exported, within the request;
#: beyond, by a background job while the page shows its progress. Writing costs about 40 ms a
#: task (each change audited), exporting about 1.5 ms; checking is cheap.
DEFAULT_INLINE_ROWS = {"import": 100, "export": 500}

logger = logging.getLogger(__name__)


def inline_rows(work: str) -> int:
    """How many rows of `work` ("import" or "export") are done within the request
    (settings TASK_IMPORT_INLINE_ROWS, TASK_EXPORT_INLINE_ROWS)."""
    return getattr(settings, f"TASK_{work.upper()}_INLINE_ROWS", DEFAULT_INLINE_ROWS[work])


#: The background job that takes up a file job waiting (progress 0) in a state (imported when
#: needed: the jobs import this module).
WAITING_JOBS = {
    (FileJob.Kind.TASK_IMPORT, FileJob.State.QUEUED): "tasks.jobs.check_task_import",
    (FileJob.Kind.TASK_IMPORT, FileJob.State.APPLYING): "tasks.jobs.apply_task_import",
    (FileJob.Kind.TASK_EXPORT, FileJob.State.QUEUED): "tasks.jobs.export_task_file",
    (FileJob.Kind.REPORT_EXPORT, FileJob.State.QUEUED): "reports.jobs.export_period_reports",
}


def file_job_queue(job: FileJob) -> None:
    """Queue the background job that takes `job` up from where it waits, once the transaction
    commits. If the broker cannot be reached, the job keeps waiting and the page says so after a
    minute; file_jobs_requeue (run every minute by beat) queues it again until a worker takes
    it (core.queueing sets the times). A job delivered twice runs once (see file_job_run)."""
    FileJob.objects.filter(pk=job.pk).update(queued_at=timezone.now())
    queue_after_commit(import_string(WAITING_JOBS[job.kind, job.state]), job.pk)


def file_jobs_requeue(*, now=None) -> int:
    """Queue again every file job still waiting for a worker 2 minutes after it was queued:
    queued while the broker was down, or lost by it (a restart without persistence). Returns how
    many."""
    waiting = Q()
    for kind, state in WAITING_JOBS:
        waiting |= Q(kind=kind, state=state)
    jobs = list(FileJob.objects.filter(waiting, progress=0, queued_at__lt=requeue_before(now)))
    for job in jobs:
        logger.info("file job %s still waiting: queued again", job.pk)
        file_job_queue(job)
    return len(jobs)


def file_jobs_end_abandoned(*, now=None) -> int:
    """Mark failed every file job a worker took up longer ago than a job may run (the time limit,
    CELERY_TASK_TIME_LIMIT) and never finished: the worker died (or was killed at the limit), and
    the job, being claimed once, will not be run again. Its page then says it failed rather than
    show a progress bar for ever. Returns how many."""
    ended = FileJob.objects.filter(
        state__in=FileJob.BUSY_STATES, progress__gt=0, taken_up_at__lt=abandoned_before(now),
    ).update(state=FileJob.State.FAILED, error="abandoned: the worker stopped before the end",
             finished_at=timezone.now())
    if ended:
        logger.warning("%s file jobs abandoned by their worker marked failed", ended)
    return ended


def file_job_run(job_id: int, *, waiting: str, working: str, work) -> dict:
    """Run `work(job, progress)` on a FileJob waiting in the state `waiting` (progress 0), as a
    background job does.

    The job is claimed with one conditional update, so a job delivered twice runs once. A
    failure is recorded on the job (its page says so) rather than retried: the same file would
    fail the same way.
    """
    claimed = FileJob.objects.filter(pk=job_id, state=waiting, progress=0).update(
        state=working, progress=1, taken_up_at=timezone.now())
    if not claimed:  # already taken (a job delivered twice), or gone
        return {"done": 0}
    job = FileJob.objects.select_related("resolution", "created_by").get(pk=job_id)
    progress = ProgressRecorder(job.pk, start=1, end=99)
    try:
        outcome = work(job, progress)
    except Exception as error:
        FileJob.objects.filter(pk=job.pk).update(state=FileJob.State.FAILED, error=repr(error),
                                                 finished_at=timezone.now())
        raise
    finally:
        progress.close()
    return {"done": 1, "outcome": outcome}


def _finish(job: FileJob, state: str, **fields) -> FileJob:
    for name, value in {"state": state, "progress": 100, "finished_at": timezone.now(),
                        **fields}.items():
        setattr(job, name, value)
    job.save()
    return job


# --- Import -------------------------------------------------------------------------------------


def import_start(*, user, resolution: Resolution, uploaded, number_within_group: bool,
                 language: str) -> tuple[FileJob, bool]:
    """Keep the uploaded file as a new import; (job, whether it is small enough to check now)."""
    job = FileJob(kind=FileJob.Kind.TASK_IMPORT, created_by=user, resolution=resolution,
                  language=language, source_name=uploaded.name[:255],
                  params={"number_within_group": number_within_group})
    content = uploaded.read()
    job.source.save("import.bin", ContentFile(content), save=False)
    job.save()
    return job, estimate_rows(content=content, name=uploaded.name) <= inline_rows("import")


def _read_and_plan(job: FileJob, progress=None):
    """(plan or None, report) of the job's file against the database as it is now."""
    with job.source.open("rb") as handle:
        content = handle.read()
    try:
        table = table_read(content=content, name=job.source_name)
    except FileRefused as refused:
        report = {"resolution": job.resolution.number, "errors": [
            file_error(message) for message in refused.messages],
            "counts": {"rows": 0, "errors": len(refused.messages)}}
        return None, report
    options = ImportOptions(number_within_group=bool(job.params.get("number_within_group")))
    plan = import_plan(resolution=job.resolution, table=table, options=options,
                       progress=progress)
    return plan, plan.report()


def import_check(*, job: FileJob, progress=None) -> FileJob:
    """Read and check the job's file; keep the preview (every error, every change)."""
    with override(job.language):
        _plan, report = _read_and_plan(job, progress)
    return _finish(job, FileJob.State.CHECKED, report=report, fingerprint=fingerprint(report))


def job_decision(job: FileJob) -> Decision | None:
    data = job.params.get("decision")
    if not data:
        return None
    return Decision(number=data["number"], date=date.fromisoformat(data["date"]),
                    authority=data["authority"], reason=data.get("reason", ""))


def import_confirm(*, job: FileJob, progress=None) -> str:
    """Write the previewed import: "done"; or, when checking again finds something other than
    what the preview showed (someone changed the tasks meanwhile), nothing is written, the new
    preview is kept and "changed" is returned; "refused" when a row is refused while writing."""
    with override(job.language):
        plan, report = _read_and_plan(job)
        if plan is None or not plan.ok or fingerprint(report) != job.fingerprint:
            _finish(job, FileJob.State.CHECKED, report=report, fingerprint=fingerprint(report))
            return "changed"
        reason = _("Imported from %(file)s") % {"file": job.source_name}
        try:
            counts = import_apply(plan=plan, actor=job.created_by, reason=reason,
                                  decision=job_decision(job), progress=progress)
        except ImportRowError as refused:
            report["errors"] = [{"row": refused.row, "code": refused.code, "message": message}
                                for message in refused.messages]
            _finish(job, FileJob.State.CHECKED, report=report, fingerprint="")
            return "refused"
    _finish(job, FileJob.State.DONE, report={**report, "outcome": counts})
    return "done"


# --- Export -------------------------------------------------------------------------------------


def export_queryset(*, user, params: dict) -> QuerySet[Task]:
    """The tasks the user sees, filtered as the task list was (its query string, read by the
    same TaskFilter), each with its status class computed by the database."""
    tasks = task_annotate_status(task_list_visible_to(user=user), on=timezone.localdate())
    return TaskFilter(QueryDict(params.get("query", "")) or None, queryset=tasks).qs


def export_title(params: dict) -> str:
    """The resolution's number when the list is filtered on one (for the file's name)."""
    chosen = QueryDict(params.get("query", "")).get("resolution", "")
    if chosen.isdigit():
        resolution = Resolution.objects.filter(pk=chosen).first()
        return resolution.number if resolution else ""
    return ""


def export_run(*, job: FileJob, progress=None) -> FileJob:
    """Prepare the export file the job asks for and keep it on the job."""
    with override(job.language):
        content, name, _type = tasks_export(
            export_queryset(user=job.created_by, params=job.params),
            file_format=job.params.get("format", "xlsx"), title=export_title(job.params),
            progress=progress)
    return file_job_store(job=job, content=content, name=name)


def file_job_store(*, job: FileJob, content: bytes, name: str) -> FileJob:
    """Keep a prepared file on its job, which is then done."""
    job.result.save("export.bin", ContentFile(content), save=False)
    return _finish(job, FileJob.State.DONE, result_name=name)
