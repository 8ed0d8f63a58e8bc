"""The tasks of the scale programme and their monthly reports: what happens to each task (its
deadline and fate, the line its progress follows), written in bulk."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone, translation

from tasks.deadlines import (
    RECURRING_KINDS,
    DeadlineKind,
    format_deadline,
    month_end,
    next_period_end,
    period_end,
    quarter_end,
)
from tasks.models import Authority, Resolution, Task, code_sort_key

from ..demo import DIFFICULTIES, PROPOSALS, RESULTS
from ..models import ReportingPeriod
from .bulk import MARK, ScaleSummary, allocate_ids, at, copy_rows
from .units import Units

VERBS = [("Xây dựng, trình ban hành", "Draft and submit"), ("Tổ chức triển khai", "Implement"),
         ("Sửa đổi, bổ sung", "Amend"), ("Tổng kết, đánh giá", "Review"),
         ("Hướng dẫn thực hiện", "Issue guidance on")]
OBJECTS = [("thông tư hướng dẫn chức năng, nhiệm vụ của trạm y tế cấp xã",
            "the circular on commune health stations"),
           ("đề án phát triển nhân lực y tế", "the health workforce scheme"),
           ("cơ sở dữ liệu y tế quốc gia", "the national health database"),
           ("quy định về khám sức khỏe định kỳ", "the rules on periodic health check-ups"),
           ("lộ trình miễn viện phí cơ bản", "the roadmap for basic hospital-fee exemption"),
           ("chương trình mục tiêu quốc gia về y tế", "the national target programme on health"),
           ("quy định về phụ cấp ưu đãi nghề", "the rules on preferential allowances"),
           ("kế hoạch chuyển đổi số ngành y tế", "the health sector's digital plan")]

#: Deadline kinds and their weights (a programme's appendix, roughly).
KIND_WEIGHTS = [(DeadlineKind.DAY, 40), (DeadlineKind.MONTH, 10), (DeadlineKind.QUARTER, 14),
                (DeadlineKind.YEAR, 11), (DeadlineKind.MONTHLY, 4), (DeadlineKind.QUARTERLY, 4),
                (DeadlineKind.ANNUAL, 5), (DeadlineKind.ONGOING, 9),
                (DeadlineKind.UNSPECIFIED, 3)]

REPORT_COLUMNS = ("task_id", "unit_id", "period_id", "percent_complete", "progress_status",
                  "results", "difficulties", "proposals", "next_steps", "completion_date",
                  "state", "created_at", "updated_at", "submitted_at", "decided_at",
                  "return_comment", "reopen_reason", "version", "created_by_id",
                  "submitted_by_id", "decided_by_id")


@dataclass
class Plan:
    """What happens to one task: its dates, how its progress runs, who reports."""

    pk: int
    kind: str
    start: date
    deadline: date | None
    completed_on: date | None
    finish: date | None  # when its progress line reaches 100 (None: never, e.g. ongoing)
    stall: date | None  # progress stops rising from this day
    lead_bodies: list[int]
    coordinating_bodies: list[int]
    behind: bool
    occurrences: list[tuple[date, date]] = field(default_factory=list)


def _deadline_text(kind: str, due: date | None) -> str:
    """The deadline as a programme writes it (in Vietnamese, whatever the caller's language)."""
    with translation.override("vi"):
        return format_deadline(kind, due)


def _snap(kind: str, day: date) -> date:
    if kind == DeadlineKind.MONTH:
        return month_end(day.year, day.month)
    if kind == DeadlineKind.QUARTER:
        return quarter_end(day.year, (day.month - 1) // 3 + 1)
    if kind == DeadlineKind.YEAR:
        return date(day.year, 12, 31)
    return day


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, max(low, high)))


