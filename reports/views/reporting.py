"""The browser screens of monthly reporting: thin, every rule lives in services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import WrongState
from core.ids import parse_id
from core.page_actions import page_actions
from tasks.facts import task_annotate_facts
from tasks.models import Output
from tasks.rules import StatusClass
from tasks.selectors import task_list_visible_to
from units.models import Unit
from units.selectors import units_expected_to_report

from .. import permissions, selectors
from ..evidence import evidence_open, evidence_remove
from ..forms import (
    DecisionForm,
    EvidenceForm,
    OutputProgressFormSet,
    ProgressReportForm,
)
from ..models import EvidenceFile, OutputProgress, ProgressReport
from ..periods import period_to_report
from ..services import (
    StaleReportError,
    progress_report_approve,
    progress_report_reopen,
    progress_report_return,
    progress_report_save,
)


def _task_in_scope(request, task_id):
    """The task, if the user may open it, with its facts of today (its status class) and what
    the report page reads: its units (with a collective designation's members) and outputs."""
    tasks = (task_list_visible_to(user=request.user)
             .select_related("group", "resolution", "lead_unit")
             .prefetch_related("coordinating_units", "outputs"))
    task = get_object_or_404(task_annotate_facts(tasks, on=timezone.localdate()), pk=task_id)
    return selectors.tasks_units_read([task])[0]


def _responsible_unit(task, unit_id) -> Unit:
    bodies = units_expected_to_report(units=[task.lead_unit, *task.coordinating_units.all()])
    for body in bodies:
        if body.pk == unit_id:
            return body
    raise Http404


def _apply_errors(error: ValidationError, form, outputs, evidence) -> None:
    for field, problems in error.message_dict.items() if hasattr(error, "error_dict") else [
            (None, error.messages)]:
        for problem in problems:
            if field in form.fields:
                form.add_error(field, problem)
            elif field == "file":
                evidence.add_error("files", problem)
            elif field == "outputs":
                outputs.non_form_errors().append(problem)
            else:
                form.add_error(None, problem)


def _output_initial(task, report, previous):
    """Each output's state as last recorded (this report, else last period's, else the task's)."""
    recorded = {}
    for source in (previous, report):
        if source is not None and source.pk:
            recorded.update({p.output_id: p for p in source.output_progress.all()})
    initial = []
    for output in task.outputs.all():
        progress = recorded.get(output.pk)
        if output.is_done and progress is None:
            initial.append({"output_id": output.pk, "status": OutputProgress.Status.ISSUED,
                            "document_number": output.document_number,
                            "issued_on": output.issued_on})
        else:
            initial.append({
                "output_id": output.pk,
                "status": progress.status if progress else OutputProgress.Status.NOT_STARTED,
                "document_number": progress.document_number if progress else "",
                "issued_on": progress.issued_on if progress else None,
            })
    return initial


def _blank_forms(task, report, previous):
    """The forms as the page opens: the report's content, or last period's to start from."""
    # A report not yet saved has no version: if someone saves it first, this page is stale.
    initial = {"version": report.version if report.pk else None}
    if not report.pk and previous is not None:
        initial.update({name: getattr(previous, name) for name in
                        ("percent_complete", "progress_status", "results", "difficulties",
                         "proposals", "next_steps", "completion_date")})
    return (ProgressReportForm(instance=report, initial=initial),
            OutputProgressFormSet(initial=_output_initial(task, report, previous),
                                  prefix="outputs"),
            EvidenceForm())


def _save_report(request, *, task, unit, period, report):
    """Save (and, when asked, submit) the posted report.

    Returns (done, forms, conflict, saved): done when the page can redirect; otherwise the bound
    forms with their errors (every typed value kept), after a refused stale edit the report as
    the other person saved it, and the draft when it was saved but could not be submitted.
    """
    form = ProgressReportForm(request.POST, instance=report)
    outputs = OutputProgressFormSet(request.POST, request.FILES, prefix="outputs")
    evidence = EvidenceForm(request.POST, request.FILES)
    forms = (form, outputs, evidence)
    if not (form.is_valid() & outputs.is_valid() & evidence.is_valid()):
        _ask_files_again(request)
        return False, forms, None, None
    version = form.cleaned_data["version"]
    submit = request.POST["action"] == "submit"
    try:
        result = progress_report_save(
            actor=request.user, task=task, unit=unit, period=period,
            # Blank: the page was opened before the report existed (0 never matches a version).
            expected_version=0 if version is None else version,
            fields={name: form.cleaned_data[name] for name in ProgressReportForm.Meta.fields},
            outputs=[{"output": row["output_id"], "status": row["status"],
                      "document_number": row["document_number"], "issued_on": row["issued_on"],
                      "file": row.get("file")} for row in outputs.cleaned_data],
            files=evidence.cleaned_data["files"], submit=submit)
    except StaleReportError as stale:
        form.add_error(None, str(stale))
        # The next save is a deliberate choice made with both texts in view.
        form.data = request.POST.copy()
        form.data["version"] = stale.current.version
        _ask_files_again(request)
        return False, forms, stale.current, None
    except WrongState as refused:  # submitted or approved meanwhile, from another page
        form.add_error(None, str(refused))
        _ask_files_again(request)
        return False, forms, None, None
    except ValidationError as error:
        _apply_errors(error, *forms)
        _ask_files_again(request)
        return False, forms, None, None

    if result.submit_errors is not None:
        messages.warning(request, _("Your draft is saved, but it cannot be submitted yet. "
                                    "Complete what is marked below."))
        form.data = request.POST.copy()
        form.data["version"] = result.report.version  # the draft just saved is being edited
        _apply_errors(result.submit_errors, *forms)
        return False, forms, None, result.report
    messages.success(request, _("Report submitted to your unit's leader.") if submit
                     else _("Draft saved."))
    return True, forms, None, result.report


def _ask_files_again(request):
    if request.FILES:
        messages.warning(request, _("Nothing was saved. Your text is kept below; choose the "
                                    "files again before saving."))


@login_required
def report_page(request, task_id, unit_id, year, month):
    """One unit's report on one task for one period: write, submit, approve, return, reopen."""
    task = _task_in_scope(request, task_id)
    unit = _responsible_unit(task, unit_id)
    period = period_to_report(year=year, month=month, on=timezone.localdate())
    if period is None:
        raise Http404
    report = selectors.report_for(task=task, unit=unit, period=period) or ProgressReport(
        task=task, unit=unit, period=period, created_by=request.user)
    if not permissions.can_view_report(request.user, report):
        raise Http404
    previous = None if report.pk else selectors.report_previous(task=task, unit=unit,
                                                                period=period)
    editable = permissions.can_edit_report(request.user, report)
    outputs_by_id = {output.pk: output for output in task.outputs.all()}
    decision = DecisionForm(initial={"version": report.version})
    conflict = None
    action = request.POST.get("action") if request.method == "POST" else None

    if action in ("approve", "return", "reopen"):
        decision = DecisionForm(request.POST)
        if _decide(request, report, action, decision):
            return redirect(request.path)
        forms = _blank_forms(task, report, previous)
    elif action in ("save", "submit"):
        if not editable:
            raise PermissionDenied(_("This report cannot be edited now."))
        done, forms, conflict, saved = _save_report(
            request, task=task, unit=unit, period=period, report=report)
        if done:
            return redirect(request.path)
        if saved is not None:  # saved as a draft, not submitted: show it as it now stands
            period = saved.period
            report, previous = selectors.report_for(task=task, unit=unit, period=period), None
            editable = permissions.can_edit_report(request.user, report)
    elif request.method == "POST":
        raise PermissionDenied(_("Unknown action."))
    else:
        forms = _blank_forms(task, report, previous)

    form, outputs, evidence = forms
    for row_form in outputs:
        # As posted, so possibly tampered: not an id (or not this task's output) shows no output.
        row_form.output = outputs_by_id.get(parse_id(row_form["output_id"].value()))
    lead_bodies = units_expected_to_report(units=[task.lead_unit])
    return render(request, "reports/report.html", {
        "task": task, "unit": unit, "period": period, "report": report, "previous": previous,
        "form": form, "outputs": outputs, "evidence_form": evidence, "decision": decision,
        "conflict": conflict, "editable": editable,
        "can_decide": permissions.can_decide_report(request.user, report),
        "can_reopen": permissions.can_reopen_report(request.user, report),
        "is_lead": unit in lead_bodies,
        "beside": (selectors.reports_beside(task=task, period=period, unit=unit)
                   if unit in lead_bodies else []),
        "history": selectors.report_history(report=report) if report.pk else [],
        # The stored figure (tasks.facts), as every list and figure shows it.
        "status": StatusClass(task.status_class) if task.status_class else None,
        "page_actions": page_actions("report", request, task=task, unit=unit, period=period,
                                     report=report),
    })


def _decide(request, report, action, decision) -> bool:
    """Approve, return or reopen; False (with the error on the form) when refused."""
    if not report.pk or not decision.is_valid():
        raise Http404
    version = decision.cleaned_data["version"]
    comment = decision.cleaned_data["comment"]
    try:
        if action == "approve":
            progress_report_approve(report=report, actor=request.user, expected_version=version)
            messages.success(request, _("Report approved and locked."))
        elif action == "return":
            progress_report_return(report=report, actor=request.user, comment=comment,
                                   expected_version=version)
            messages.success(request, _("Report returned to its authors with your comment."))
        else:
            progress_report_reopen(report=report, actor=request.user, reason=comment)
            messages.success(request, _("Report reopened for correction."))
    except (StaleReportError, WrongState) as refused:
        # The page was out of date: someone else changed the report or took a step on it.
        decision.add_error(None, str(refused))
        return False
    except ValidationError as error:
        for problems in (error.message_dict.values() if hasattr(error, "error_dict")
                         else [error.messages]):
            for problem in problems:
                decision.add_error("comment" if action != "approve" else None, problem)
        return False
    return True


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related(
        "report__task__lead_unit", "report__unit"), pk=pk)
    handle, filename, content_type = evidence_open(evidence=evidence, user=request.user)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related(
        "report__task__lead_unit", "report__unit", "report__period"), pk=pk)
    report = evidence.report
    if not permissions.can_view_report(request.user, report):
        raise Http404
    evidence_remove(evidence=evidence, actor=request.user)
    messages.success(request, _("File removed."))
    return redirect(report_url(report))


def _attachment(field_file, filename):
    if not field_file:
        raise Http404
    return FileResponse(field_file.open("rb"), as_attachment=True,
                        filename=filename or field_file.name.rsplit("/", 1)[-1])


@login_required
def output_file_download(request, pk):
    """The issued document of a task's output, for anyone who can see the task."""
    output = get_object_or_404(
        Output.objects.filter(task__in=task_list_visible_to(user=request.user)), pk=pk)
    return _attachment(output.file, None)


@login_required
def output_progress_file_download(request, pk):
    """The issued document attached to an output on a report, for whoever can read the report."""
    progress = get_object_or_404(OutputProgress.objects.select_related(
        "report__task__lead_unit", "report__unit"), pk=pk)
    if not permissions.can_view_report(request.user, progress.report):
        raise Http404
    return _attachment(progress.file, None)


def report_url(report: ProgressReport) -> str:
    return reverse("report", args=[report.task_id, report.unit_id, report.period.year,
                                   report.period.month])
