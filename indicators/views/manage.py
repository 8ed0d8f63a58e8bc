"""The secretariat's screens: an indicator's definition and its targets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import NotAllowed

from ..forms import IndicatorForm, TargetForm
from ..models import Indicator, IndicatorTarget
from ..permissions import can_manage_indicators
from ..services import (
    StaleIndicatorError,
    indicator_create,
    indicator_target_remove,
    indicator_target_set,
    indicator_update,
)


def _check(request) -> None:
    if not can_manage_indicators(request.user):
        raise NotAllowed(_("Only the programme secretariat manages indicators."))


def _apply(form, error: ValidationError) -> None:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [
        (None, error.messages)]
    for name, problems in items:
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@login_required
def indicator_create_view(request):
    _check(request)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(actor=request.user,
                                         resolution=form.cleaned_data["resolution"],
                                         **form.service_fields())
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Indicator created."))
            return redirect("indicators:detail", indicator.pk)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": None})


@login_required
def indicator_edit(request, pk):
    _check(request)
    indicator = get_object_or_404(Indicator.objects.select_related("resolution"), pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            indicator_update(actor=request.user, indicator=indicator,
                             expected_version=form.cleaned_data["version"],
                             **form.service_fields())
        except StaleIndicatorError as stale:
            conflict = stale.current
            form.add_error(None, str(stale))
            form.data = request.POST.copy()
            form.data["version"] = stale.current.version
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect("indicators:detail", indicator.pk)
    return render(request, "indicators/indicator_form.html",
                  {"form": form, "indicator": indicator, "conflict": conflict})


@login_required
@require_POST
def target_add(request, pk):
    _check(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    form = TargetForm(request.POST, indicator=indicator)
    if form.is_valid():
        try:
            indicator_target_set(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            for problems in error.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        else:
            messages.success(request, _("Target saved."))
    else:
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for problem in problems:
                messages.error(request, f"{label}: {problem}" if label else problem)
    return redirect("indicators:detail", indicator.pk)


@login_required
@require_POST
def target_remove(request, pk):
    _check(request)
    target = get_object_or_404(IndicatorTarget.objects.select_related("indicator"), pk=pk)
    indicator_target_remove(actor=request.user, target=target)
    messages.success(request, _("Target removed."))
    return redirect("indicators:detail", target.indicator_id)
