"""The monthly report to the Standing Secretariat: drafts, issuing and freezing.

A draft is rendered from the figures as they stand; issuing stores the figures, the PDFs (in
Vietnamese and English) and their SHA-256, and never changes them again: a correction is a new
version with a reason.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.audit import audited
from core.queueing import abandoned_before, requeue_before

from . import permissions
from .compliance import monthly_report_data
from .events import monthly_report_event_emit
from .models import IssuedMonthlyReport, MonthlyReportData, ReportingPeriod


def _render(**kwargs) -> bytes:
    from .pdf import render_monthly_report_pdf  # WeasyPrint loads only where a PDF is made

    return render_monthly_report_pdf(**kwargs)


def monthly_report_figures(*, period: ReportingPeriod, on: date | None = None) -> dict:
    """The period's figures as they stand on `on` (today by default)."""
    return monthly_report_data(period=period, on=on or timezone.localdate())


def monthly_report_preview(*, period: ReportingPeriod, language: str = "vi") -> bytes:
    """A draft PDF of the period as it stands now; says "draft" on every page."""
    return _render(data=monthly_report_figures(period=period), language=language, draft=True)


def monthly_report_record(record: MonthlyReportData, reason: str,
                          fields: list[str] | None = None, actor=None) -> MonthlyReportData:
    """Save the record with an audit record (no actor: a job). Only `fields` are written to a
    stored record, so a worker's progress is never overwritten by a stale copy."""
    audited(record, actor, reason)
    if record.pk is None or fields is None:
        record.save()
    else:
        record.save(update_fields=fields)
    return record


def monthly_report_store_draft(*, record: MonthlyReportData) -> MonthlyReportData:
    """Render the draft PDF (Vietnamese) from the record's stored figures and keep it."""
    pdf = _render(data=record.data, language="vi", draft=True)
    if record.draft_pdf:
        record.draft_pdf.delete(save=False)
    record.draft_pdf.save(f"draft-{record.period.key}.pdf", ContentFile(pdf), save=False)
    record.progress = 100
    return monthly_report_record(record, _("Draft prepared"), ["draft_pdf", "progress"])


def monthly_report_prepare_draft(*, period: ReportingPeriod,
                                 generated_by_job: bool = True) -> MonthlyReportData:
    """Compute the figures and render the draft PDF, recording progress as it goes (for the page
    that shows it), and store both on the period's MonthlyReportData."""
    record = (MonthlyReportData.objects.filter(period=period).first()
              or MonthlyReportData(period=period, data={}, generated_by_job=generated_by_job))
    record.progress, record.taken_up_at = 5, timezone.now()
    monthly_report_record(record, _("Draft taken up by a worker"), ["progress", "taken_up_at"])
    record.data = monthly_report_figures(period=period)
    record.progress, record.generated_at = 40, timezone.now()
    record.generated_by_job = generated_by_job
    monthly_report_record(record, _("Figures computed"),
            ["data", "progress", "generated_at", "generated_by_job"])
    record.refresh_from_db()
    return monthly_report_store_draft(record=record)


@transaction.atomic
def monthly_report_data_build(*, period: ReportingPeriod, on: date) -> MonthlyReportData | None:
    """Compute and store the period's figures as of `on`, as the scheduled job does once its
    submission deadline has passed; None (nothing written) when the job already built them (a
    draft the secretariat prepared by hand earlier is replaced)."""
    record = MonthlyReportData.objects.select_for_update().filter(period=period).first()
    if record is not None and record.generated_by_job:  # another worker built it meanwhile
        return None
    record = record or MonthlyReportData(period=period)
    record.data = monthly_report_data(period=period, on=on)
    record.generated_by_job, record.generated_at = True, timezone.now()
    return monthly_report_record(record, _("Figures computed by the scheduled job"))


