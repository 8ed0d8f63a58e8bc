"""What waits for each user now: the reads behind the home page's first panel and the count in
the navigation. Selectors only; the page draws them (reports/views/home.py).

- a reporter (and a unit leader, who writes too): this period's reports still to write
  (returned ones first, then drafts, then those not started), then those submitted or approved;
- a unit leader: the reports waiting for their approval, oldest first;
- the programme secretariat: the monthly report due now and its next step, the tasks lacking a
  clarity, their own imports in progress, and whatever another part of the programme registers
  in SECRETARIAT_ITEMS (explanation requests and proposals, once they exist).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from core import versions
from core.models import FileJob
from tasks.facts import facts_fill, facts_of
from tasks.models import Task, TaskFacts
from tasks.rules import StatusClass
from units.permissions import is_programme_office, is_unit_leader, oversees_all_units

from . import selectors
from .data_version import data_version
from .models import IssuedMonthlyReport, MonthlyReportData, ProgressReport, ReportingPeriod
from .periods import period_for_date

State = ProgressReport.State

#: The order in which reports still to write are listed: a leader's comment waits first.
TO_WRITE_ORDER = {State.RETURNED: 0, State.DRAFT: 1, "not_started": 2}

#: How many reports waiting for approval the home page names (the count says how many in all).
DECISIONS_NAMED = 25

#: The states of an import that is not finished.
IMPORT_BUSY = (FileJob.State.QUEUED, FileJob.State.CHECKING, FileJob.State.CHECKED,
               FileJob.State.APPLYING)


# --- A reporter's reports ----------------------------------------------------------------------


@dataclass
class ReportEntry:
    """One unit's report on one task in the period (`report` None: not started)."""

    task: Task
    unit: object
    report: ProgressReport | None

    @property
    def state(self) -> str:
        return self.report.state if self.report else "not_started"


@dataclass
class MyReports:
    to_write: list[ReportEntry] = field(default_factory=list)
    done: list[ReportEntry] = field(default_factory=list)


def reports_of_period(*, user, period: ReportingPeriod, tasks: list | None = None) -> MyReports:
    """The reports the user's unit (and the units under it) owe in the period, split into those
    still to write (returned with the leader's comment first, then drafts, then not started) and
    those submitted or approved. Reads the tasks of the user's own scope only (a fixed number of
    queries, rows growing with the unit's tasks, never with the programme); `tasks`: those
    tasks already read (selectors.my_tasks_for_period, unfiltered), to read them once."""
    result = MyReports()
    if not user.unit_id or oversees_all_units(user):
        return result
    if tasks is None:
        tasks = selectors.tasks_units_read(selectors.my_tasks_for_period(user=user, period=period))
    for task in tasks:
        if task.completed_on and task.completed_on < period.starts_on:
            continue  # see selectors.expects_report
        reports = {report.unit_id: report for report in task.period_reports}
        for body in selectors.bodies_in_scope(user=user, task=task):
            entry = ReportEntry(task=task, unit=body, report=reports.get(body.pk))
            (result.to_write if entry.state in TO_WRITE_ORDER else result.done).append(entry)
    result.to_write.sort(key=lambda entry: TO_WRITE_ORDER[entry.state])  # stable: task order
    return result


# --- A leader's decisions ----------------------------------------------------------------------


def reports_awaiting_decision(*, user):
    """The submitted reports the unit leader may approve or return (their unit and the units
    under it, any period), oldest submission first."""
    if not is_unit_leader(user):
        return ProgressReport.objects.none()
    return (ProgressReport.objects
            .filter(state=State.SUBMITTED, unit__path__startswith=user.unit.path)
            .select_related("task__resolution", "unit", "period", "submitted_by")
            .order_by("submitted_at", "pk"))


# --- The secretariat's work --------------------------------------------------------------------


def monthly_report_period_now(*, on: date) -> ReportingPeriod:
    """The period whose monthly report is to be issued now: the latest stored period whose
    submission deadline has passed (its reports are in); before any has, the period `on` falls
    in."""
    period = (ReportingPeriod.objects.filter(submission_deadline__lt=on)
              .order_by("-year", "-month").first())
    return period or period_for_date(on=on)


@dataclass
class MonthlyNow:
    """The monthly report due now and its one next step: "prepare" (no draft yet), "preparing"
    (a job is preparing it), "issue" (a draft is ready) or "issued" (nothing left to do)."""

    period: ReportingPeriod
    record: MonthlyReportData | None
    issued: list[IssuedMonthlyReport]

    @property
    def step(self) -> str:
        if self.issued:
            return "issued"
        if self.record is not None and self.record.progress < 100 and not self.record.data:
            return "preparing"
        if self.record is not None and (self.record.draft_pdf or self.record.data):
            return "issue"
        return "prepare"


