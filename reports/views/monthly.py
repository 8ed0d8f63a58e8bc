"""The monthly report to the Standing Secretariat: preview, prepare, issue, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..drafts import monthly_report_request_draft
from ..models import IssuedMonthlyReport, MonthlyReportData, ReportingPeriod
from ..monthly import (
    monthly_report_issue,
    monthly_report_open,
    monthly_report_preview,
    suggested_number,
)
from ..periods import period_for_date
from ..waiting import monthly_report_now


def _reader(request):
    if not permissions.can_read_monthly_reports(request.user):
        raise PermissionDenied(_("You may not read the monthly reports."))


def _period(year, month) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, year=year, month=month)


def _list_page(request, *, posted=None, status=200):
    """The period whose report is due now first, with its next step; the period being reported;
    every version issued; the earlier periods folded away."""
    today = timezone.localdate()
    now = monthly_report_now(on=today)
    in_progress = period_for_date(on=today)
    periods = list(ReportingPeriod.objects.order_by("-year", "-month")
                   .select_related("monthly_report_data")
                   .prefetch_related("issued_reports__issued_by"))
    current = next((period for period in periods if period.pk == now.period.pk), None)
    if in_progress.pk == now.period.pk or in_progress.key == now.period.key:
        in_progress = None
    shown = {now.period.pk, in_progress.pk if in_progress else None}
    return render(request, "reports/monthly_reports.html", {
        "now": now, "current": current, "in_progress": in_progress,
        "issued": [report for period in periods for report in period.issued_reports.all()],
        "older": [period for period in periods if period.pk not in shown],
        "can_issue": permissions.can_issue_monthly_reports(request.user),
        "suggested": suggested_number(period=current) if current else "",
        "posted": posted or {},
    }, status=status)


@login_required
def monthly_report_list(request):
    """The monthly report due now and its next step, the versions issued, earlier periods."""
    _reader(request)
    return _list_page(request)


@login_required
def monthly_report_preview_view(request, year, month):
    """A draft rendered now, from the figures as they stand ("draft" on every page)."""
    _reader(request)
    period = _period(year, month)
    language = "en" if request.GET.get("lang") == "en" else "vi"
    pdf = monthly_report_preview(period=period, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="draft-{period.key}{"-en" if language == "en" else ""}.pdf"')
    return response


@login_required
@require_POST
def monthly_report_prepare(request, year, month):
    """Prepare the period's draft as a job (for a large programme); the page shows progress."""
    period = _period(year, month)

    def not_queued():
        # The request stays queued: reports.sweep_monthly_drafts queues it again when the
        # broker is back. Until then the page says so, and the preview works.
        messages.warning(request, _("The job service is not answering, so the draft will be "
                                    "prepared as soon as it is back; this page shows its "
                                    "progress. Meanwhile, you can preview the draft."))

    # The page shows the progress bar; no "being prepared" message, which the warning above
    # would contradict (it is added after the view returns, when the transaction commits).
    monthly_report_request_draft(period=period, actor=request.user,
                                 on_broker_failure=not_queued)
    return redirect("monthly_reports")


@login_required
def monthly_report_progress(request, year, month):
    """The draft's progress bar (polled by htmx while it is being prepared)."""
    _reader(request)
    record = MonthlyReportData.objects.filter(period=_period(year, month)).first()
    return render(request, "reports/monthly_progress.html", {"record": record,
                                                             "year": year, "month": month})


@login_required
def monthly_report_draft_download(request, year, month):
    _reader(request)
    record = get_object_or_404(MonthlyReportData, period=_period(year, month))
    if not record.draft_pdf:
        raise PermissionDenied(_("The draft has not been prepared yet."))
    return FileResponse(record.draft_pdf.open("rb"), as_attachment=True,
                        filename=f"draft-{record.period.key}.pdf")


@login_required
@require_POST
def monthly_report_issue_view(request, year, month):
    period = _period(year, month)
    try:
        report = monthly_report_issue(period=period, actor=request.user,
                                      number=request.POST.get("number", ""),
                                      reason=request.POST.get("reason", ""))
    except ValidationError as error:
        # The page again, with what was typed and each error beside its field.
        return _list_page(request, status=400, posted={
            "period": period.pk, "number": request.POST.get("number", ""),
            "reason": request.POST.get("reason", ""),
            "errors": {field: " ".join(problems)
                       for field, problems in error.message_dict.items()},
        })
    messages.success(request, _("Report %(number)s issued (version %(version)s).")
                     % {"number": report.number, "version": report.version})
    return redirect("monthly_reports")


@login_required
def issued_report_download(request, pk, language="vi"):
    """The issued PDF: the same bytes (and SHA-256) every time."""
    report = get_object_or_404(IssuedMonthlyReport.objects.select_related("period"), pk=pk)
    handle, filename = monthly_report_open(report=report, user=request.user, language=language)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type="application/pdf")