def monthly_drafts_due_again(*, now=None) -> list[int]:
    """Every draft still waiting for a worker a while after it was asked for (the broker was
    down, or lost it), marked as queued again now: the ids of their periods, for the sweep job
    to queue."""
    waiting = list(MonthlyReportData.objects.filter(progress=MonthlyReportData.QUEUED,
                                                    queued_at__lt=requeue_before(now)))
    for record in waiting:
        record.queued_at = timezone.now()
    bulk_update_with_history(waiting, MonthlyReportData, ["queued_at"],
                             default_change_reason=_("Draft queued again"))
    return [record.period_id for record in waiting]


def monthly_drafts_end_abandoned(*, now=None) -> int:
    """End every draft whose worker died before finishing it: the previous draft, if any, is
    shown again; else the record goes, and the period is as before the draft was asked for.
    Returns how many."""
    abandoned = list(MonthlyReportData.objects.filter(
        progress__gt=MonthlyReportData.QUEUED, progress__lt=100,
        taken_up_at__lt=abandoned_before(now)))
    reason = _("Draft abandoned by its worker")
    shown_again = [record for record in abandoned if record.draft_pdf]
    for record in shown_again:
        record.progress = 100
    bulk_update_with_history(shown_again, MonthlyReportData, ["progress"],
                             default_change_reason=reason)
    for record in abandoned:
        if not record.draft_pdf:  # rare (a worker died): one by one, each delete recorded
            audited(record, None, reason).delete()
    return len(abandoned)


def suggested_number(*, period: ReportingPeriod) -> str:
    """The next number in the configured form, counting this year's issued reports."""
    seq = IssuedMonthlyReport.objects.filter(issued_on__year=timezone.localdate().year).count() + 1
    return settings.MONTHLY_REPORT["number_format"].format(seq=seq)


@transaction.atomic
def monthly_report_issue(*, period: ReportingPeriod, actor, number: str,
                         reason: str = "") -> IssuedMonthlyReport:
    """Issue the period's report: freeze the figures, render both languages, keep the SHA-256.

    The first issue needs a number; a re-issue also needs the reason, and becomes the next
    version (earlier versions stay as they were).
    """
    if not permissions.can_issue_monthly_reports(actor):
        raise PermissionDenied(_("Only the programme secretariat issues the monthly report."))
    # Serialise issuing per period: two clicks never make two identical versions.
    ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    latest = period.issued_reports.order_by("-version").first()
    errors = {}
    if not number.strip():
        errors["number"] = _("Give the report's number.")
    if latest is not None and not reason.strip():
        errors["reason"] = _("This period's report was already issued: give the reason for "
                             "issuing a new version.")
    if errors:
        raise ValidationError(errors)
    issued_on = timezone.localdate()
    data = monthly_report_figures(period=period, on=issued_on)
    files = {language: _render(data=data, language=language, draft=False,
                               number=number.strip(), issued_on=issued_on)
             for language in ("vi", "en")}
    report = IssuedMonthlyReport(
        period=period, version=(latest.version + 1) if latest else 1, number=number.strip(),
        issued_on=issued_on, reason=reason.strip(), data=data, issued_by=actor,
        sha256=hashlib.sha256(files["vi"]).hexdigest(),
        sha256_en=hashlib.sha256(files["en"]).hexdigest(),
    )
    stem = f"{period.key}-v{report.version}"
    report.pdf.save(f"bao-cao-{stem}.pdf", ContentFile(files["vi"]), save=False)
    report.pdf_en.save(f"report-{stem}-en.pdf", ContentFile(files["en"]), save=False)
    report.save()  # the row itself records who issued it and when
    monthly_report_event_emit(issued=report)
    return report


def monthly_report_open(*, report: IssuedMonthlyReport, user, language: str = "vi"):
    """(file handle, file name) of an issued report's PDF: the very bytes that were issued."""
    if not permissions.can_read_monthly_reports(user):
        raise PermissionDenied(_("You may not read the monthly reports."))
    field = report.pdf_en if language == "en" else report.pdf
    return field.open("rb"), field.name.rsplit("/", 1)[-1]