def _plan(rng: random.Random, pk: int, start: date, today: date,
          outcomes: dict[str, int]) -> tuple[Plan, str, date | None]:
    """The task's deadline and its fate; counts each fate in `outcomes`."""
    kind = rng.choices([k for k, _w in KIND_WEIGHTS], [w for _k, w in KIND_WEIGHTS])[0]
    plan = Plan(pk, kind, start, None, None, None, None, [], [], False)

    def fate(name):
        outcomes[name] = outcomes.get(name, 0) + 1

    if kind in RECURRING_KINDS:
        plan.deadline = period_end(kind, start + timedelta(days=20))
        due = plan.deadline
        missed_streak = rng.random() < 0.15  # a duty dropped some time ago
        while due < today or period_end(kind, today) == due:
            period_start = due - timedelta(days={"monthly": 27, "quarterly": 85,
                                                  "annual": 360}[kind])
            roll = rng.random()
            if missed_streak and due > today - timedelta(days=200):
                pass  # not done
            elif due >= today:
                # This occurrence: done by some, on a day of its period so far.
                if roll < 0.35 and period_start < today:
                    plan.occurrences.append(
                        (due, period_start + _days(rng, 0, (today - period_start).days - 1)))
            elif roll < 0.86:
                plan.occurrences.append((due, max(period_start, due - _days(rng, 0, 20))))
            elif roll < 0.94:
                late = due + _days(rng, 1, 25)
                if late <= today:
                    plan.occurrences.append((due, late))
            due = next_period_end(kind, due)
        fate(f"recurring{' (duty dropped)' if missed_streak else ''}")
        return plan, kind, plan.deadline
    if kind in (DeadlineKind.ONGOING, DeadlineKind.UNSPECIFIED):
        if rng.random() < 0.05:
            plan.completed_on = min(today - timedelta(days=1), start + _days(rng, 120, 900))
            plan.finish = plan.completed_on
            fate("completed (no deadline)")
        else:
            plan.finish = start + _days(rng, 700, 2000)
            fate("in progress (no deadline)")
        return plan, kind, None

    latest = today + timedelta(days=730)
    due = _snap(kind, start + _days(rng, 75, (latest - start).days))
    plan.deadline = due
    span = max(30, (due - start).days)
    roll = rng.random()
    if due < today:
        if roll < 0.55:
            plan.completed_on = due - _days(rng, 0, min(120, span // 3))
            fate("completed on time")
        elif roll < 0.77 and due + timedelta(days=2) < today:
            plan.completed_on = due + _days(rng, 1, min(200, (today - due).days - 1))
            fate("completed late")
        else:
            plan.finish = start + timedelta(days=int(span * rng.uniform(1.4, 4)))
            plan.stall = today - _days(rng, 30, 300) if rng.random() < 0.4 else None
            plan.behind = True
            fate("overdue")
        if plan.completed_on:
            plan.finish = plan.completed_on
        return plan, kind, due
    if roll < 0.08 and (today - start).days > 30:
        plan.completed_on = start + timedelta(days=int((today - start).days
                                                       * rng.uniform(0.3, 0.97)))
        plan.finish = plan.completed_on
        fate("completed early")
    elif roll < 0.70:
        # On track: its line reaches 100% between a fortnight from now and the deadline.
        earliest = min(due, today + timedelta(days=15))
        plan.finish = earliest + _days(rng, 0, (due - earliest).days)
        fate("in progress, on track")
    elif roll < 0.92:
        plan.finish = start + timedelta(days=int(span * rng.uniform(1.4, 3.0)))
        plan.behind = True
        fate("in progress, behind")
    else:
        plan.finish = due
        plan.stall = start + timedelta(days=int(max(1, (today - start).days) * rng.uniform(.3, .7)))
        plan.behind = True
        fate("in progress, stalled")
    return plan, kind, due


def write_tasks(rng, *, count: int, units: Units, resolutions: list[Resolution], groups, today,
           now, summary: ScaleSummary) -> list[Plan]:
    leads = units.departments + units.ministries + units.provinces
    everyone = leads
    ids = allocate_ids(Task, count)
    task_rows, coordination, outputs, occurrences, plans = [], [], [], [], []
    authorities = [a for a in Authority.values if a != Authority.LEAD_UNIT_HEAD] \
        + [Authority.LEAD_UNIT_HEAD]
    per_group: dict[int, int] = {}
    for number, pk in enumerate(ids):
        resolution = resolutions[number % len(resolutions)]
        group = groups[resolution.pk][rng.randrange(6)]
        per_group[group.pk] = per_group.get(group.pk, 0) + 1
        code = f"{group.number}.{per_group[group.pk]}"
        start = resolution.issued_on + _days(rng, 0, 90)
        plan, kind, deadline = _plan(rng, pk, min(start, today - timedelta(days=1)), today,
                                     summary.outcomes)
        # A few tasks are led by a collective designation, reported on by each member.
        collective = rng.random() < 0.004
        lead = rng.choice(list(units.collectives)) if collective else rng.choice(leads)
        coordinating = rng.sample(everyone, rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0])
        coordinating = [unit for unit in coordinating if unit != lead]
        # Some tasks are not six-clear: a gap each, as real appendices have.
        gap = rng.random()
        official = "" if gap < 0.03 else rng.choice(["Thứ trưởng phụ trách", "Phó Chủ tịch UBND",
                                                     "Vụ trưởng", "Cục trưởng"])
        authority = "" if 0.03 <= gap < 0.06 else rng.choice(authorities)
        output_count = 0 if 0.06 <= gap < 0.10 else rng.choices([1, 2], [92, 8])[0]
        if 0.10 <= gap < 0.11:
            coordinating.append(lead)  # the lead also listed as coordinating
        verb, thing = rng.choice(VERBS), rng.choice(OBJECTS)
        title = f"{verb[0]} {thing[0]} (nhiệm vụ {code}, {resolution.number})"
        title_en = f"{verb[1]} {thing[1]} (task {code}, {resolution.number})"
        text = _deadline_text(kind, deadline)
        created = at(plan.start, 9)
        task_rows.append((pk, code, code_sort_key(code), title, title_en, "", authority, official,
                          kind, deadline, text, kind, deadline, text,
                          plan.completed_on if kind not in RECURRING_KINDS else None, False,
                          created, now, lead, resolution.pk, group.pk, ""))
        coordination += [(pk, unit) for unit in coordinating]
        for position in range(output_count):
            issued = plan.completed_on
            outputs.append((pk, "circular" if position == 0 else "report",
                            "Thông tư hướng dẫn" if position == 0 else "Báo cáo tổng kết",
                            f"{MARK}-{pk}-{position + 1}/QĐ" if issued else "", issued, "",
                            position, created, now))
        occurrences += [(pk, due, done) for due, done in plan.occurrences]
        bodies = units.collectives.get(lead, [lead])
        plan.lead_bodies = [unit for unit in bodies if unit in units.active]
        plan.coordinating_bodies = [
            body for unit in coordinating if unit != lead
            for body in units.collectives.get(unit, [unit])
            if body in units.active and body not in plan.lead_bodies]
        plans.append(plan)
    copy_rows("tasks_task", ("id", "code", "sort_key", "title", "title_en", "description",
                         "competent_authority", "responsible_official", "deadline_kind",
                         "deadline", "deadline_text", "original_deadline_kind",
                         "original_deadline", "original_deadline_text", "completed_on",
                         "is_illustrative", "created_at", "updated_at", "lead_unit_id",
                         "resolution_id", "group_id", "notes"), task_rows)
    copy_rows("tasks_task_coordinating_units", ("task_id", "unit_id"), coordination)
    copy_rows("tasks_output", ("task_id", "kind", "title", "document_number", "issued_on", "file",
                           "position", "created_at", "updated_at"), outputs)
    copy_rows("tasks_occurrencecompletion", ("task_id", "due", "completed_on"), occurrences)
    return plans


# --- Reports --------------------------------------------------------------------------------


def _percent(plan: Plan, on: date, rng: random.Random) -> int:
    """How far the task's lead says it is on `on`: a straight line from the start to `finish`
    (stopping at `stall`), never 100 before completion (99 at most)."""
    if plan.kind in RECURRING_KINDS:
        return 50
    if plan.finish is None:
        return 0
    until = min(on, plan.stall) if plan.stall else on
    span = max(1, (plan.finish - plan.start).days)
    value = 100 * max(0, (until - plan.start).days) / span
    return max(0, min(99, round(value)))


def report_rows(rng, plans: list[Plan], periods: list[ReportingPeriod], today: date,
             users: dict[str, int], summary: ScaleSummary):
    """One report per task, reporting body and period from the task's start to its completion
    (or today); the periods before this one approved with a few gaps, this one in every state."""
    reporter, leader = users["reporter"], users["leader"]
    current = periods[-1]
    now = timezone.now()
    for plan in plans:
        last = plan.completed_on or today
        previous = {}
        for period in periods:
            if period.ends_on < plan.start or period.starts_on > last:
                continue
            is_current = period is current
            measured = period.ends_on  # a report speaks for its period, up to its cut-off
            finishing = bool(plan.completed_on) and (
                period.starts_on <= plan.completed_on <= period.ends_on)
            base = _percent(plan, measured, rng)
            for body in [*plan.lead_bodies, *plan.coordinating_bodies]:
                lead = body in plan.lead_bodies
                roll = rng.random()
                if is_current:
                    state = ("approved" if roll < 0.30 else "submitted" if roll < 0.45
                             else "draft" if roll < 0.65 else None)
                else:
                    state = ("approved" if roll < 0.93 else "submitted" if roll < 0.95
                             else "returned" if roll < 0.96 else "draft" if roll < 0.97
                             else None)
                if state is None:
                    continue
                percent = base if lead else max(0, min(99, base + rng.randint(-10, 10)))
                percent = max(percent, previous.get(body, 0))  # progress does not go back
                previous[body] = percent
                completed = finishing and lead
                status = ("completed" if completed else "not_started" if percent == 0
                          else "behind" if plan.behind else "on_track")
                if completed:
                    percent = 100
                submitted_at = decided_at = None
                if state != "draft":
                    if is_current:
                        day = today - _days(rng, 0, max(0, min(6, (today - period.starts_on).days)))
                    elif rng.random() < 0.86:
                        day = period.submission_deadline - _days(rng, 0, 5)
                    else:
                        day = period.submission_deadline + _days(rng, 1, 20)
                    submitted_at = min(now, at(min(day, today), 10))
                if state in ("approved", "returned"):
                    decided_at = min(now, submitted_at + timedelta(days=rng.randint(0, 3)))
                behind = status == "behind" and rng.random() < 0.3
                summary.reports += 1
                yield (plan.pk, body, period.pk, percent, status,
                       RESULTS[min(len(RESULTS) - 1, percent * len(RESULTS) // 101)],
                       DIFFICULTIES if behind else "", PROPOSALS if behind else "",
                       "", plan.completed_on if completed else None, state,
                       submitted_at or at(period.starts_on, 9), decided_at or submitted_at
                       or at(period.starts_on, 9), submitted_at, decided_at,
                       "Đề nghị bổ sung số liệu." if state == "returned" else "", "", 1,
                       reporter, reporter if submitted_at else None,
                       leader if decided_at else None)
