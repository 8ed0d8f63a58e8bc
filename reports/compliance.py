"""Which reports a period expects, which came in, and the figures of the monthly report.

Reads only; every function takes a fixed number of queries, whatever the number of tasks, units
and reports. Reporting compliance is counted as DHIS2 counts it: expected reports, reports
received, received on time, and the two rates.
"""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.text import Truncator

from tasks.deadlines import RECURRING_KINDS, occurrences_on
from tasks.facts import facts_of
from tasks.models import Task
from tasks.rules import StatusClass
from units.models import Unit
from units.selectors import units_expected_to_report

from .dashboard.compliance import compliance_counts, expected_reports_list
from .models import ProgressReport, ReportingPeriod
from .monthly_indicators import monthly_indicator_data
from .monthly_sections import monthly_sections_data
from .periods import period_dates
from .proposals.monthly import monthly_proposal_data

#: Reports whose content the unit stands behind (what the monthly report quotes).
SENT_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)

#: How much of a report's text the monthly report quotes: the latest update in the appendix, and
#: a notable result of a group (the unit's report holds the rest).
LATEST_UPDATE_CHARS = 300
NOTABLE_RESULT_CHARS = 500
#: Notable results quoted per task group.
NOTABLE_RESULTS_PER_GROUP = 3


def _tracked_tasks(*, issued_by: date):
    """The tasks of tracked resolutions already issued on `issued_by`, with what the rules and
    the reporting bodies read prefetched."""
    return (
        Task.objects.filter(resolution__is_tracked=True)
        .filter(Q(resolution__issued_on__isnull=True) | Q(resolution__issued_on__lte=issued_by))
        .select_related("lead_unit", "resolution", "group")
        .prefetch_related(
            "occurrence_completions",
            "lead_unit__members",
            Prefetch("coordinating_units", queryset=Unit.objects.prefetch_related("members")),
        )
        .order_by("resolution__issued_on", "resolution__number", "sort_key")
    )


def expected_reports(*, period: ReportingPeriod) -> list[tuple[Task, Unit]]:
    """Every (task, reporting body) expected to report in the period, in programme order: the
    rule of reports.dashboard.compliance (tasks of tracked resolutions issued by the period's
    cut-off and not completed before it began; the lead and coordinating units, a collective
    designation counting each of its active members). A fixed number of queries."""
    _total, rows = expected_reports_list(Task.objects.all(), period=period, on=period.ends_on,
                                         received="any", limit=None)
    tasks = Task.objects.in_bulk({task_id for task_id, *_rest in rows})
    units = Unit.objects.in_bulk({unit_id for _task, unit_id, *_rest in rows})
    return [(tasks[task_id], units[unit_id]) for task_id, unit_id, *_rest in rows]


def compliance_by_unit(*, period: ReportingPeriod, on: date) -> list[dict]:
    """Reporting compliance of each unit expected to report in the period, as of the date `on`.

    Per unit: `expected` reports; `received`, those submitted (a report with a submission time,
    whatever became of it since) by the end of `on`; `on_time`, those submitted by the end of the
    submission deadline (local time); `missing`; and `received_rate` and `on_time_rate`, percent
    of expected, to one decimal (0 when nothing is expected). Ordered by the unit tree. A report
    resubmitted after being returned counts at its last submission. Counted by the dashboard's
    compliance (reports.dashboard.compliance), the one implementation: two queries.
    """
    counted = compliance_counts(Task.objects.all(), period=period, on=on)["units"]
    units = sorted(Unit.objects.filter(pk__in=list(counted)), key=lambda unit: unit.path)
    return [{**_unit_data(unit), **counted[unit.pk]} for unit in units]


# --- The monthly report's figures --------------------------------------------------------------


def _unit_data(unit: Unit) -> dict:
    return {"unit_id": unit.pk, "unit_code": unit.code, "unit_name": unit.name,
            "unit_name_en": unit.name_en}


def _task_data(task: Task) -> dict:
    return {"task_id": task.pk, "code": task.code, "title": task.title,
            "title_en": task.title_en, "resolution": task.resolution.number,
            "lead_unit": _unit_data(task.lead_unit),
            # The deadline as data, so the PDF can write it in either language.
            "deadline_kind": task.deadline_kind, "deadline": _iso(task.deadline),
            "deadline_text": task.deadline_text}


def _class_counts(classes) -> dict[str, int]:
    found = Counter(classes)
    return {status: found.get(status, 0) for status in StatusClass.values}


def _counts_with_change(now: list, before: list) -> dict:
    counts, previous = _class_counts(now), _class_counts(before)
    return {"total": len(now), "counts": counts, "previous": previous,
            "change": {status: counts[status] - previous[status] for status in counts}}


