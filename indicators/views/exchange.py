"""Importing indicators from an annex of targets: upload → preview → confirm, as the task
import does (its progress bar and rules); the template to fill in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import NotAllowed
from core.models import FileJob
from tasks.exchange.writing import XLSX_CONTENT_TYPE
from tasks.models import Resolution

from ..exchange.runs import (
    import_check,
    import_confirm,
    import_request_confirm,
    import_resolution,
    import_start,
)
from ..exchange.template import import_template
from ..forms import IndicatorImportForm
from ..permissions import can_manage_indicators

#: The preview lists at most this many changed indicators (the counts cover them all).
PREVIEW_ROWS = 500


def _secretariat(request) -> None:
    if not can_manage_indicators(request.user):
        raise NotAllowed(_("Only the programme secretariat imports indicators."))


def _own_job(request, pk) -> FileJob:
    return get_object_or_404(FileJob.objects.filter(created_by=request.user,
                                                    kind=FileJob.Kind.INDICATOR_IMPORT), pk=pk)


@login_required
def import_upload(request):
    """Upload an annex of targets for a resolution; it is checked, then previewed."""
    _secretariat(request)
    initial = {"resolution": request.GET.get("resolution")} if request.GET.get(
        "resolution", "").isdigit() else {}
    form = IndicatorImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        job, small = import_start(user=request.user, resolution=form.cleaned_data["resolution"],
                                  uploaded=form.cleaned_data["file"],
                                  language=get_language() or "vi")
        if small:
            import_check(job=job)
        return redirect("indicators:import_job", job.pk)
    return render(request, "indicators/import_upload.html", {
        "form": form,
        "recent": FileJob.objects.filter(created_by=request.user,
                                         kind=FileJob.Kind.INDICATOR_IMPORT)[:5],
    }, status=400 if request.method == "POST" else 200)


@login_required
def import_template_download(request, pk):
    """The workbook to fill in, with the resolution's indicators as they stand."""
    _secretariat(request)
    content, filename = import_template(resolution=get_object_or_404(Resolution, pk=pk))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_job(request, pk):
    """The import's page: its progress, then the preview (every error by row, or what will be
    created and updated), then the outcome."""
    _secretariat(request)
    job = _own_job(request, pk)
    report = job.report or {}
    rows = report.get("rows", [])
    return render(request, "indicators/import_job.html", {
        "job": job, "resolution": import_resolution(job), "report": report,
        "rows": rows[:PREVIEW_ROWS], "rows_hidden": max(0, len(rows) - PREVIEW_ROWS),
        "can_confirm": (job.state == FileJob.State.CHECKED and not report.get("errors")
                        and bool(rows)),
    })


@login_required
@require_POST
def import_confirm_view(request, pk):
    """Write the previewed import, all or nothing."""
    _secretariat(request)
    job = _own_job(request, pk)
    if job.state != FileJob.State.CHECKED or (job.report or {}).get("errors"):
        messages.warning(request, _("This import is not waiting for confirmation."))
        return redirect("indicators:import_job", job.pk)
    if not import_request_confirm(job=job, actor=request.user):
        return redirect("indicators:import_job", job.pk)
    with transaction.atomic():
        outcome = import_confirm(job=job)
    if outcome == "done":
        messages.success(request, _("The indicators were imported."))
    elif outcome == "changed":
        messages.warning(request, _("The indicators changed since the preview, so nothing was "
                                    "written. Check the new preview below, then confirm again."))
    else:
        messages.error(request, _("A row was refused while writing, so nothing was written."))
    return redirect("indicators:import_job", job.pk)
