"""A period's progress reports as Excel or CSV: at once for a short list, else prepared by a
job while the page shows its progress (the tasks app's file job page)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language

from core.filejobs import file_job_start
from core.models import FileJob
from tasks.exchange.exporting import FORMATS
from tasks.exchange.runs import inline_rows

from ..exports import period_reports_count, period_reports_export, period_reports_visible
from ..models import ReportingPeriod


@login_required
def period_reports_export_view(request, year, month):
    """The period's reports the user may read (everyone's for the secretariat and leadership;
    their units' and the tasks they lead for the others)."""
    period = get_object_or_404(ReportingPeriod, year=year, month=month)
    file_format = request.GET.get("format", "xlsx")
    if file_format not in FORMATS:
        raise Http404
    if period_reports_count(user=request.user, period=period) <= inline_rows("export"):
        content, filename, content_type = period_reports_export(
            reports=period_reports_visible(user=request.user, period=period), period=period,
            file_format=file_format)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    job = file_job_start(kind=FileJob.Kind.REPORT_EXPORT, actor=request.user,
                         language=get_language() or "vi",
                         params={"period": period.pk, "format": file_format})
    return redirect("tasks:file_job", job.pk)
