"""The programme secretariat's screens: resolutions, their groups, tasks, outputs and deadline
changes. Thin: parse, call a service, render; a stale edit is refused with what was typed kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms import (
    DeadlineChangeForm,
    OutputFormSet,
    ResolutionForm,
    TaskForm,
    TaskGroupForm,
    version_of,
)
from ..models import Output, Resolution, Task, TaskGroup
from ..permissions import can_manage_programmes
from ..rules import CLARITY_EXPLANATIONS, task_clarity_gaps
from ..services import (
    OutputSpec,
    StaleEditError,
    group_create,
    group_update,
    resolution_create,
    resolution_update,
    task_change_deadline,
    task_create,
    task_update,
)

PAGE_SIZE = 100


def _secretariat(request) -> None:
    if not can_manage_programmes(request.user):
        raise PermissionDenied(_("Only the programme secretariat manages programmes and tasks."))


def _gaps(task):
    return [(gap, CLARITY_EXPLANATIONS[gap]) for gap in task_clarity_gaps(task=task)]


# --- Resolutions ------------------------------------------------------------------------------


@login_required
def resolution_list(request):
    """Every resolution, with its groups and tasks counted."""
    _secretariat(request)
    resolutions = (Resolution.objects.select_related("implements")
                   .annotate(task_count=Count("tasks", distinct=True),
                             group_count=Count("groups", distinct=True))
                   .order_by("-is_tracked", "issued_on", "number"))
    return render(request, "tasks/resolution_list.html", {"resolutions": resolutions})


@login_required
def resolution_detail(request, pk):
    """A resolution's groups and tasks, each task with its six clarities."""
    _secretariat(request)
    resolution = get_object_or_404(Resolution.objects.select_related("implements"), pk=pk)
    groups = resolution.groups.annotate(task_count=Count("tasks")).order_by("number")
    tasks = (resolution.tasks.select_related("group", "lead_unit")
             .prefetch_related("outputs", "coordinating_units", "lead_unit__members")
             .order_by("sort_key"))
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"task": task, "gaps": _gaps(task)} for task in page]
    return render(request, "tasks/resolution_detail.html", {
        "resolution": resolution, "groups": groups, "rows": rows, "page": page,
    })


def _save(request, form, write, *, apply_errors=None, reload=None):
    """Run `write()` (the service calls) in one transaction: (True, what it returned, None). When
    refused, (False, None, conflict), the form keeping what was typed: after a stale edit, the
    reason on the form and the other person's version as `conflict` (read again by `reload`, if
    given); otherwise the service's errors on the form (`apply_errors`, by default the form's)."""
    try:
        with transaction.atomic():
            return True, write(), None
    except StaleEditError as stale:
        form.add_error(None, str(stale))
        # Saving again is then a deliberate choice, made with their version in view.
        form.data = form.data.copy()
        form.data["version"] = version_of(stale.current)
        return False, None, reload(stale.current) if reload else stale.current
    except ValidationError as error:
        (apply_errors or form.apply_errors)(error)
        return False, None, None


@login_required
def resolution_edit(request, pk=None):
    """Create a resolution, or edit one."""
    _secretariat(request)
    resolution = get_object_or_404(Resolution, pk=pk) if pk else None
    form = ResolutionForm(request.POST or None, instance=resolution)
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ResolutionForm.FIELDS}

        def write():
            if resolution is None:
                return resolution_create(actor=request.user, **fields)
            return resolution_update(resolution=resolution, actor=request.user,
                                     expected_updated_at=form.expected_updated_at(), **fields)

        done, saved, conflict = _save(request, form, write)
        if done:
            messages.success(request, _("Resolution %(number)s saved.")
                             % {"number": saved.number})
            return redirect("tasks:resolution", saved.pk)
    return render(request, "tasks/resolution_form.html", {
        "form": form, "resolution": resolution, "conflict": conflict,
    }, status=400 if request.method == "POST" else 200)


# --- Groups -----------------------------------------------------------------------------------


@login_required
def group_edit(request, resolution_pk=None, pk=None):
    """Add a group to a resolution, or edit one."""
    _secretariat(request)
    group = get_object_or_404(TaskGroup.objects.select_related("resolution"), pk=pk) if pk else None
    resolution = group.resolution if group else get_object_or_404(Resolution, pk=resolution_pk)
    form = TaskGroupForm(request.POST or None, instance=group)
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TaskGroupForm.FIELDS}

        def write():
            if group is None:
                return group_create(actor=request.user, resolution=resolution, **fields)
            return group_update(group=group, actor=request.user,
                                expected_updated_at=form.expected_updated_at(), **fields)

        done, _saved, conflict = _save(request, form, write)
        if done:
            messages.success(request, _("Group saved."))
            return redirect("tasks:resolution", resolution.pk)
    return render(request, "tasks/group_form.html", {
        "form": form, "group": group, "resolution": resolution, "conflict": conflict,
    }, status=400 if request.method == "POST" else 200)


