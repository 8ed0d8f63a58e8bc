"""Background jobs of the reports app (Celery; see config/celery_app.py).

Each job takes the date it acts on (`on`, ISO, default today in Asia/Ho_Chi_Minh), works on the
stored reporting periods (`open_current_period` creates them), is safe to run twice, and returns
a dict of counts.
"""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.filejobs import file_job_run, file_job_store
from core.joblog import logged_job
from core.models import FileJob
from core.queueing import queue_after_commit
from core.text import dmy, localized
from tasks.facts import facts_fill, facts_forget
from units.models import Notification, User
from units.notifications import notify
from units.selectors import unit_users

from .dashboard.overview import previous_cutoff
from .exports import period_reports_export, period_reports_visible
from .lateness import late_reports_by_unit, report_lateness_record
from .models import ReportingPeriod, ReportLateness
from .monthly import (
    monthly_drafts_due_again,
    monthly_drafts_end_abandoned,
    monthly_report_data_build,
    monthly_report_prepare_draft,
    monthly_report_store_draft,
)
from .notices import (
    late_reports_link,
    missing_reports_link,
    monthly_report_recipients,
    reports_missing_by_unit,
)
from .periods import period_open
from .selectors import monthly_report_period_due

logger = logging.getLogger(__name__)

REMINDER_SUBJECT = _("Reports for %(period)s due on %(deadline)s: %(count)s not submitted yet")
REMINDER_BODY = _(
    "Reports of %(unit)s for the period %(period)s not submitted yet (no report, a draft, or "
    "returned for correction): %(count)s. Tasks: %(tasks)s. Submission deadline: %(deadline)s."
)
LATE_SUBJECT = _("Late reports for %(period)s: %(count)s from %(unit)s")
LATE_BODY = _(
    "Reports of %(unit)s for the period %(period)s not submitted by the deadline of "
    "%(deadline)s: %(count)s. Tasks: %(tasks)s. They are recorded as late in the reporting "
    "compliance."
)
MONTHLY_SUBJECT = _("The figures of the monthly report for %(period)s are ready")
MONTHLY_BODY = _(
    "The figures of the monthly report for the period %(period)s (data up to %(cutoff)s) have "
    "been computed: %(total)s tasks, %(overdue)s overdue; %(on_time)s of %(expected)s expected "
    "reports were received on time."
)

localized_lazy = lazy(localized, str)


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


def _reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "REPORT_REMINDER_DAYS_BEFORE", (3, 1)))