def _neighbour_period_ends(period: ReportingPeriod) -> tuple[date, date]:
    """The previous period's cut-off and the next period's (the stored periods' own dates when
    they exist, else the configured ones)."""
    previous = (ReportingPeriod.objects.filter(starts_on__lt=period.starts_on)
                .order_by("-starts_on").values_list("ends_on", flat=True).first())
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    following = (ReportingPeriod.objects.filter(year=year, month=month)
                 .values_list("ends_on", flat=True).first())
    if following is None:
        following = period_dates(
            year, month, cutoff_day=settings.REPORTING_CUTOFF_DAY,
            submission_days=settings.REPORTING_SUBMISSION_DAYS_AFTER_CUTOFF)[1]
    return previous or period.starts_on - timedelta(days=1), following


def _days_overdue(task: Task, on: date) -> int:
    if task.deadline_kind in RECURRING_KINDS:
        due = occurrences_on(task.deadline_kind, task.deadline, on).previous_due
    else:
        due = task.deadline
    return (on - due).days if due else 0


def _due_between(task: Task, start: date, end: date) -> date | None:
    """The task's due date between the two dates (inclusive) if the task is not done by then.

    A reporting period is shorter than any recurrence, so at most one occurrence falls in it: the
    one whose period contains `start`."""
    if task.deadline is None:
        return None
    if task.deadline_kind in RECURRING_KINDS:
        due = occurrences_on(task.deadline_kind, task.deadline, start).current_due
        done = any(c.due == due and c.completed_on < start
                   for c in task.occurrence_completions.all())
        return due if due <= end and not done else None
    if task.completed_on and task.completed_on < start:
        return None
    return task.deadline if start <= task.deadline <= end else None


def _output_data(output) -> dict:
    return {"kind": output.kind, "title": output.title,
            "document_number": output.document_number, "issued_on": _iso(output.issued_on)}


def _resolution_data(task: Task) -> dict:
    resolution, implemented = task.resolution, task.resolution.implements
    return {"resolution_id": resolution.pk, "number": resolution.number, "kind": resolution.kind,
            "issuer": resolution.issuer, "title": resolution.title,
            "title_en": resolution.title_en,
            "implements": ({"number": implemented.number, "kind": implemented.kind}
                           if implemented else None)}


def _latest_lead_percent(*, lead_bodies: dict[int, set[int]], cutoff: date) -> dict[int, int]:
    """{task id: the percent complete in the lead's latest submitted or approved report of a
    period ending on or before `cutoff`}. One query."""
    rows = (ProgressReport.objects
            .filter(state__in=SENT_STATES, task__resolution__is_tracked=True,
                    period__ends_on__lte=cutoff)
            .order_by("period__ends_on", "submitted_at")
            .values_list("task_id", "unit_id", "percent_complete"))
    latest = {}
    for task_id, unit_id, percent in rows:
        if unit_id in lead_bodies.get(task_id, ()):
            latest[task_id] = percent  # ordered oldest first: the last one wins
    return latest


def _notable_results(*, sent: list[ProgressReport], lead_bodies: dict[int, set[int]],
                     group_of: dict[int, int]) -> dict[int, list[dict]]:
    """{group id: a few results quoted from the period's approved reports}: the leads' reports
    first, the completed and furthest advanced first, then in programme order."""
    approved = [report for report in sent
                if report.state == ProgressReport.State.APPROVED and report.results.strip()
                and report.task_id in group_of]
    approved.sort(key=lambda report: (
        report.unit_id not in lead_bodies.get(report.task_id, ()),
        report.progress_status != ProgressReport.ProgressStatus.COMPLETED,
        -report.percent_complete))  # stable: programme order within equals
    chosen: dict[int, list[dict]] = defaultdict(list)
    for report in approved:
        quoted = chosen[group_of[report.task_id]]
        if len(quoted) < NOTABLE_RESULTS_PER_GROUP:
            quoted.append({**_unit_data(report.unit), "task_id": report.task_id,
                           "task_code": report.task.code,
                           "text": Truncator(report.results.strip()).chars(NOTABLE_RESULT_CHARS)})
    return chosen


