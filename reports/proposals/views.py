"""The register's screens: the addressee's inbox, the register (every item the user may read,
filtered and paged), an item's page with the steps the user may take, its answering document.
Thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import NotAllowed, WrongState

from ..models import Proposal
from . import forms, services
from .filters import ProposalFilter
from .permissions import can_view_proposal, steps_allowed
from .selectors import (
    age_days,
    answer_days,
    proposal_inbox,
    proposal_list_visible_to,
    with_overdue,
)

PAGE_SIZE = 50

#: Each step: its form, its service, the service's arguments from the form's cleaned data.
STEPS = {
    "address": (forms.AddressForm, services.proposal_address,
                lambda d: {"addressee_kind": d["addressee_kind"], "unit": d.get("unit"),
                           "authority": d.get("authority", ""),
                           "authority_name": d.get("authority_name", "")}),
    "split": (forms.SplitForm, services.proposal_split, lambda d: {"texts": d["texts"]}),
    "handle": (forms.NoteForm, services.proposal_take_up, lambda d: {"note": d["note"]}),
    "answer": (forms.AnswerForm, services.proposal_answer,
               lambda d: {"answer": d["answer"], "document_number": d["document_number"],
                          "document_date": d["document_date"], "link": d["link"],
                          "file": d.get("file")}),
    "close": (forms.CloseForm, services.proposal_close, lambda d: {"note": d["note"]}),
    "reopen": (forms.ReasonForm, services.proposal_reopen, lambda d: {"reason": d["reason"]}),
}
DONE = {
    "address": _("Addressee saved."), "split": _("Item split."),
    "handle": _("The item is being handled."), "answer": _("Answer recorded."),
    "close": _("Item closed."), "reopen": _("Item reopened."),
}


def _rows(items, today):
    for item in items:
        item.age = age_days(item, on=today)
    return items


def _page(request, items):
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
def proposal_inbox_view(request):
    """The items waiting for the user's unit (the secretariat: those addressed to an authority
    or to no one yet), oldest first; `all=1` shows answered and closed ones too."""
    today = timezone.localdate()
    page, query = _page(request, proposal_inbox(user=request.user,
                                                open_only=not request.GET.get("all")))
    return render(request, "reports/proposals/inbox.html", {
        "page": page, "rows": _rows(page.object_list, today), "query": query,
        "answer_days": answer_days(), "show_all": bool(request.GET.get("all"))})


@login_required
def proposal_register(request):
    """Every item the user may read (all of them for the secretariat and leadership), filtered
    by state, addressee, raising unit, programme and age, paged."""
    today = timezone.localdate()
    filters = ProposalFilter(request.GET or None,
                             queryset=with_overdue(proposal_list_visible_to(user=request.user)))
    page, query = _page(request, filters.qs)
    return render(request, "reports/proposals/register.html", {
        "filters": filters, "page": page, "rows": _rows(page.object_list, today),
        "query": query, "answer_days": answer_days()})


def _item(request, pk) -> Proposal:
    item = get_object_or_404(with_overdue(proposal_list_visible_to(user=request.user)), pk=pk)
    if not can_view_proposal(request.user, item):
        raise Http404
    return item


@login_required
def proposal_page(request, pk):
    """One item: its text, report, addressee, state, answer, history, and a form for each step
    the user may take now. A stale step is refused and the item's current version shown beside
    what was typed (kept in the form)."""
    item = _item(request, pk)
    allowed = steps_allowed(request.user, item)
    bound = {}
    conflict = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action in STEPS:
        form_class, service, arguments = STEPS[action]
        form = form_class(request.POST, request.FILES)
        bound[action] = form
        if form.is_valid():
            try:
                service(item=item, actor=request.user,
                        expected_version=form.cleaned_data["version"],
                        **arguments(form.cleaned_data))
            except services.StaleProposalError as stale:
                conflict = stale.current
                form.add_error(None, str(stale))
                form.data = request.POST.copy()
                form.data["version"] = stale.current.version
            except (NotAllowed, WrongState) as refused:
                form.add_error(None, str(refused))
            except ValidationError as error:
                form.apply_errors(error)
            else:
                messages.success(request, DONE[action])
                return redirect("proposal", item.pk)
    initial = {"version": item.version}
    step_forms = {step: bound.get(step) or STEPS[step][0](initial={
        **initial, **({"texts": item.text} if step == "split" else {}),
        **({"addressee_kind": item.addressee_kind, "unit": item.addressee_unit_id,
            "authority": item.authority, "authority_name": item.authority_name}
           if step == "address" else {})}) for step in STEPS if step in allowed}
    return render(request, "reports/proposals/item.html", {
        "item": item, "age": age_days(item), "answer_days": answer_days(),
        "forms": step_forms, "conflict": conflict, "report": item.report,
        "steps": item.history.select_related("history_user").order_by("-history_date")[:20],
    })


@login_required
def proposal_file(request, pk):
    """The answering document's file, for whoever may read the item."""
    item = _item(request, pk)
    if not item.answer_file:
        raise Http404
    return FileResponse(item.answer_file.open("rb"), as_attachment=True,
                        filename=item.answer_file.name.rsplit("/", 1)[-1])