# --- Tasks ------------------------------------------------------------------------------------


def _task(pk) -> Task:
    return get_object_or_404(
        Task.objects.select_related("resolution", "group", "lead_unit")
        .prefetch_related("lead_unit__members", "coordinating_units",
                          Prefetch("outputs", queryset=Output.objects.order_by("position", "id"))),
        pk=pk)


def _output_initial(task) -> list[dict]:
    return [{"id": output.pk, "kind": output.kind, "title": output.title,
             "document_number": output.document_number, "issued_on": output.issued_on}
            for output in task.outputs.all()] if task else []


def _output_specs(outputs) -> list[OutputSpec]:
    specs = []
    for data in outputs.cleaned_data:
        if not data or data.get("DELETE") or not (data.get("title") or "").strip():
            continue
        specs.append(OutputSpec(id=data.get("id"), kind=data["kind"], title=data["title"],
                                document_number=data.get("document_number") or "",
                                issued_on=data.get("issued_on")))
    return specs


def _apply_task_errors(error: ValidationError, form, outputs) -> None:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [
        (None, error.messages)]
    for name, problems in items:
        for problem in problems:
            if name == "outputs":
                outputs.non_form_errors().append(problem)
            elif name == "deadline" and "deadline_text" in form.fields:
                form.add_error("deadline_text", problem)
            else:
                form.add_error(name if name in form.fields else None, problem)


@login_required
def task_edit(request, resolution_pk=None, pk=None):
    """Create a task in a resolution (with its deadline as written), or edit one: its
    description, units and outputs. The deadline of an existing task changes only through
    task_deadline, with the authorising decision."""
    _secretariat(request)
    task = _task(pk) if pk else None
    resolution = task.resolution if task else get_object_or_404(Resolution, pk=resolution_pk)
    form = TaskForm(request.POST or None, resolution=resolution, instance=task)
    outputs = OutputFormSet(request.POST or None, prefix="outputs",
                            initial=None if request.POST else _output_initial(task))
    conflict = None
    if request.method == "POST" and form.is_valid() & outputs.is_valid():
        fields = form.task_fields()
        specs = _output_specs(outputs)

        def write():
            if task is None:
                if any(spec.id for spec in specs):
                    raise ValidationError({"outputs": _("An output does not belong to "
                                                        "this task.")})
                return task_create(
                    actor=request.user, group=fields.pop("group"), code=fields.pop("code"),
                    title=fields.pop("title"), lead_unit=fields.pop("lead_unit"),
                    deadline_text=form.cleaned_data["deadline_text"],
                    coordinating_units=form.cleaned_data["coordinating_units"],
                    outputs=specs, **fields)
            return task_update(
                task=task, actor=request.user, expected_updated_at=form.expected_updated_at(),
                coordinating_units=form.cleaned_data["coordinating_units"], outputs=specs,
                **fields)

        done, saved, conflict = _save(
            request, form, write, reload=lambda current: _task(current.pk),
            apply_errors=lambda error: _apply_task_errors(error, form, outputs))
        if done:
            messages.success(request, _("Task %(code)s saved.") % {"code": saved.code})
            return redirect("tasks:task_edit", saved.pk)
    return render(request, "tasks/task_form.html", {
        "form": form, "outputs": outputs, "task": task, "resolution": resolution,
        "conflict": conflict, "gaps": _gaps(task) if task else None,
    }, status=400 if request.method == "POST" else 200)


@login_required
def task_deadline(request, pk):
    """Change a task's deadline under the decision of the competent authority; the original and
    every change stay on record."""
    _secretariat(request)
    task = _task(pk)
    form = DeadlineChangeForm(request.POST or None,
                              initial={"version": version_of(task)})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, _change, conflict = _save(request, form, lambda: task_change_deadline(
            task=task, actor=request.user, deadline_text=data["deadline"],
            decision_number=data["decision_number"], decision_date=data["decision_date"],
            decision_authority=data["decision_authority"], reason=data["reason"],
            expected_updated_at=form.expected_updated_at()),
            reload=lambda current: _task(current.pk))
        if done:
            messages.success(request, _("Deadline of task %(code)s changed.")
                             % {"code": task.code})
            return redirect(reverse("task_detail", args=[task.pk]))
    return render(request, "tasks/task_deadline.html", {
        "form": form, "task": task, "conflict": conflict,
        "changes": task.deadline_changes.select_related("changed_by"),
    }, status=400 if request.method == "POST" else 200)
