"""The coverage of the cascade, for the secretariat and leadership: the tasks each unit has not
yet broken down in its plan (tasks.cascade.coverage_gaps), by programme and unit, paged."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ids import IdField
from units.models import Unit

from ..cascade import coverage_by_unit, coverage_gaps
from ..models import Resolution, Task
from ..permissions import can_view_coverage

PAGE_SIZE = 50


class CoverageForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), required=False,
        empty_label=gettext_lazy("Every programme with plans"),
        queryset=Resolution.objects.filter(implemented_by__isnull=False).distinct()
        .order_by("issued_on", "number"))
    unit = IdField(label=gettext_lazy("Unit"), required=False)


@login_required
def coverage(request):
    """Which tasks assigned to a unit its plan has not yet broken down: a summary by programme
    and unit, then the tasks, paged; filtered by programme and unit (and the units under it)."""
    if not can_view_coverage(request.user):
        raise PermissionDenied(_("The coverage of the plans is for the secretariat and "
                                 "leadership."))
    form = CoverageForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tasks = Task.objects.all()
    if data.get("programme"):
        tasks = tasks.filter(resolution=data["programme"])
    all_gaps = coverage_gaps(tasks=tasks, on=timezone.localdate())
    unit = Unit.objects.filter(pk=data["unit"]).first() if data.get("unit") else None
    gaps = all_gaps
    if unit is not None:
        under = set(Unit.objects.under(unit).values_list("pk", flat=True))
        gaps = [gap for gap in all_gaps if gap.unit_id in under]
    page = Paginator(gaps, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = coverage_by_unit(gaps)
    units = Unit.objects.in_bulk({gap.unit_id for gap in all_gaps})
    resolutions = Resolution.objects.in_bulk(
        {gap.resolution_id for gap in gaps} | {gap.plan_id for gap in gaps if gap.plan_id})
    listed = Task.objects.select_related("resolution", "lead_unit").in_bulk(
        [gap.task_id for gap in page.object_list])
    rows = [{"task": listed[gap.task_id], "unit": units[gap.unit_id],
             "plan": resolutions.get(gap.plan_id)} for gap in page.object_list]
    for entry in summary:
        entry.update(unit=units[entry["unit_id"]], programme=resolutions[entry["resolution_id"]],
                     plan=resolutions.get(entry["plan_id"]))
    rest = request.GET.copy()
    rest.pop("page", None)
    return render(request, "tasks/coverage.html", {
        "form": form, "page": page, "rows": rows, "summary": summary, "count": len(gaps),
        "unit": unit, "query": rest.urlencode(),
        "unit_options": sorted(units.values(), key=lambda u: u.path),
    })
