"""Entering a value, and its page: submit, approve, return, reopen (the progress report's
workflow; every rule is a service's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, WrongState

from .. import permissions, selectors
from ..forms import CommentForm, NewValueForm, ValueForm
from ..models import IndicatorValue
from ..periods import period_label
from ..services import (
    StaleValueError,
    indicator_value_approve,
    indicator_value_reopen,
    indicator_value_return,
    indicator_value_save,
)


@login_required
def value_new(request, pk):
    """A new value of the indicator, by a reporter or leader of its responsible unit (the
    national figure) or of a unit of its breakdown."""
    indicator = get_object_or_404(selectors.indicator_list_visible_to(user=request.user)
                                  .select_related("responsible_unit")
                                  .prefetch_related("breakdown_units"), pk=pk)
    units = selectors.units_user_enters_for(user=request.user, indicator=indicator)
    if not units:
        raise NotAllowed(_("You may not enter this indicator's figures."))
    form = NewValueForm(request.POST or None, indicator=indicator, units=units,
                        today=timezone.localdate())
    existing = None
    if request.method == "POST" and form.is_valid():
        unit, period_end = form.cleaned_data["unit"], form.cleaned_data["period"]
        existing = IndicatorValue.objects.filter(indicator=indicator, unit=unit,
                                                 period_end=period_end).first()
        if existing is not None:
            form.add_error("period", _("A figure for this period has been entered already: "
                                       "open it to change it."))
        else:
            try:
                saved = indicator_value_save(
                    actor=request.user, indicator=indicator, unit=unit, period_end=period_end,
                    expected_version=0, fields=form.service_fields(),
                    submit=request.POST.get("action") == "submit")
            except ValidationError as error:
                form.apply_errors(error)
            else:
                _saved_message(request, saved)
                return redirect("indicators:value", saved.value.pk)
    return render(request, "indicators/value_new.html",
                  {"indicator": indicator, "form": form, "existing": existing})


def _saved_message(request, saved) -> None:
    if saved.submit_errors is not None:
        messages.warning(request, _("Your draft is saved, but it cannot be submitted yet: ")
                         + " ".join(saved.submit_errors.messages))
    elif saved.value.state == IndicatorValue.State.SUBMITTED:
        messages.success(request, _("Figure submitted to your unit's leader."))
    else:
        messages.success(request, _("Draft saved."))


def _initial(value: IndicatorValue) -> dict:
    return {"version": value.version, "value": value.value,
            "is_final": "1" if value.is_final else "0", "source_note": value.source_note,
            "evidence_link": value.evidence_link, "evidence_note": value.evidence_note}


@login_required
def value_page(request, pk):
    value = get_object_or_404(selectors.value_page_queryset(user=request.user), pk=pk)
    if not permissions.can_view_value(request.user, value):
        raise NotAllowed(_("You may not read this figure."))
    form = ValueForm(initial=_initial(value))
    decision = CommentForm()
    conflict = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("save", "submit"):
        form = ValueForm(request.POST)
        if form.is_valid():
            try:
                saved = indicator_value_save(
                    actor=request.user, indicator=value.indicator, unit=value.unit,
                    period_end=value.period_end, expected_version=form.cleaned_data["version"],
                    fields=form.service_fields(), submit=action == "submit")
            except StaleValueError as stale:
                conflict = stale.current
                form.add_error(None, str(stale))
                form.data = request.POST.copy()
                form.data["version"] = stale.current.version
            except WrongState as refused:
                form.add_error(None, str(refused))
            except ValidationError as error:
                form.apply_errors(error)
            else:
                _saved_message(request, saved)
                return redirect("indicators:value", value.pk)
    elif action in ("approve", "return", "reopen"):
        decision = CommentForm(request.POST)
        if _decide(request, value, action, decision):
            return redirect("indicators:value", value.pk)
    indicator = value.indicator
    return render(request, "indicators/value_page.html", {
        "value": value, "indicator": indicator, "form": form, "decision": decision,
        "conflict": conflict, "period": period_label(indicator.frequency, value.period_end),
        "editable": permissions.can_edit_value(request.user, value),
        "may_decide": permissions.can_decide_value(request.user, value),
        "may_reopen": permissions.can_reopen_value(request.user, value),
        "earlier": _earlier_approved(value),
        "steps": value.history.select_related("history_user").order_by("-history_date")[:20],
    })


def _version_posted(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _decide(request, value, action, decision) -> bool:
    if not decision.is_valid():
        return False
    comment = decision.cleaned_data["comment"]
    version = _version_posted(request)
    try:
        if action == "approve":
            indicator_value_approve(value=value, actor=request.user, expected_version=version)
            messages.success(request, _("Figure approved and locked."))
        elif action == "return":
            indicator_value_return(value=value, actor=request.user, comment=comment,
                                   expected_version=version)
            messages.success(request, _("Figure returned with your comment."))
        else:
            indicator_value_reopen(value=value, actor=request.user, reason=comment,
                                   expected_version=version)
            messages.success(request, _("Figure reopened for revision."))
    except (StaleValueError, WrongState) as refused:
        decision.add_error(None, str(refused))
        return False
    except ValidationError as error:
        for problem in error.messages:
            decision.add_error("comment", problem)
        return False
    return True


def _earlier_approved(value: IndicatorValue) -> list:
    """The value's earlier approved versions (a revision keeps what was approved before)."""
    rows = value.history.filter(state=IndicatorValue.State.APPROVED).order_by("-history_date")
    seen, found = set(), []
    for row in rows.select_related("decided_by"):
        if row.version in seen or (value.state == IndicatorValue.State.APPROVED
                                   and row.version == value.version):
            continue
        seen.add(row.version)
        found.append(row)
    return found
