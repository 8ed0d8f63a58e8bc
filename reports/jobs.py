"""Background jobs of the reports app (Celery; see config/celery_app.py).

Each job takes the date it acts on (`on`, ISO, default today in Asia/Ho_Chi_Minh), works on the
stored reporting periods (`open_current_period` creates them), is safe to run twice, and returns
a dict of counts.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.filejobs import file_job_run, file_job_store
from core.joblog import logged_job
from core.models import FileJob
from core.queueing import abandoned_before, queue_after_commit, requeue_before
from core.text import localized
from units.models import Notification, Unit, User
from units.notifications import notify
from units.selectors import unit_users

from .compliance import expected_reports, monthly_report_data
from .exports import period_reports_export, period_reports_visible
from .models import MonthlyReportData, ProgressReport, ReportingPeriod, ReportLateness
from .monthly import monthly_report_prepare_draft, monthly_report_store_draft
from .periods import period_key_for
from .selectors import TO_SUBMIT
from .services import period_for_date

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


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "REPORT_REMINDER_DAYS_BEFORE", (3, 1)))


def _report_url(task_id: int, unit_id: int, period: ReportingPeriod) -> str:
    return reverse("report", args=[task_id, unit_id, period.year, period.month])


@shared_task(name="reports.open_current_period", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
def open_current_period() -> str:
    """Make sure today's reporting period exists, so the month's forms are ready. Idempotent."""
    period = period_for_date(on=timezone.localdate())
    logger.info("reporting period %s is open", period.key)
    return period.key


# --- Reminders before the submission deadline -------------------------------------------------


def _missing_by_unit(period: ReportingPeriod) -> dict[Unit, list[tuple]]:
    """The expected reports of the period still to be submitted (no report, a draft, or returned),
    by unit: {unit: [(task, state), ...]}, the state being "not_started" when there is none."""
    states = {(task_id, unit_id): state for task_id, unit_id, state in
              ProgressReport.objects.filter(period=period)
              .values_list("task_id", "unit_id", "state")}
    missing: dict[Unit, list] = defaultdict(list)
    for task, unit in expected_reports(period=period):
        state = states.get((task.pk, unit.pk), TO_SUBMIT[0])
        if state in TO_SUBMIT:
            missing[unit].append((task, state))
    return missing


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
    # The home page lists the period containing today: its filter only helps for that period.
    home_period = period_key_for(today, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    for period in ReportingPeriod.objects.filter(submission_deadline__in=days_before):
        days = days_before[period.submission_deadline]
        counts["periods"] += 1
        with transaction.atomic():
            missing = _missing_by_unit(period)
            people = unit_users(units=list(missing),
                                roles=[User.Role.REPORTER, User.Role.LEADER])
            for unit, rows in missing.items():
                tasks = [task for task, _state in rows]
                counts["units"] += 1
                counts["missing_reports"] += len(tasks)
                if len(tasks) == 1:
                    link = _report_url(tasks[0].pk, unit.pk, period)
                elif (home_period == (period.year, period.month)
                      and all(state == TO_SUBMIT[0] for _task, state in rows)):
                    link = "/?state=not_started"
                else:
                    link = "/"
                counts["notified"] += notify(
                    recipients=people[unit.pk], kind=Notification.Kind.REPORT_REMINDER,
                    key=f"report-reminder:{period.key}:{unit.pk}:{days}",
                    subject=REMINDER_SUBJECT, body=REMINDER_BODY, link=link,
                    params={"unit": localized_lazy(unit.name, unit.name_en),
                            "period": str(period), "count": len(tasks),
                            "tasks": ", ".join(task.code for task in tasks),
                            "deadline": _dmy(period.submission_deadline)},
                )
    return counts


# --- Lateness after the submission deadline ---------------------------------------------------


def _late_reports(period: ReportingPeriod) -> dict[tuple[int, int], object]:
    """{(task_id, unit_id): submitted_at or None} of the expected reports not submitted by the
    end of the period's submission deadline (local time)."""
    submitted = {
        (task_id, unit_id): submitted_at for task_id, unit_id, submitted_at in
        ProgressReport.objects.filter(period=period, submitted_at__isnull=False)
        .values_list("task_id", "unit_id", "submitted_at")
    }
    late = {}
    for task, unit in expected_reports(period=period):
        at = submitted.get((task.pk, unit.pk))
        if at is None or timezone.localtime(at).date() > period.submission_deadline:
            late[(task.pk, unit.pk)] = at
    return late


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
            late = _late_reports(period)
            known = {(row.task_id, row.unit_id): row
                     for row in ReportLateness.objects.filter(period=period)}
            new = [ReportLateness(period=period, task_id=task_id, unit_id=unit_id,
                                  submitted_at=at)
                   for (task_id, unit_id), at in late.items() if (task_id, unit_id) not in known]
            ReportLateness.objects.bulk_create(new, ignore_conflicts=True)
            counts["recorded"] += len(new)
            came_in = [row for pair, row in known.items()
                       if row.submitted_at is None and late.get(pair) is not None]
            for row in came_in:
                row.submitted_at = late[(row.task_id, row.unit_id)]
            ReportLateness.objects.bulk_update(came_in, ["submitted_at"])
            counts["updated"] += len(came_in)
            counts["notified"] += _tell_leaders_of_lateness(period, new)
            counts["units"] += len({row.unit_id for row in new})
    return counts


