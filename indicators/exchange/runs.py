"""Imports of indicators as FileJobs (core.filejobs): checked and written within the request
when the file is small, by a background job (with a progress bar) when it is large."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.filejobs import file_job_finish, file_job_queue
from core.models import FileJob
from tasks.exchange.reading import FileRefused, estimate_rows
from tasks.models import Resolution

from .applying import ImportRowError, import_apply
from .checking import import_plan
from .plans import file_error, fingerprint
from .reading import table_read

#: Up to this many rows a file is checked and written within the request.
DEFAULT_INLINE_ROWS = 300


def inline_rows() -> int:
    return getattr(settings, "INDICATOR_IMPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS)


def import_start(*, user, resolution: Resolution, uploaded, language: str) -> tuple[FileJob, bool]:
    """Keep the uploaded annex as a new import; (job, whether it is small enough to check now)."""
    job = FileJob(kind=FileJob.Kind.INDICATOR_IMPORT, created_by=user, language=language,
                  source_name=uploaded.name[:255], params={"resolution": resolution.pk})
    content = uploaded.read()
    job.source.save("indicators.bin", ContentFile(content), save=False)
    job.save()
    small = estimate_rows(content=content, name=uploaded.name) <= inline_rows()
    if not small:
        file_job_queue(job)
    return job, small


def import_resolution(job: FileJob) -> Resolution:
    return Resolution.objects.get(pk=job.params["resolution"])


def _read_and_plan(job: FileJob, progress=None):
    resolution = import_resolution(job)
    with job.source.open("rb") as handle:
        content = handle.read()
    try:
        table = table_read(content=content, name=job.source_name)
    except FileRefused as refused:
        return None, {"resolution": resolution.number,
                      "errors": [file_error(message) for message in refused.messages],
                      "counts": {"rows": 0, "errors": len(refused.messages)}}
    plan = import_plan(resolution=resolution, table=table, progress=progress)
    return plan, plan.report()


def import_check(*, job: FileJob, progress=None) -> FileJob:
    """Read and check the job's file; keep the preview (every error, every change)."""
    with override(job.language):
        _plan, report = _read_and_plan(job, progress)
    return file_job_finish(job, FileJob.State.CHECKED, report=report,
                           fingerprint=fingerprint(report))


def import_request_confirm(*, job: FileJob, actor) -> bool:
    """Confirm a checked import: True when it is small enough to be written within the request
    (then call import_confirm); otherwise its background job is queued and False returned."""
    if actor.pk != job.created_by_id:
        raise PermissionDenied(_("Only the person who uploaded this import confirms it."))
    counts = (job.report or {}).get("counts", {})
    small = counts.get("breakdown", 0) + counts.get("rows", 0) <= inline_rows()
    job.state, job.progress = FileJob.State.APPLYING, 0
    job.save(update_fields=["state", "progress"])
    if not small:
        file_job_queue(job)
    return small


def import_confirm(*, job: FileJob, progress=None) -> str:
    """Write the previewed import: "done"; "changed" (nothing written, the new preview kept)
    when checking again finds other than the preview showed; "refused" when a row is refused."""
    with override(job.language):
        plan, report = _read_and_plan(job)
        if plan is None or not plan.ok or fingerprint(report) != job.fingerprint:
            file_job_finish(job, FileJob.State.CHECKED, report=report,
                            fingerprint=fingerprint(report))
            return "changed"
        try:
            counts = import_apply(plan=plan, actor=job.created_by, progress=progress)
        except ImportRowError as refused:
            report["errors"] = [{"row": refused.row, "code": refused.code, "message": message}
                                for message in refused.messages]
            file_job_finish(job, FileJob.State.CHECKED, report=report, fingerprint="")
            return "refused"
    file_job_finish(job, FileJob.State.DONE, report={**report, "outcome": counts})
    return "done"
