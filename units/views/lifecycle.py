"""The secretariat's screens of a unit's life: the units on a date, a unit's history, and a
change (rename, merge, split, dissolution) typed, previewed with everything it moves, then
confirmed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import Stale, WrongState

from ..forms import UnitChangeForm, UnitTreeDateForm
from ..lifecycle.preview import unit_change_preview
from ..models import Unit, UnitChange
from ..permissions import is_programme_office
from ..selectors import unit_successors, unit_tree_on, unit_with_history
from ..services import unit_change_record


def _office_only(request) -> None:
    if not is_programme_office(request.user):
        raise PermissionDenied


@login_required
def unit_list(request):
    """Every unit with its dates and successors, or the tree as it stood on a date."""
    _office_only(request)
    form = UnitTreeDateForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    units = list(unit_tree_on(on=on))
    rows = [{"unit": unit, "indent": "— " * (unit.path.count("/") - 2),
             "successors": unit_successors(unit)} for unit in units]
    return render(request, "units/unit_list.html", {"form": form, "rows": rows, "on": on})


@login_required
def unit_detail(request, pk: int):
    _office_only(request)
    try:
        unit = unit_with_history(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None
    return render(request, "units/unit_detail.html", {
        "unit": unit, "successors": unit_successors(unit), "changes": unit.history_changes,
        "predecessors": unit.predecessor_changes,
        "may_change": unit.valid_to is None and not any(
            change.state == UnitChange.State.PLANNED for change in unit.history_changes)})


def _assignments(request, preview) -> dict[str, str]:
    return {holding.key: request.POST.get(f"take-{holding.key}", "")
            for holding in preview.holdings}


def _preview_page(request, *, unit, form, preview, chosen=None, errors=()):
    chosen = chosen or {}
    default = preview.default_taker
    sections = [{"duty": section.duty, "rows": [
        {"holding": holding, "field": f"take-{holding.key}",
         "chosen": chosen.get(holding.key) or (str(default.pk) if default else "")}
        for holding in section.holdings]} for section in preview.sections]
    return render(request, "units/unit_change_preview.html", {
        "unit": unit, "form": form, "preview": preview, "sections": sections,
        "errors": errors, "nothing_moves": not preview.holdings})


@login_required
def unit_change(request, pk: int):
    """GET: the form. POST: the preview of what moves; POST with `confirm`: record it (applied
    at once when its date is today or past)."""
    _office_only(request)
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    if unit.valid_to is not None:
        raise WrongState(_("This unit has ended: it cannot change any more."))
    form = UnitChangeForm(request.POST or None, unit=unit)
    if request.method != "POST" or "back" in request.POST or not form.is_valid():
        return render(request, "units/unit_change_form.html", {"unit": unit, "form": form})
    data = form.cleaned_data
    try:
        preview = unit_change_preview(unit=unit, kind=data["kind"], successors=form.successors,
                                      effective_on=data["effective_on"])
    except ValidationError as error:
        form.apply_errors(error)
        return render(request, "units/unit_change_form.html", {"unit": unit, "form": form})
    if "confirm" not in request.POST:
        return _preview_page(request, unit=unit, form=form, preview=preview)
    chosen = _assignments(request, preview)
    try:
        change = unit_change_record(
            unit=unit, kind=data["kind"], effective_on=data["effective_on"],
            decision_number=data["decision_number"], decision_date=data["decision_date"],
            decision_text=data["decision_text"], new_name=data["new_name"],
            successors=form.successors, assignments=chosen,
            fingerprint=request.POST.get("fingerprint", ""), actor=request.user)
    except Stale as stale:
        return _preview_page(request, unit=unit, form=form, preview=preview, chosen=chosen,
                             errors=[str(stale)])
    except WrongState as refusal:
        messages.error(request, str(refusal))
        return redirect("unit_detail", pk=unit.pk)
    except ValidationError as error:
        if hasattr(error, "error_dict") and set(error.message_dict) - {"assignments"}:
            form.apply_errors(error)
            return render(request, "units/unit_change_form.html", {"unit": unit, "form": form})
        return _preview_page(request, unit=unit, form=form, preview=preview, chosen=chosen,
                             errors=error.messages)
    if change.state == UnitChange.State.APPLIED:
        messages.success(request, _("The change is applied."))
    else:
        messages.success(request, _("The change is recorded; it will be applied on its "
                                    "effective date."))
    return redirect("unit_detail", pk=unit.pk)