@shared_task(name="reports.open_current_period", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
def open_current_period() -> str:
    """Make sure today's reporting period exists, so the month's forms are ready. Idempotent."""
    period = period_open(on=timezone.localdate())
    logger.info("reporting period %s is open", period.key)
    return period.key


@shared_task(name="reports.refresh_task_facts", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
@logged_job("reports.refresh_task_facts")
def refresh_task_facts(on: str | None = None) -> dict:
    """Compute the per-task facts every figure reads for the day `on` (ISO; default today) and
    the previous period's cut-off, before the first reader needs them, and forget those of
    other days (computed again if asked for). Idempotent."""
    today = _day(on)
    days = [today, previous_cutoff(on=today)]
    forgotten = facts_forget(keep=days)
    added = sum(facts_fill(day=day, wait=True) for day in days)
    return {"added": added, "forgotten": forgotten}


# --- Reminders before the submission deadline -------------------------------------------------


@shared_task(name="reports.remind_missing_reports", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
@logged_job("reports.remind_missing_reports")
def remind_missing_reports(on: str | None = None) -> dict:
    """Remind the reporters and leaders of each unit whose reports for a period are not all
    submitted, REPORT_REMINDER_DAYS_BEFORE days (default 3 and 1) before its submission deadline:
    one notification per person, unit, period and day, naming how many are missing."""
    today = _day(on)
    days_before = {today + timedelta(days=days): days for days in _reminder_days()}
    counts = {"periods": 0, "units": 0, "missing_reports": 0, "notified": 0}
    for period in ReportingPeriod.objects.filter(submission_deadline__in=days_before):
        days = days_before[period.submission_deadline]
        counts["periods"] += 1
        with transaction.atomic():
            missing = reports_missing_by_unit(period=period)
            people = unit_users(units=list(missing),
                                roles=[User.Role.REPORTER, User.Role.LEADER])
            for unit, rows in missing.items():
                tasks = [task for task, _state in rows]
                counts["units"] += 1
                counts["missing_reports"] += len(tasks)
                counts["notified"] += notify(
                    recipients=people[unit.pk], kind=Notification.Kind.REPORT_REMINDER,
                    key=f"report-reminder:{period.key}:{unit.pk}:{days}",
                    subject=REMINDER_SUBJECT, body=REMINDER_BODY,
                    link=missing_reports_link(period=period, unit=unit, rows=rows, on=today),
                    params={"unit": localized_lazy(unit.name, unit.name_en),
                            "period": str(period), "count": len(tasks),
                            "tasks": ", ".join(task.code for task in tasks),
                            "deadline": dmy(period.submission_deadline)},
                )
    return counts


# --- Lateness after the submission deadline ---------------------------------------------------


@shared_task(name="reports.record_late_reports", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
@logged_job("reports.record_late_reports")
def record_late_reports(on: str | None = None) -> dict:
    """Record, once a period's submission deadline has passed, each expected report not submitted
    by it (with its submission time when it came in late), and tell each unit's leaders once.

    Looks at the latest period whose deadline is before `on` and the one before it (in case a
    run was missed). A report submitted after a run is filled in on the next run.
    """
    today = _day(on)
    counts = {"periods": 0, "recorded": 0, "updated": 0, "units": 0, "notified": 0}
    periods = (ReportingPeriod.objects.filter(submission_deadline__lt=today)
               .order_by("-submission_deadline")[:2])
    for period in periods:
        counts["periods"] += 1
        with transaction.atomic():
            new, filled_in = report_lateness_record(period=period)
            counts["recorded"] += len(new)
            counts["updated"] += filled_in
            counts["notified"] += _tell_leaders_of_lateness(period, new)
            counts["units"] += len({row.unit_id for row in new})
    return counts


def _tell_leaders_of_lateness(period: ReportingPeriod, new: list[ReportLateness]) -> int:
    if not new:
        return 0
    late_by_unit = late_reports_by_unit(period=period, unit_ids={row.unit_id for row in new})
    leaders = unit_users(units=list(late_by_unit), roles=[User.Role.LEADER])
    notified = 0
    for unit, tasks in late_by_unit.items():
        notified += notify(
            recipients=leaders[unit.pk], kind=Notification.Kind.REPORT_LATE,
            key=f"report-late:{period.key}:{unit.pk}",
            subject=LATE_SUBJECT, body=LATE_BODY,
            link=late_reports_link(period=period, unit=unit, tasks=tasks),
            params={"unit": localized_lazy(unit.name, unit.name_en), "period": str(period),
                    "count": len(tasks), "tasks": ", ".join(task.code for task in tasks),
                    "deadline": dmy(period.submission_deadline)},
        )
    return notified


# --- The monthly report's figures -------------------------------------------------------------


@shared_task(name="reports.build_monthly_report_data", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
@logged_job("reports.build_monthly_report_data")
def build_monthly_report_data(on: str | None = None) -> dict:
    """Once the latest period's submission deadline has passed, compute and store the figures of
    its monthly report (once: a stored period's figures are never rebuilt here) and tell the
    programme secretariat."""
    today = _day(on)
    period = monthly_report_period_due(on=today)
    nothing = {"built": 0, "notified": 0, "tasks": 0}
    if period is None:
        return nothing
    with transaction.atomic():
        record = monthly_report_data_build(period=period, on=today)
        if record is None:  # another worker built it meanwhile
            return nothing
        data = record.data
        compliance = data["compliance"]
        notified = notify(
            recipients=monthly_report_recipients(),
            kind=Notification.Kind.MONTHLY_REPORT, key=f"monthly-report:{period.key}",
            subject=MONTHLY_SUBJECT, body=MONTHLY_BODY,
            params={"period": str(period), "cutoff": dmy(period.ends_on),
                    "total": data["status"]["total"],
                    "overdue": data["status"]["counts"]["overdue"],
                    "on_time": sum(row["on_time"] for row in compliance),
                    "expected": sum(row["expected"] for row in compliance)},
        )
    monthly_report_store_draft(record=record)
    return {"built": 1, "notified": notified, "tasks": data["status"]["total"]}


@shared_task(name="reports.prepare_monthly_report_draft", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=3)
@logged_job("reports.prepare_monthly_report_draft")
def prepare_monthly_report_draft(period_id: int) -> dict:
    """The figures and draft PDF of a period, on request from the monthly reports page."""
    record = monthly_report_prepare_draft(period=ReportingPeriod.objects.get(pk=period_id),
                                          generated_by_job=False)
    return {"tasks": record.data["status"]["total"]}


@shared_task(name="reports.sweep_monthly_drafts")
@logged_job("reports.sweep_monthly_drafts")
def sweep_monthly_drafts() -> dict:
    """Look after the monthly drafts left behind: queue again a draft still waiting for a worker
    (asked for while the broker was down, or lost by it), and end one whose worker died (the
    previous draft, if any, is shown again; else the period is as before it was asked for). Run
    every minute by beat; harmless when there are none."""
    periods = monthly_drafts_due_again()
    for period_id in periods:
        queue_after_commit(prepare_monthly_report_draft, period_id)
    ended = monthly_drafts_end_abandoned()
    if ended:
        logger.warning("%s monthly drafts abandoned by their worker ended", ended)
    return {"queued_again": len(periods), "abandoned": ended}


@shared_task(name="reports.export_period_reports", acks_late=True)
@logged_job("reports.export_period_reports")
def export_period_reports(job_id: int) -> dict:
    """Prepare a period's progress reports as a file, for the user who asked (a FileJob)."""

    def work(job, progress):
        period = ReportingPeriod.objects.get(pk=job.params["period"])
        with override(job.language):
            content, name, _type = period_reports_export(
                reports=period_reports_visible(user=job.created_by, period=period),
                period=period, file_format=job.params.get("format", "xlsx"), progress=progress)
        return file_job_store(job=job, content=content, name=name).state

    return file_job_run(job_id, waiting=FileJob.State.QUEUED, working=FileJob.State.RUNNING,
                        work=work)
