"""Imports and exports as the browser and the jobs run them: each is a FileJob, done within the
request when the file is small, by a background job (with a progress bar) when it is large."""

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.filejobs import file_job_finish, file_job_queue, file_job_store
from core.models import FileJob

from ..facts import task_annotate_facts
from ..filters import TaskFilter
from ..models import Resolution, Task
from ..selectors import task_list_visible_to
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


# --- Import -------------------------------------------------------------------------------------


def import_start(*, user, resolution: Resolution, uploaded, number_within_group: bool,
                 language: str) -> tuple[FileJob, bool]:
    """Keep the uploaded file as a new import; (job, whether it is small enough to check now)."""
    job = FileJob(kind=FileJob.Kind.TASK_IMPORT, created_by=user, language=language,
                  source_name=uploaded.name[:255],
                  params={"resolution": resolution.pk, "number_within_group": number_within_group})
    content = uploaded.read()
    job.source.save("import.bin", ContentFile(content), save=False)
    job.save()
    return job, estimate_rows(content=content, name=uploaded.name) <= inline_rows("import")


def import_resolution(job: FileJob) -> Resolution:
    """The resolution an import is into."""
    return Resolution.objects.get(pk=job.params["resolution"])


def _read_and_plan(job: FileJob, progress=None):
    """(plan or None, report) of the job's file against the database as it is now."""
    resolution = import_resolution(job)
    with job.source.open("rb") as handle:
        content = handle.read()
    try:
        table = table_read(content=content, name=job.source_name)
    except FileRefused as refused:
        report = {"resolution": resolution.number, "errors": [
            file_error(message) for message in refused.messages],
            "counts": {"rows": 0, "errors": len(refused.messages)}}
        return None, report
    options = ImportOptions(number_within_group=bool(job.params.get("number_within_group")))
    plan = import_plan(resolution=resolution, table=table, options=options,
                       progress=progress)
    return plan, plan.report()


def import_check(*, job: FileJob, progress=None) -> FileJob:
    """Read and check the job's file; keep the preview (every error, every change)."""
    with override(job.language):
        _plan, report = _read_and_plan(job, progress)
    return file_job_finish(job, FileJob.State.CHECKED, report=report,
                           fingerprint=fingerprint(report))


def import_check_again(*, job: FileJob) -> bool:
    """Check the job's file again (a name it gave has just been resolved): within the request
    when it is small (True), else by its background job (False)."""
    with job.source.open("rb") as handle:
        content = handle.read()
    if estimate_rows(content=content, name=job.source_name) <= inline_rows("import"):
        import_check(job=job)
        return True
    job.state, job.progress = FileJob.State.QUEUED, 0
    job.save(update_fields=["state", "progress"])
    file_job_queue(job)
    return False


def job_decision(job: FileJob) -> Decision | None:
    data = job.params.get("decision")
    if not data:
        return None
    return Decision(number=data["number"], date=date.fromisoformat(data["date"]),
                    authority=data["authority"], reason=data.get("reason", ""))


def import_request_confirm(*, job: FileJob, actor, decision: Decision | None) -> bool:
    """Confirm a checked import for its writing, with the decision that allows its deadline
    changes (if any). True when it is small enough to be written within the request (then call
    import_confirm); otherwise its background job is queued and False returned."""
    if actor.pk != job.created_by_id:
        raise PermissionDenied(_("Only the person who uploaded this import confirms it."))
    if decision is not None:
        job.params = {**job.params, "decision": {
            "number": decision.number, "date": decision.date.isoformat(),
            "authority": decision.authority, "reason": decision.reason}}
    counts = (job.report or {}).get("counts", {})
    small = counts.get("create", 0) + counts.get("update", 0) <= inline_rows("import")
    job.state, job.progress = FileJob.State.APPLYING, 0
    job.save(update_fields=["params", "state", "progress"])
    if not small:
        file_job_queue(job)
    return small


def import_confirm(*, job: FileJob, progress=None) -> str:
    """Write the previewed import: "done"; or, when checking again finds something other than
    what the preview showed (someone changed the tasks meanwhile), nothing is written, the new
    preview is kept and "changed" is returned; "refused" when a row is refused while writing."""
    with override(job.language):
        plan, report = _read_and_plan(job)
        if plan is None or not plan.ok or fingerprint(report) != job.fingerprint:
            file_job_finish(job, FileJob.State.CHECKED, report=report,
                            fingerprint=fingerprint(report))
            return "changed"
        reason = _("Imported from %(file)s") % {"file": job.source_name}
        try:
            counts = import_apply(plan=plan, actor=job.created_by, reason=reason,
                                  decision=job_decision(job), progress=progress)
        except ImportRowError as refused:
            report["errors"] = [{"row": refused.row, "code": refused.code, "message": message}
                                for message in refused.messages]
            file_job_finish(job, FileJob.State.CHECKED, report=report, fingerprint="")
            return "refused"
    file_job_finish(job, FileJob.State.DONE, report={**report, "outcome": counts})
    return "done"


# --- Export -------------------------------------------------------------------------------------


def export_queryset(*, user, params: dict) -> QuerySet[Task]:
    """The tasks the user sees, filtered as the task list was (its query string, read by the
    same TaskFilter), each with its status class computed by the database."""
    tasks = task_annotate_facts(task_list_visible_to(user=user), on=timezone.localdate())
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