def _tell_leaders_of_lateness(period: ReportingPeriod, new: list[ReportLateness]) -> int:
    if not new:
        return 0
    late_by_unit = defaultdict(list)
    for row in (ReportLateness.objects.filter(period=period,
                                              unit_id__in={row.unit_id for row in new})
                .select_related("unit", "task").order_by("unit__path", "task__sort_key")):
        late_by_unit[row.unit].append(row.task)
    leaders = unit_users(units=list(late_by_unit), roles=[User.Role.LEADER])
    notified = 0
    for unit, tasks in late_by_unit.items():
        notified += notify(
            recipients=leaders[unit.pk], kind=Notification.Kind.REPORT_LATE,
            key=f"report-late:{period.key}:{unit.pk}",
            subject=LATE_SUBJECT, body=LATE_BODY,
            link=_report_url(tasks[0].pk, unit.pk, period) if len(tasks) == 1 else "/",
            params={"unit": localized_lazy(unit.name, unit.name_en), "period": str(period),
                    "count": len(tasks), "tasks": ", ".join(task.code for task in tasks),
                    "deadline": _dmy(period.submission_deadline)},
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
    period = (ReportingPeriod.objects.filter(submission_deadline__lt=today)
              .order_by("-submission_deadline").first())
    nothing = {"built": 0, "notified": 0, "tasks": 0}
    # A draft the secretariat prepared by hand earlier does not count: the job's own run, after
    # the deadline, is the one that matters.
    if period is None or MonthlyReportData.objects.filter(period=period,
                                                         generated_by_job=True).exists():
        return nothing
    with transaction.atomic():
        locked = (MonthlyReportData.objects.select_for_update()
                  .filter(period=period).first())
        if locked is not None and locked.generated_by_job:  # another worker built it meanwhile
            return nothing
        data = monthly_report_data(period=period, on=today)
        record, _created = MonthlyReportData.objects.update_or_create(
            period=period, defaults={"data": data, "generated_by_job": True,
                                     "generated_at": timezone.now()})
        compliance = data["compliance"]
        notified = notify(
            recipients=User.objects.filter(role=User.Role.SECRETARIAT, is_active=True),
            kind=Notification.Kind.MONTHLY_REPORT, key=f"monthly-report:{period.key}",
            subject=MONTHLY_SUBJECT, body=MONTHLY_BODY,
            params={"period": str(period), "cutoff": _dmy(period.ends_on),
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
    waiting = list(MonthlyReportData.objects.filter(progress=MonthlyReportData.QUEUED,
                                                    queued_at__lt=requeue_before()))
    for record in waiting:
        MonthlyReportData.objects.filter(pk=record.pk).update(queued_at=timezone.now())
        queue_after_commit(prepare_monthly_report_draft, record.period_id)
    abandoned = MonthlyReportData.objects.filter(
        progress__gt=MonthlyReportData.QUEUED, progress__lt=100,
        taken_up_at__lt=abandoned_before())
    ended = abandoned.exclude(draft_pdf="").update(progress=100)
    ended += abandoned.filter(draft_pdf="").delete()[0]
    if ended:
        logger.warning("%s monthly drafts abandoned by their worker ended", ended)
    return {"queued_again": len(waiting), "abandoned": ended}


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
