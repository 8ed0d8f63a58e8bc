"""The demo: the reference data, a task list for 282/NQ-CP built from press facts, one account
per role, and monthly reports from the programme's first period to today.

Only for demonstration and development; `seed_demo` refuses to run when DEBUG is off.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from indicators.demo import indicators_demo_load
from tasks.deadlines import RECURRING_KINDS, DeadlineKind
from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tasks.services import task_create
from units.models import Notification, Unit, User
from units.selectors import units_expected_to_report

from .demo_plans import plans_demo_load
from .models import MonthlyReportData, ProgressReport, Proposal, ReportingPeriod
from .monthly import monthly_report_issue, monthly_report_prepare_draft, suggested_number
from .periods import period_get_or_create, period_key_for
from .proposals.demo import proposals_demo_load
from .services import (
    output_progress_set,
    progress_report_approve,
    progress_report_return,
    progress_report_save_draft,
    progress_report_submit,
)
from .waiting import monthly_report_period_now

DEMO_TASKS_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_tasks_282.json"
DEMO_PASSWORD = "r72-demo"

#: The demo accounts: username → (full name, role, unit code).
DEMO_ACCOUNTS = {
    "reporter": ("Nguyễn Thị Lan", User.Role.REPORTER, "BYT-TCCB"),
    "leader": ("Trần Văn Minh", User.Role.LEADER, "BYT-TCCB"),
    "reporter2": ("Lê Hoàng Nam", User.Role.REPORTER, "BNV"),
    "secretariat": ("Phạm Thu Hà", User.Role.SECRETARIAT, "BYT-VPB"),
    "leadership": ("Đỗ Quang Huy", User.Role.LEADERSHIP, "BYT"),
    "admin": ("Quản trị hệ thống", User.Role.ADMIN, None),
}

#: What each demo account can try first (the banner of `make run` prints it).
DEMO_FIRST_STEPS = {
    "reporter": "write this period's reports: the home page lists one returned with the "
                "leader's comment, a draft and one not started",
    "leader": "approve or return the reports waiting for you (the home page lists them, "
              "oldest first)",
    "reporter2": "write the Ministry of Home Affairs' part of the tasks it coordinates",
    "secretariat": "issue the monthly report whose draft is ready (home page, then "
                   "\"Issue the report\"); an earlier one is issued already",
    "leadership": "read where the programme stands: every status class, tasks at risk, the "
                  "units most behind",
    "admin": "the admin site, /admin/",
}

#: The provinces whose People's Committees use the demo: the others' reports stay missing, as in
#: a roll-out that has reached some provinces only (and the demo stays quick to load).
DEMO_PROVINCES = {"HN", "HCM", "DNG", "NA"}

RESULTS = [
    "Xây dựng kế hoạch triển khai, phân công đơn vị đầu mối.",
    "Khảo sát, đánh giá thực trạng; tổng hợp số liệu từ các đơn vị.",
    "Xây dựng dự thảo; tổ chức hội thảo lấy ý kiến chuyên gia.",
    "Lấy ý kiến các bộ, ngành, địa phương; tiếp thu, giải trình.",
    "Hoàn thiện hồ sơ, gửi thẩm định.",
    "Trình cấp có thẩm quyền xem xét, ban hành.",
]
DIFFICULTIES = "Chậm nhận được ý kiến góp ý của một số đơn vị; thiếu kinh phí cho khảo sát."
PROPOSALS = "Đề nghị Văn phòng Chính phủ đôn đốc các bộ, ngành gửi ý kiến đúng hạn."


#: What the apps built on reports add to the demo (register_demo_step in their
#: AppConfig.ready()): each called with (today=) after this period's reports, idempotent.
DEMO_STEPS: list = []


def register_demo_step(step) -> None:
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)


@dataclass
class DemoSummary:
    tasks: int = 0
    reports: int = 0
    users: int = 0
    monthly_reports: int = 0
    warnings: list[str] = field(default_factory=list)
    indicator_values: int = 0
    plan_tasks: int = 0


def _accounts(units: dict[str, Unit], lead_bodies: set[Unit]) -> dict[int, tuple[User, User]]:
    """The demo accounts, plus a reporter and a leader for every other unit that leads a task.

    Returns, per unit id, the (reporter, leader) pair that writes and approves its reports.
    """
    pairs: dict[int, list] = {}
    for username, (full_name, role, code) in DEMO_ACCOUNTS.items():
        user = _user(username, full_name, role, units.get(code))
        if role == User.Role.ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if role in (User.Role.REPORTER, User.Role.LEADER):
            pairs.setdefault(user.unit_id, [None, None])[role == User.Role.LEADER] = user
    for unit in lead_bodies:
        if unit.kind == Unit.Kind.PROVINCE and unit.code not in DEMO_PROVINCES:
            continue
        pair = pairs.setdefault(unit.pk, [None, None])
        prefix = unit.code.lower()
        if pair[0] is None:
            pair[0] = _user(f"{prefix}.reporter", f"Chuyên viên {unit.name}",
                            User.Role.REPORTER, unit)
        if pair[1] is None:
            pair[1] = _user(f"{prefix}.leader", f"Lãnh đạo {unit.name}", User.Role.LEADER, unit)
    return {unit_id: (pair[0], pair[1]) for unit_id, pair in pairs.items() if all(pair)}


def _user(username: str, full_name: str, role: str, unit: Unit | None) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        # example.org never delivers: with the console backend of `make run` the mail is printed.
        defaults={"full_name": full_name, "role": role, "unit": unit,
                  "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _tasks(resolution: Resolution, units: dict[str, Unit], admin: User,
           summary: DemoSummary) -> list[tuple[Task, dict]]:
    data = json.loads(DEMO_TASKS_FILE.read_text(encoding="utf-8"))
    groups = {group.number: group for group in resolution.groups.all()}
    existing = {task.code: task for task in resolution.tasks.all()}
    result = []
    for row in data["tasks"]:
        task = existing.get(row["code"])
        if task is None:
            task = task_create(
                actor=admin, group=groups[row["group"]], code=row["code"], title=row["title"],
                title_en=row["title_en"], lead_unit=units[row["lead"]],
                coordinating_units=[units[code] for code in row["coordinating"]],
                outputs=row["outputs"], deadline_text=row["deadline"],
                competent_authority=row["authority"], responsible_official=row["official"],
                is_illustrative=row["illustrative"],
            )
            summary.tasks += 1
        result.append((task, row["demo_progress"]))
    return result


def _periods(first: date, today: date) -> list[ReportingPeriod]:
    cutoff = settings.REPORTING_CUTOFF_DAY
    year, month = period_key_for(first, cutoff_day=cutoff)
    last = period_key_for(today, cutoff_day=cutoff)
    periods = []
    while (year, month) <= last:
        periods.append(period_get_or_create(year=year, month=month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _finished_before(plan: dict, period: ReportingPeriod) -> bool:
    completed_on = plan.get("completed_on")
    return bool(completed_on) and date.fromisoformat(completed_on) < period.starts_on


def _finishes_in(plan: dict, period: ReportingPeriod) -> bool:
    completed_on = plan.get("completed_on")
    return bool(completed_on) and (period.starts_on <= date.fromisoformat(completed_on)
                                   <= period.ends_on)


def _report_one(*, task, unit, period, plan, index, count, reporter, leader, current, lead):
    """Write one period's report through the workflow services, as its unit would."""
    completed_on = date.fromisoformat(plan["completed_on"]) if plan.get("completed_on") else None
    recurring = task.deadline_kind in RECURRING_KINDS
    if completed_on and completed_on <= period.starts_on - timedelta(days=1):
        return None  # the task was finished before this period: nothing more to report
    finishing = lead and completed_on and period.starts_on <= completed_on <= period.ends_on
    if recurring and task.deadline_kind == DeadlineKind.MONTHLY and lead:
        finishing, completed_on = True, period.ends_on
    if finishing:
        percent, status = 100, ProgressReport.ProgressStatus.COMPLETED
    else:
        target = plan["percent_now"] if not completed_on else 95
        if plan.get("stalled"):
            index = min(index, count // 2)
        percent = max(5, min(95, round(target * (index + 1) / count)))
        status = (ProgressReport.ProgressStatus.BEHIND if plan.get("stalled")
                  else ProgressReport.ProgressStatus.ON_TRACK)
    report = progress_report_save_draft(
        actor=reporter, task=task, unit=unit, period=period, percent_complete=percent,
        progress_status=status, completion_date=completed_on if finishing else None,
        results=RESULTS[min(len(RESULTS) - 1, percent * len(RESULTS) // 100)],
        difficulties=DIFFICULTIES if plan.get("stalled") else "",
        proposals=PROPOSALS if plan.get("stalled") else "",
        next_steps="Tiếp tục hoàn thiện theo kế hoạch." if not finishing else "",
    )
    if finishing:
        for number, output in enumerate(task.outputs.all(), start=1):
            output_progress_set(report=report, output=output, actor=reporter,
                                status="issued", issued_on=completed_on,
                                document_number=f"DEMO-{task.code}-{number}/{completed_on.year}")
    if current:
        return report  # this period's reports stay in their various states (set by the caller)
    progress_report_submit(report=report, actor=reporter)
    progress_report_approve(report=report, actor=leader)
    # Demo history: the workflow happened around each period's deadline, not today.
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=_at(period.submission_deadline - timedelta(days=1), 9),
        decided_at=_at(period.submission_deadline, 15),
    )
    Proposal.objects.filter(report=report).update(received_at=_at(period.submission_deadline, 15))
    return report


@transaction.atomic
def demo_load(*, today: date) -> DemoSummary:
    """Load the demo, or bring it up to `today`: safe to repeat.

    Only what is missing is written, always through the services: the reports of the periods
    since the last run (past periods approved; the current one in the states a user meets, see
    CURRENT_PLAN), and the monthly reports (the one due now prepared as a draft, the one before
    issued). A report or monthly report that exists, whoever wrote it, is never changed."""
    summary = DemoSummary()
    started = timezone.now()
    reference_load()
    units = {unit.code: unit for unit in Unit.objects.prefetch_related("members")}
    resolution = Resolution.objects.get(number="282/NQ-CP")
    users_before = User.objects.count()
    admin = _user("admin", *DEMO_ACCOUNTS["admin"][:2], None)
    tasks = _tasks(resolution, units, admin, summary)
    plan_tasks, summary.plan_tasks = plans_demo_load(programme=resolution, units=units,
                                                     admin=admin)
    tasks += plan_tasks
    lead_bodies = {body for task, _plan in tasks
                   for body in units_expected_to_report(units=[units[task.lead_unit.code]])}
    accounts = _accounts(units, lead_bodies)
    summary.users = User.objects.count() - users_before
    summary.indicator_values = indicators_demo_load(today=today)

    periods = _periods(resolution.issued_on, today)
    current = periods[-1]
    written = set(ProgressReport.objects.filter(
        task__resolution_id__in={task.resolution_id for task, _plan in tasks})
                  .values_list("task_id", "unit_id", "period_id"))
    showcase = units[DEMO_ACCOUNTS["reporter"][2]]
    targets = _CurrentTargets(showcase)
    new_current: list[tuple[ProgressReport, str]] = []
    for task, plan in tasks:
        task.refresh_from_db()
        issued_on = task.resolution.issued_on
        lead_units = units_expected_to_report(units=[units[task.lead_unit.code]])
        coordinating = units_expected_to_report(units=list(task.coordinating_units.all()))
        for unit in [*lead_units, *coordinating]:
            if unit.pk not in accounts:
                continue  # no one in that unit uses the system yet: its reports stay missing
            reporter, leader = accounts[unit.pk]
            for index, period in enumerate(periods):
                if _finished_before(plan, period) or period.ends_on < issued_on:
                    continue  # finished before this period, or not yet issued: nothing to report
                is_current = period is current
                # Chosen for every report of the period, written or not: the same each run. A
                # report that completes its task is approved, so the task is completed.
                finishing = unit in lead_units and _finishes_in(plan, period)
                target = ("" if not is_current else "approved" if finishing
                          else targets.next(unit))
                if (task.pk, unit.pk, period.pk) in written or target == "not_started":
                    continue
                report = _report_one(
                    task=task, unit=unit, period=period, plan=plan, index=index,
                    count=len(periods), reporter=reporter, leader=leader,
                    current=is_current, lead=unit in lead_units,
                )
                summary.reports += report is not None
                if is_current and report is not None:
                    new_current.append((report, target))
    _vary_current_period(new_current, accounts)
    proposals_demo_load()
    for step in DEMO_STEPS:
        step(today=today)
    _monthly_reports(today=today, summary=summary)
    # The history was written in one go: what this run notified is old news, except this
    # period's workflow (notifications that came before this run are the users' own).
    Notification.objects.filter(created_at__gte=started).exclude(
        link__contains=f"/{current.key}/").update(read_at=timezone.now(), email_wanted=False)
    return summary


#: This period's reports of the demo reporter's unit, task by task: something to correct (a
#: report returned with the leader's comment), a draft to finish, one not started, and two
#: submitted for the demo leader to approve; any further one is approved.
CURRENT_PLAN = ["returned", "draft", "not_started", "submitted", "submitted"]
RETURN_COMMENT = "Đề nghị bổ sung số liệu kết quả trong kỳ."


class _CurrentTargets:
    """The state each of this period's new reports is left in: CURRENT_PLAN, in task order, for
    the demo reporter's unit; for the other units, in turn draft, submitted, approved, returned
    (and every fifth one not started at all)."""

    def __init__(self, showcase: Unit):
        self.showcase, self.mine, self.others = showcase, 0, 0

    def next(self, unit: Unit) -> str:
        if unit.pk == self.showcase.pk:
            self.mine += 1
            return (CURRENT_PLAN[self.mine - 1] if self.mine <= len(CURRENT_PLAN)
                    else "approved")
        number, self.others = self.others, self.others + 1
        if number % 20 == 0:
            return "not_started"
        return ("draft", "submitted", "approved", "returned")[number % 4]


def _vary_current_period(new_reports: list, accounts) -> None:
    """Take this period's new reports (drafts) to the states chosen for them, through the
    workflow services."""
    for report, target in new_reports:
        reporter, leader = accounts[report.unit_id]
        if target == "draft":
            continue
        progress_report_submit(report=report, actor=reporter)
        if target == "approved":
            progress_report_approve(report=report, actor=leader)
        elif target == "returned":
            progress_report_return(report=report, actor=leader, comment=RETURN_COMMENT)


def _monthly_reports(*, today: date, summary: DemoSummary) -> None:
    """The monthly report due now left as a draft ready to issue, and the one before issued
    (each only when that period has none yet). Needs WeasyPrint's system libraries; without
    them the demo goes on without monthly reports."""
    due = monthly_report_period_now(on=today)
    if due.pk is None:
        return
    earlier = (ReportingPeriod.objects.filter(starts_on__lt=due.starts_on)
               .order_by("-year", "-month").first())
    secretariat = User.objects.get(username="secretariat")
    try:
        if earlier is not None and not earlier.issued_reports.exists():
            monthly_report_issue(period=earlier, actor=secretariat,
                                 number=f"DEMO-{suggested_number(period=earlier)}")
            summary.monthly_reports += 1
        if (not due.issued_reports.exists()
                and not MonthlyReportData.objects.filter(period=due).exists()):
            monthly_report_prepare_draft(period=due, generated_by_job=False)
            summary.monthly_reports += 1
    except (OSError, ImportError) as error:  # Pango missing: no PDF can be rendered here
        summary.warnings.append(f"monthly reports not prepared: {error}")
