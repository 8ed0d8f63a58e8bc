"""Importing and exporting task lists: upload → preview → confirm; export to Excel or CSV.

Small files are handled within the request; large ones by a background job, while the page
shows a progress bar (polled with htmx, like the monthly report's draft).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.filejobs import file_job_queue, file_job_start
from core.models import FileJob
from units.models import Unit
from units.services import unit_alias_add, unit_create

from ..exchange.exporting import FORMATS, import_template, tasks_export
from ..exchange.importing import Decision
from ..exchange.runs import (
    export_queryset,
    export_title,
    import_check,
    import_check_again,
    import_confirm,
    import_request_confirm,
    import_resolution,
    import_start,
    inline_rows,
)
from ..forms import DecisionForm, ImportForm, UnitResolveForm
from ..models import Resolution
from ..permissions import can_export_tasks, can_manage_programmes

#: The preview lists at most this many changed rows (the counts cover them all).
PREVIEW_ROWS = 500


def _secretariat(request) -> None:
    if not can_manage_programmes(request.user):
        raise PermissionDenied(_("Only the programme secretariat imports task lists."))


def _own_job(request, pk, kind=None) -> FileJob:
    """A file job of the user's own: anyone else's is not found."""
    jobs = FileJob.objects.filter(created_by=request.user)
    if kind:
        jobs = jobs.filter(kind=kind)
    return get_object_or_404(jobs, pk=pk)


# --- Import -----------------------------------------------------------------------------------


@login_required
def import_upload(request, pk):
    """Upload a task list for the resolution; it is checked, then previewed."""
    _secretariat(request)
    resolution = get_object_or_404(Resolution, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job, small = import_start(user=request.user, resolution=resolution,
                                  uploaded=form.cleaned_data["file"],
                                  number_within_group=form.cleaned_data["number_within_group"],
                                  language=get_language() or "vi")
        if small:
            import_check(job=job)
        else:
            file_job_queue(job)
        return redirect("tasks:import_job", job.pk)
    return render(request, "tasks/import_upload.html", {
        "form": form, "resolution": resolution,
        "recent": FileJob.objects.filter(created_by=request.user,
                                         params__resolution=resolution.pk,
                                         kind=FileJob.Kind.TASK_IMPORT)[:5],
    }, status=400 if request.method == "POST" else 200)


@login_required
def import_template_download(request, pk):
    """The workbook to fill in, with the resolution's groups, the forms of deadline, the
    competent authorities and the units."""
    _secretariat(request)
    resolution = get_object_or_404(Resolution, pk=pk)
    content, filename = import_template(resolution=resolution)
    response = HttpResponse(content, content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _preview_context(job: FileJob, decision_form=None, unit_form=None) -> dict:
    report = job.report or {}
    rows = report.get("rows", [])
    return {
        "units": (Unit.objects.filter(is_active=True).only("pk", "code", "name")
                  .order_by("code") if report.get("unknown_units") else []),
        "unit_kinds": Unit.Kind.choices, "unit_form": unit_form,
        "job": job, "resolution": import_resolution(job), "report": report,
        "rows": rows[:PREVIEW_ROWS],
        "rows_hidden": max(0, len(rows) - PREVIEW_ROWS),
        "decision_form": decision_form or DecisionForm(),
        "needs_decision": bool(report.get("deadline_changes")),
        "can_confirm": (job.state == FileJob.State.CHECKED and not report.get("errors")
                        and bool(rows)),
    }


@login_required
def import_job(request, pk):
    """The import's page: its progress while it is checked or written, then the preview (every
    error by row, or what will be created and changed), then the outcome."""
    _secretariat(request)
    job = _own_job(request, pk, FileJob.Kind.TASK_IMPORT)
    return render(request, "tasks/import_job.html", _preview_context(job))


@login_required
def file_job_progress(request, pk):
    """The progress bar of a job (polled by htmx while it runs); when it ends, the page is
    reloaded to show the outcome."""
    job = _own_job(request, pk)
    response = render(request, "tasks/file_job_progress.html", {"job": job})
    if not job.is_busy and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_confirm_view(request, pk):
    """Write the previewed import (with the decision for its deadline changes, if any)."""
    _secretariat(request)
    job = _own_job(request, pk, FileJob.Kind.TASK_IMPORT)
    if job.state != FileJob.State.CHECKED or job.report.get("errors"):
        messages.warning(request, _("This import is not waiting for confirmation."))
        return redirect("tasks:import_job", job.pk)
    form = DecisionForm(request.POST)
    if not form.is_valid() or (job.report.get("deadline_changes") and _decision_missing(form)):
        return render(request, "tasks/import_job.html", _preview_context(job, form), status=400)
    decision = None
    if job.report.get("deadline_changes"):
        data = form.cleaned_data
        decision = Decision(number=data["decision_number"].strip(), date=data["decision_date"],
                            authority=data["decision_authority"], reason=data["reason"].strip())
    if not import_request_confirm(job=job, actor=request.user, decision=decision):
        return redirect("tasks:import_job", job.pk)
    with transaction.atomic():
        outcome = import_confirm(job=job)
    if outcome == "done":
        messages.success(request, _("The task list was imported."))
    elif outcome == "changed":
        messages.warning(request, _("The tasks changed since the preview, so nothing was "
                                    "written. Check the new preview below, then confirm again."))
    else:
        messages.error(request, _("A row was refused while writing, so nothing was written."))
    return redirect("tasks:import_job", job.pk)


@login_required
@require_POST
def import_resolve_unit(request, pk):
    """A name the file gives that no unit bears: map it to a known unit (remembered as its
    alias) or create the unit; then the file is checked again, so the import goes on only once
    every name is resolved."""
    _secretariat(request)
    job = _own_job(request, pk, FileJob.Kind.TASK_IMPORT)
    if job.state != FileJob.State.CHECKED:
        messages.warning(request, _("This import is not waiting for confirmation."))
        return redirect("tasks:import_job", job.pk)
    form = UnitResolveForm(request.POST)
    if not form.is_valid():
        return render(request, "tasks/import_job.html", _preview_context(job, unit_form=form),
                      status=400)
    data = form.cleaned_data
    try:
        if data["action"] == UnitResolveForm.MAP:
            unit_alias_add(unit=data["unit"], text=data["name"], actor=request.user)
            messages.success(request, _("“%(name)s” is now read as %(unit)s.")
                             % {"name": data["name"], "unit": data["unit"].name})
        else:
            unit = unit_create(code=data["code"], name=data["name"], kind=data["kind"],
                               actor=request.user)
            messages.success(request, _("The unit %(unit)s was created.") % {"unit": unit.name})
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in ("code", "kind") else None, errors)
        return render(request, "tasks/import_job.html", _preview_context(job, unit_form=form),
                      status=400)
    import_check_again(job=job)
    return redirect("tasks:import_job", job.pk)


def _decision_missing(form) -> bool:
    data = form.cleaned_data
    missing = False
    for name, message in (
            ("decision_number", _("This file changes deadlines: give the number of the "
                                  "decision that allows it.")),
            ("decision_date", _("Give the date of the decision.")),
            ("decision_authority", _("Say which authority made the decision."))):
        if not data.get(name):
            form.add_error(name, message)
            missing = True
    return missing


# --- Export -----------------------------------------------------------------------------------


def export_params(request) -> dict:
    """What to export: the format, and the task list's filters as they are in the query string
    (the list's own URL with `format=` added)."""
    file_format = request.GET.get("format", "xlsx")
    if file_format not in FORMATS:
        raise Http404
    query = request.GET.copy()
    for name in ("format", "page"):
        query.pop(name, None)
    return {"format": file_format, "query": query.urlencode()}


@login_required
def task_export(request):
    """The task list as the user sees it, filtered as on the page, as Excel or CSV: at once
    for a short list, else prepared by a job while the page shows its progress."""
    if not can_export_tasks(request.user):
        raise PermissionDenied
    params = export_params(request)
    tasks = export_queryset(user=request.user, params=params)
    if tasks.count() <= inline_rows("export"):
        content, filename, content_type = tasks_export(
            tasks, file_format=params["format"], title=export_title(params))
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    job = file_job_start(kind=FileJob.Kind.TASK_EXPORT, actor=request.user,
                         language=get_language() or "vi", params=params)
    return redirect("tasks:file_job", job.pk)


@login_required
def file_job(request, pk):
    """An export being prepared (progress bar), then its download link."""
    job = _own_job(request, pk)
    if job.kind == FileJob.Kind.TASK_IMPORT:
        return redirect("tasks:import_job", job.pk)
    return render(request, "tasks/file_job.html", {"job": job})


@login_required
def file_job_download(request, pk):
    job = _own_job(request, pk)
    if job.state != FileJob.State.DONE or not job.result:
        raise Http404
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