def monthly_report_now(*, on: date) -> MonthlyNow:
    """The monthly report due now (monthly_report_period_now), its draft and its versions."""
    period = monthly_report_period_now(on=on)
    if period.pk is None:
        return MonthlyNow(period=period, record=None, issued=[])
    return MonthlyNow(period=period,
                      record=MonthlyReportData.objects.filter(period=period).first(),
                      issued=list(period.issued_reports.select_related("issued_by")
                                  .order_by("-version")))


def tasks_not_six_clear_count(*, on: date) -> int:
    """How many tasks lack at least one of the six clarities, read from the per-task facts."""
    return facts_of(Task.objects.all(), days=[on]).filter(not_clear=True).count()


def imports_in_progress(*, user) -> list[FileJob]:
    """The user's own task imports that are not finished (checking, waiting for confirmation,
    writing), newest first."""
    return list(FileJob.objects.filter(created_by=user, kind=FileJob.Kind.TASK_IMPORT,
                                       state__in=IMPORT_BUSY).order_by("-created_at")[:10])


@dataclass
class WaitingItem:
    """One line of what waits for the secretariat: a count, what it is, where to act."""

    key: str
    count: int
    label: str
    url: str
    action: str
    #: Named lines under it, each {"text", "url", "note"} (the unit's home lists them).
    lines: list = field(default_factory=list)


#: Providers of further lines for the secretariat's panel: each is called with (user=, on=)
#: and returns a list of WaitingItem. Explanation requests and the proposals raised in reports
#: register theirs here (register_secretariat_item) once they are tracked.
SECRETARIAT_ITEMS: list[Callable[..., list[WaitingItem]]] = []


def register_secretariat_item(provider: Callable[..., list[WaitingItem]]) -> None:
    if provider not in SECRETARIAT_ITEMS:
        SECRETARIAT_ITEMS.append(provider)


def secretariat_items(*, user, on: date) -> list[WaitingItem]:
    return [item for provider in SECRETARIAT_ITEMS for item in provider(user=user, on=on)]


#: The same for a unit's reporters and leaders (the explanation requests their unit owes):
#: providers called with (user=, on=), returning WaitingItem lines for their home page.
UNIT_ITEMS: list[Callable[..., list[WaitingItem]]] = []


def register_unit_item(provider: Callable[..., list[WaitingItem]]) -> None:
    if provider not in UNIT_ITEMS:
        UNIT_ITEMS.append(provider)


def unit_items(*, user, on: date) -> list[WaitingItem]:
    return [item for provider in UNIT_ITEMS for item in provider(user=user, on=on)]


# --- The count in the navigation ---------------------------------------------------------------


def waiting_count(*, user, on: date) -> int:
    """How many things wait for the user, for the navigation, in one small query:
    a unit leader's reports to approve; a reporter's tasks still without a submitted report this
    period; for the secretariat, the monthly report due now if not issued, plus their imports in
    progress; for leadership, the tasks overdue today (from the per-task facts)."""
    if not user.is_authenticated:
        return 0
    if is_unit_leader(user):
        return reports_awaiting_decision(user=user).count()
    if is_programme_office(user):
        imports = (FileJob.objects.filter(created_by=user, kind=FileJob.Kind.TASK_IMPORT,
                                          state__in=IMPORT_BUSY)
                   .order_by().values("created_by").annotate(n=Count("pk")).values("n"))
        row = (ReportingPeriod.objects.filter(submission_deadline__lt=on)
               .order_by("-year", "-month")
               .annotate(issued=Exists(IssuedMonthlyReport.objects.filter(period=OuterRef("pk"))),
                         imports=Coalesce(Subquery(imports[:1]), 0))
               .values("issued", "imports").first())
        if row is None:
            return len(imports_in_progress(user=user))
        return (0 if row["issued"] else 1) + row["imports"]
    if oversees_all_units(user):
        facts_fill(day=on)  # every task's row of the day stored: counted by its index alone
        return TaskFacts.objects.filter(day=on, status=StatusClass.OVERDUE.value).count()
    if user.unit_id:
        return _count_to_submit(user=user, on=on)
    return 0


def _count_to_submit(*, user, on: date) -> int:
    """selectors.count_to_submit, kept under the data version (raised by every change it reads:
    a report created or changing state, a task, its units, a period), since a reporter's every
    page shows it: computed again after any such change, and never stale."""
    period = period_for_date(on=on)
    return versions.cached_fragment(
        "to-submit", {"unit": user.unit_id, "period": [period.year, period.month]},
        lambda: selectors.count_to_submit(user=user, period=period), version=data_version())