def monthly_report_data(*, period: ReportingPeriod, on: date) -> dict:
    """The figures of the period's monthly report to the Standing Secretariat, JSON-ready.

    Status classes on the period's cut-off and on the previous period's (with the change), in
    total and per task group; the overdue tasks on the cut-off with days overdue and the reason
    (the difficulties in the lead's latest submitted report of the period) and per lead unit; the
    deadlines falling in the next period; the difficulties and proposals in the period's
    submitted or approved reports; and reporting compliance by unit as of `on`. Every task of a
    tracked resolution is counted. A fixed number of queries.

    For the document itself: `resolutions`, the tracked resolutions counted (with the one each
    implements); per group, `notable_results` quoted from the period's approved reports; and
    `appendix`, every task with its units, outputs, deadline (kind, ISO date and text as
    written), status class on the cut-off, the percent complete in its lead's latest report up
    to the period (None without one) and the results its lead reported in the period, shortened;
    `indicators`, as reports.monthly_indicators gives them on the cut-off; `open_proposals`,
    the register's items still open on `on`, by addressee (reports.proposals.monthly).
    """
    cutoff = period.ends_on
    previous_cutoff, next_cutoff = _neighbour_period_ends(period)
    tasks = list(_tracked_tasks(issued_by=cutoff).select_related("resolution__implements")
                 .prefetch_related("outputs"))
    sent = list(
        ProgressReport.objects.filter(period=period, state__in=SENT_STATES,
                                      task__resolution__is_tracked=True)
        .select_related("unit", "task").order_by("task__sort_key", "unit__path")
    )

    # The classes every figure reads: the per-task facts on both cut-offs.
    classes, before = {}, {}
    for task_id, day, status in facts_of(
            Task.objects.filter(pk__in=[task.pk for task in tasks]),
            days=[cutoff, previous_cutoff]).values_list("task_id", "day", "status"):
        (classes if day == cutoff else before)[task_id] = StatusClass(status)

    groups: dict[int, dict] = {}
    for task in tasks:
        entry = groups.setdefault(task.group_id, {
            "group_id": task.group_id, "resolution_id": task.resolution_id,
            "resolution": task.resolution.number,
            "number": task.group.number, "name": task.group.name, "name_en": task.group.name_en,
            "now": [], "before": [],
        })
        entry["now"].append(classes[task.pk])
        entry["before"].append(before[task.pk])
    resolutions = list(dict.fromkeys(task.resolution_id for task in tasks))  # programme order
    by_group = []
    for entry in sorted(groups.values(),
                        key=lambda e: (resolutions.index(e["resolution_id"]), e["number"])):
        now, then = entry.pop("now"), entry.pop("before")
        by_group.append({**entry, **_counts_with_change(now, then)})

    # The reason a task is overdue: what its lead said last in the period.
    lead_bodies = {task.pk: {body.pk for body in units_expected_to_report(units=[task.lead_unit])}
                   for task in tasks}
    latest_lead_report: dict[int, ProgressReport] = {}
    for report in sent:
        if report.unit_id not in lead_bodies.get(report.task_id, ()):
            continue
        known = latest_lead_report.get(report.task_id)
        if known is None or report.submitted_at > known.submitted_at:
            latest_lead_report[report.task_id] = report
    notable = _notable_results(sent=sent, lead_bodies=lead_bodies,
                               group_of={task.pk: task.group_id for task in tasks})
    for entry in by_group:
        entry["notable_results"] = notable.get(entry["group_id"], [])

    overdue = []
    overdue_units: dict[int, dict] = {}
    for task in tasks:
        if classes[task.pk] != StatusClass.OVERDUE:
            continue
        reason = latest_lead_report.get(task.pk)
        overdue.append({**_task_data(task), "days_overdue": _days_overdue(task, cutoff),
                        "reason": reason.difficulties if reason else ""})
        unit_row = overdue_units.setdefault(task.lead_unit_id,
                                            {**_unit_data(task.lead_unit), "overdue": 0})
        unit_row["overdue"] += 1

    upcoming = []
    for task in tasks:
        due = _due_between(task, cutoff + timedelta(days=1), next_cutoff)
        if due is not None:
            upcoming.append({**_task_data(task), "due": due.isoformat()})
    upcoming.sort(key=lambda row: row["due"])

    raised = {"difficulties": [], "proposals": []}
    for report in sent:
        for field in raised:
            text = getattr(report, field).strip()
            if text:
                raised[field].append({**_unit_data(report.unit), "task_id": report.task_id,
                                      "task_code": report.task.code, "text": text})

    percents = _latest_lead_percent(lead_bodies=lead_bodies, cutoff=cutoff)
    appendix = []
    for task in tasks:
        update = latest_lead_report.get(task.pk)
        appendix.append({
            **_task_data(task), "group": task.group.number, "group_id": task.group_id,
            "coordinating_units": [_unit_data(unit) for unit in task.coordinating_units.all()],
            "outputs": [_output_data(output) for output in task.outputs.all()],
            "status": classes[task.pk].value,
            "percent_complete": percents.get(task.pk),
            "latest_update": (Truncator(update.results.strip()).chars(LATEST_UPDATE_CHARS)
                              if update else ""),
        })
    documents: dict[int, dict] = {}
    for task in tasks:
        documents.setdefault(task.resolution_id, _resolution_data(task))

    return {
        "period": {"key": period.key, "year": period.year, "month": period.month,
                   "starts_on": _iso(period.starts_on), "ends_on": _iso(cutoff),
                   "submission_deadline": _iso(period.submission_deadline)},
        "previous_ends_on": _iso(previous_cutoff),
        "next_ends_on": _iso(next_cutoff),
        "as_of": _iso(on),
        "status": _counts_with_change(list(classes.values()), list(before.values())),
        "by_group": by_group,
        "overdue": overdue,
        "overdue_by_unit": sorted(overdue_units.values(), key=lambda row: -row["overdue"]),
        "upcoming_deadlines": upcoming,
        "difficulties": raised["difficulties"],
        "proposals": raised["proposals"],
        "compliance": compliance_by_unit(period=period, on=on),
        "resolutions": list(documents.values()),
        "appendix": appendix,
        "indicators": monthly_indicator_data(cutoff=cutoff),
        "sections": monthly_sections_data(period=period, on=on),
        "open_proposals": monthly_proposal_data(on=on),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
