"""The accountability screens: the register of explanation requests, asking, and a request's
page (answering, closing, withdrawing). Thin: reads come from selectors, writes from services."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.errors import NotAllowed, WrongState
from core.ids import parse_id
from indicators.models import Indicator
from reports.models import ReportingPeriod
from tasks.models import Task
from units.models import Unit

from . import permissions, selectors, services
from .filters import ExplanationRequestFilter
from .forms import AnswerForm, AskForm, EndForm
from .models import ExplanationRequest
from .subjects import subject_text

PAGE_SIZE = 50
FORM_FIELDS = {"message", "reply_by", "reason", "remedy", "expected_on", "note"}


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            for problem in problems:
                form.add_error(field if field in FORM_FIELDS and field in form.fields
                               else None, problem)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def register(request):
    """Every request the user may see, newest first, filtered by state, kind and unit, with
    how many are in each state."""
    visible = selectors.request_list_with_subjects(user=request.user)
    filters = ExplanationRequestFilter(request.GET or None, queryset=visible)
    requests = filters.qs if not filters.is_bound or filters.is_valid() else visible.none()
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"explanation": e, "subject": subject_text(e),
             "age": (today - timezone.localdate(e.requested_at)).days,
             "late": e.is_awaiting and e.reply_by < today} for e in page]
    counts = dict(selectors.request_list_visible_to(user=request.user).order_by()
                  .values_list("state").annotate(n=Count("pk")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accountability/register.html", {
        "rows": rows, "page": page, "filters": filters, "query": query.urlencode(),
        "counts": [(state, label, counts.get(state, 0))
                   for state, label in ExplanationRequest.State.choices],
        "units": Unit.objects.filter(pk__in=visible.order_by().values("unit_id"))
        .order_by("path"),
    })


def _subject_from(params) -> dict:
    """The subject named by the query string (kind, task, period, indicator, unit), each id
    looked up; an unknown one is a 404."""
    def get(model, name):
        raw = params.get(name)
        if not raw:
            return None
        pk = parse_id(raw)
        if pk is None:
            raise Http404
        return get_object_or_404(model, pk=pk)

    kind = params.get("kind") or ExplanationRequest.Kind.OVERDUE_TASK
    if kind not in ExplanationRequest.Kind.values:
        raise Http404
    return {"kind": kind, "task": get(Task, "task"), "period": get(ReportingPeriod, "period"),
            "indicator": get(Indicator, "indicator"), "unit": get(Unit, "unit")}


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    """Ask a unit to explain the subject named in the query string."""
    if not permissions.can_request_explanations(request.user):
        raise NotAllowed()
    subject = _subject_from(request.GET)
    today = timezone.localdate()
    form = AskForm(request.POST or None,
                   initial={"reply_by": services.default_reply_by(today)})
    if request.method == "POST" and form.is_valid():
        try:
            explanation = services.explanation_request_create(
                actor=request.user, message=form.cleaned_data["message"],
                reply_by=form.cleaned_data["reply_by"], **subject)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("accountability:detail", explanation.pk)
    preview = ExplanationRequest(**{k: v for k, v in subject.items() if v is not None})
    unit = subject["unit"] or (subject["task"].lead_unit if subject["task"] else None) or (
        subject["indicator"].responsible_unit if subject["indicator"] else None)
    try:
        described = subject_text(preview)
    except AttributeError:  # the subject lacks its task or indicator: the service says so
        described = ""
    return render(request, "accountability/ask.html", {
        "form": form, "subject": subject, "described": described, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """A request, its answer, and the step the user may take now."""
    explanation = get_object_or_404(selectors.request_list_with_subjects(user=request.user),
                                    pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    answer = AnswerForm(request.POST if action == "answer" else None,
                        initial={"version": explanation.version})
    end = EndForm(request.POST if action in ("close", "withdraw") else None,
                  initial={"version": explanation.version})
    if action in ("answer", "close", "withdraw"):
        form = answer if action == "answer" else end
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "answer":
                    services.explanation_request_answer(
                        explanation=explanation, actor=request.user, reason=data["reason"],
                        remedy=data["remedy"], expected_on=data["expected_on"],
                        expected_version=data["version"])
                else:
                    step = (services.explanation_request_close if action == "close"
                            else services.explanation_request_withdraw)
                    step(explanation=explanation, actor=request.user, note=data["note"],
                         expected_version=data["version"])
            except (services.StaleExplanationError, WrongState) as refused:
                form.add_error(None, str(refused))
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                return redirect("accountability:detail", explanation.pk)
    elif action is not None:
        raise Http404
    user = request.user
    return render(request, "accountability/detail.html", {
        "explanation": explanation, "subject": subject_text(explanation),
        "answer_form": answer, "end_form": end,
        "may_answer": permissions.can_answer_request(user, explanation),
        "may_close": permissions.can_close_request(user, explanation),
        "may_withdraw": permissions.can_withdraw_request(user, explanation),
        "late": explanation.is_awaiting and explanation.reply_by < timezone.localdate(),
    })
