"""A national-scale programme, generated in bulk, for measuring the dashboard and the lists.

`scale_seed` fills an empty programme with thousands of units in a tree, several resolutions
with their six groups, tens of thousands of tasks and a monthly report for every task, reporting
body and period of its life: the spread leadership meets in practice (completed on time, late,
overdue, in progress on track, behind or stalled, recurring duties done or missed, ongoing tasks,
some tasks not six-clear). Rows are written with PostgreSQL's COPY, never through the per-row
services: no audit history, no notifications, no jobs. Everything it writes is marked: unit
codes, resolution numbers and user names start with "SCALE".

Deterministic: the same arguments and seed give the same programme (relative to `today`).
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tasks.deadlines import (
    RECURRING_KINDS,
    DeadlineKind,
    month_end,
    next_period_end,
    period_end,
    quarter_end,
)
from tasks.models import Authority, Resolution, Task, TaskGroup, code_sort_key
from units.models import Unit, User

from .demo import DIFFICULTIES, PROPOSALS, RESULTS
from .models import ProgressReport, ReportingPeriod
from .periods import period_key_for
from .services import period_get_or_create

MARK = "SCALE"
RESOLUTIONS = 5

MINISTRIES = ["Bộ Y tế", "Bộ Tài chính", "Bộ Nội vụ", "Bộ Giáo dục và Đào tạo",
              "Bộ Khoa học và Công nghệ", "Bộ Tư pháp", "Bộ Công an", "Bộ Quốc phòng",
              "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng",
              "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Ngoại giao", "Bộ Dân tộc và Tôn giáo",
              "Bảo hiểm xã hội Việt Nam", "Thanh tra Chính phủ", "Ngân hàng Nhà nước Việt Nam"]
MINISTRY_DEPARTMENTS = ["Vụ Kế hoạch - Tài chính", "Vụ Pháp chế", "Vụ Tổ chức cán bộ",
                        "Vụ Hợp tác quốc tế", "Cục Quản lý Khám, chữa bệnh", "Cục Y tế dự phòng",
                        "Cục Khoa học công nghệ và Đào tạo", "Cục Công nghệ thông tin",
                        "Văn phòng Bộ", "Thanh tra Bộ", "Vụ Bảo hiểm y tế", "Cục Quản lý Dược"]
PROVINCES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
             "Quảng Ninh", "Nghệ An", "Thanh Hóa", "Lào Cai", "Thái Nguyên", "Lâm Đồng",
             "Đắk Lắk", "Khánh Hòa", "Gia Lai", "Đồng Nai", "Tây Ninh", "An Giang", "Cà Mau",
             "Vĩnh Long", "Đồng Tháp", "Ninh Bình", "Hưng Yên", "Bắc Ninh", "Phú Thọ",
             "Tuyên Quang", "Cao Bằng", "Lạng Sơn", "Điện Biên", "Lai Châu", "Sơn La",
             "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi"]
PROVINCE_DEPARTMENTS = ["Sở Y tế", "Sở Tài chính", "Sở Nội vụ", "Sở Giáo dục và Đào tạo",
                        "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Văn phòng UBND",
                        "Bảo hiểm xã hội tỉnh", "Trung tâm Kiểm soát bệnh tật",
                        "Bệnh viện Đa khoa tỉnh", "Sở Xây dựng", "Sở Văn hóa, Thể thao và Du lịch"]
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
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
SIX_GROUPS = [
    ("Đổi mới mạnh mẽ tư duy và hành động trong lãnh đạo, chỉ đạo, tổ chức thực hiện",
     "Strongly renewing thinking and action in leadership, direction and implementation"),
    ("Hoàn thiện thể chế; nâng cao năng lực hệ thống y tế", "Perfecting institutions; raising "
     "the capacity of the health system"),
    ("Nâng cao y đức; phát triển nhân lực y tế",
     "Raising medical ethics; developing the health workforce"),
    ("Cải cách tài chính y tế; phát triển bền vững bảo hiểm y tế",
     "Reforming health financing; sustainable health insurance"),
    ("Đột phá khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số",
     "Breakthroughs in science, technology, innovation and digital transformation"),
    ("Phát triển y tế tư nhân; huy động mọi nguồn lực",
     "Developing private health care; mobilising all resources"),
]
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


class ScaleRefused(Exception):
    """The database is not one seed_scale may fill (the message says why)."""


@dataclass
class ScaleSummary:
    units: int = 0
    tasks: int = 0
    reports: int = 0
    periods: int = 0
    seconds: float = 0.0
    outcomes: dict = field(default_factory=dict)


def scale_is_seeded() -> bool:
    """Whether seed_scale has filled this database."""
    return Resolution.objects.filter(number__startswith=f"{MARK}-").exists()


def scale_check_can_seed() -> None:
    """Refuse anything but an empty programme on PostgreSQL (raises ScaleRefused)."""
    if connection.vendor != "postgresql":
        raise ScaleRefused("seed_scale writes with PostgreSQL's COPY: point DATABASE_URL at a "
                           "PostgreSQL database.")
    if scale_is_seeded():
        raise ScaleRefused("This database already holds the scale programme: nothing to do.")
    tasks = Task.objects.count()
    if tasks:
        raise ScaleRefused(f"This database already holds a programme ({tasks} tasks): seed_scale "
                           "only fills an empty one. Use a new database for it.")


# --- Writing in bulk ------------------------------------------------------------------------


def _ids(model, count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (so rows can point at each
    other before they are written)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                       "FROM generate_series(1, %s)", [model._meta.db_table, count])
        return [row[0] for row in cursor.fetchall()]


def _copy(table: str, columns: tuple[str, ...], rows) -> int:
    """COPY the rows (tuples in the order of `columns`) into the table; returns how many."""
    count = 0
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour)))


# --- Units ------------------------------------------------------------------------------------


@dataclass
class Units:
    ministries: list[int]
    provinces: list[int]
    departments: list[int]
    collectives: dict[int, list[int]]
    active: set[int]


def _units(rng: random.Random, count: int, now: datetime) -> Units:
    """Ministries and provinces with their departments (a few departments with units of their
    own), and four collective designations; about `count` units in all."""
    ministries, provinces = max(2, count // 70), max(2, count // 32)
    collectives = 4
    departments = max(0, count - ministries - provinces - collectives)
    ids = iter(_ids(Unit, count + 10))
    rows, tops, departments_of = [], {"ministry": [], "province": []}, []
    members: dict[int, list[int]] = {}
    paths, names = {}, {}

    def add(pk, code, name, kind, parent=None):
        paths[pk] = f"{paths[parent] if parent else '/'}{pk}/"
        names[pk] = name
        rows.append((pk, code, name, "", "", kind, paths[pk], True, now, now, parent))

    for number in range(ministries):
        pk = next(ids)
        name = MINISTRIES[number] if number < len(MINISTRIES) else f"Bộ, ngành số {number + 1}"
        add(pk, f"{MARK}-M{number + 1:03d}", name, Unit.Kind.MINISTRY)
        tops["ministry"].append(pk)
    for number in range(provinces):
        pk = next(ids)
        place = PROVINCES[number] if number < len(PROVINCES) else f"Tỉnh số {number + 1}"
        add(pk, f"{MARK}-P{number + 1:03d}", f"UBND {place}", Unit.Kind.PROVINCE)
        tops["province"].append(pk)
    in_ministries = departments * 45 // 100
    for number in range(departments):
        ministry = number < in_ministries
        parents = tops["ministry"] if ministry else tops["province"]
        parent = parents[number % len(parents)]
        kinds = MINISTRY_DEPARTMENTS if ministry else PROVINCE_DEPARTMENTS
        index = number // len(parents)
        label = kinds[index % len(kinds)]
        if index >= len(kinds):
            label = f"{label} (đơn vị {index // len(kinds) + 1})"
        # Every tenth department of a ministry sits under another department (a third level).
        if ministry and departments_of and number % 10 == 9:
            parent = departments_of[-1]
        pk = next(ids)
        owner = names[parent].split(" – ")[-1]
        add(pk, f"{MARK}-D{number + 1:04d}", f"{label} – {owner}",
            Unit.Kind.DEPARTMENT if ministry else Unit.Kind.PROVINCIAL_DEPARTMENT, parent)
        if number % 10 != 9:
            departments_of.append(pk)
    designations = [
        ("Các bộ, ngành", tops["ministry"]),
        ("UBND các tỉnh, thành phố trực thuộc trung ương", tops["province"]),
        ("Bộ Y tế, Bộ Tài chính, Bộ Nội vụ", tops["ministry"][:3]),
        ("Các cơ quan liên quan", rng.sample(departments_of, min(5, len(departments_of)))),
    ]
    for number, (name, member_ids) in enumerate(designations[:collectives]):
        pk = next(ids)
        add(pk, f"{MARK}-C{number + 1}", f"{name} (quy mô)", Unit.Kind.COLLECTIVE)
        members[pk] = list(member_ids)
    # A few departments have been dissolved: inactive, no longer expected to report.
    inactive = set(rng.sample(departments_of, len(departments_of) // 100))
    rows = [row[:7] + (row[0] not in inactive,) + row[8:] for row in rows]
    _copy("units_unit", ("id", "code", "name", "name_en", "short_name", "kind", "path",
                         "is_active", "created_at", "updated_at", "parent_id"), rows)
    _copy("units_unit_members", ("from_unit_id", "to_unit_id"),
          ((pk, member) for pk, member_ids in members.items() for member in member_ids))
    active = {row[0] for row in rows if row[7]}
    return Units(tops["ministry"], tops["province"], departments_of, members, active)


# --- Tasks ------------------------------------------------------------------------------------


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
    if kind == DeadlineKind.DAY:
        return f"Trước {due:%d/%m/%Y}"
    if kind == DeadlineKind.MONTH:
        return f"Tháng {due.month}/{due.year}"
    if kind == DeadlineKind.QUARTER:
        return f"Quý {ROMAN[(due.month - 1) // 3 + 1]}/{due.year}"
    if kind == DeadlineKind.YEAR:
        return f"Năm {due.year}"
    if kind == DeadlineKind.MONTHLY:
        return "Hằng tháng"
    if kind == DeadlineKind.QUARTERLY:
        return "Hằng quý"
    if kind == DeadlineKind.ANNUAL:
        return f"Hằng năm, từ năm {due.year}"
    if kind == DeadlineKind.ONGOING:
        return "Thường xuyên"
    return "Khẩn trương"


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


def _tasks(rng, *, count: int, units: Units, resolutions: list[Resolution], groups, today,
           now, summary: ScaleSummary) -> list[Plan]:
    leads = units.departments + units.ministries + units.provinces
    everyone = leads
    ids = _ids(Task, count)
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
        created = _at(plan.start, 9)
        task_rows.append((pk, code, code_sort_key(code), title, title_en, "", authority, official,
                          kind, deadline, text, kind, deadline, text,
                          plan.completed_on if kind not in RECURRING_KINDS else None, False,
                          created, now, lead, resolution.pk, group.pk))
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
    _copy("tasks_task", ("id", "code", "sort_key", "title", "title_en", "description",
                         "competent_authority", "responsible_official", "deadline_kind",
                         "deadline", "deadline_text", "original_deadline_kind",
                         "original_deadline", "original_deadline_text", "completed_on",
                         "is_illustrative", "created_at", "updated_at", "lead_unit_id",
                         "resolution_id", "group_id"), task_rows)
    _copy("tasks_task_coordinating_units", ("task_id", "unit_id"), coordination)
    _copy("tasks_output", ("task_id", "kind", "title", "document_number", "issued_on", "file",
                           "position", "created_at", "updated_at"), outputs)
    _copy("tasks_occurrencecompletion", ("task_id", "due", "completed_on"), occurrences)
    return plans


# --- Reports ----------------------------------------------------------------------------------


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


def _reports(rng, plans: list[Plan], periods: list[ReportingPeriod], today: date,
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
                    submitted_at = min(now, _at(min(day, today), 10))
                if state in ("approved", "returned"):
                    decided_at = min(now, submitted_at + timedelta(days=rng.randint(0, 3)))
                behind = status == "behind" and rng.random() < 0.3
                summary.reports += 1
                yield (plan.pk, body, period.pk, percent, status,
                       RESULTS[min(len(RESULTS) - 1, percent * len(RESULTS) // 101)],
                       DIFFICULTIES if behind else "", PROPOSALS if behind else "",
                       "", plan.completed_on if completed else None, state,
                       submitted_at or _at(period.starts_on, 9), decided_at or submitted_at
                       or _at(period.starts_on, 9), submitted_at, decided_at,
                       "Đề nghị bổ sung số liệu." if state == "returned" else "", "", 1,
                       reporter, reporter if submitted_at else None,
                       leader if decided_at else None)


# --- The whole programme -----------------------------------------------------------------------


def _periods(months: int, today: date) -> list[ReportingPeriod]:
    year, month = period_key_for(today, cutoff_day=settings.REPORTING_CUTOFF_DAY)
    keys = []
    for _ in range(months):
        keys.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return [period_get_or_create(year=y, month=m) for y, m in reversed(keys)]


@transaction.atomic
def scale_seed(*, tasks: int, units: int, months: int, today: date, seed: int = 72,
               progress=None) -> ScaleSummary:
    """Fill an empty programme with `tasks` tasks, about `units` units and `months` monthly
    periods of reports up to the one containing `today`. All or nothing (one transaction).

    Raises ScaleRefused when the database is not an empty PostgreSQL programme.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    scale_check_can_seed()
    rng = random.Random(seed)
    now = timezone.now()
    summary = ScaleSummary()

    periods = _periods(months, today)
    summary.periods = len(periods)
    first = periods[0].starts_on
    tree = _units(rng, units, now)
    summary.units = len(tree.active)
    say(f"{units} units written")

    resolutions, groups = [], {}
    spacing = max(1, (today - first).days // RESOLUTIONS)
    for number in range(RESOLUTIONS):
        resolution = Resolution.objects.create(
            number=f"{MARK}-{number + 1:02d}/CTr", kind=Resolution.Kind.PLAN, issuer="Chính phủ",
            title=f"Chương trình hành động quy mô quốc gia số {number + 1} (dữ liệu đo hiệu năng)",
            title_en=f"National-scale action programme no. {number + 1} (benchmark data)",
            issued_on=first + timedelta(days=spacing * number),
            note=f"seed_scale on {today:%d/%m/%Y}: {tasks} tasks, {units} units, {months} months.")
        resolutions.append(resolution)
        groups[resolution.pk] = TaskGroup.objects.bulk_create(
            TaskGroup(resolution=resolution, number=index + 1, name=name, name_en=name_en)
            for index, (name, name_en) in enumerate(SIX_GROUPS))

    users = {}
    for role in ("reporter", "leader", "secretariat", "leadership"):
        user = User(username=f"{MARK.lower()}.{role}", full_name=f"Tài khoản {role} (quy mô)",
                    role=role, unit_id=tree.departments[0] if tree.departments
                    else tree.ministries[0], email=f"{MARK.lower()}.{role}@example.org")
        user.set_unusable_password()
        user.save()
        users[role] = user.pk

    plans = _tasks(rng, count=tasks, units=tree, resolutions=resolutions, groups=groups,
                   today=today, now=now, summary=summary)
    summary.tasks = len(plans)
    say(f"{tasks} tasks written")
    _copy("reports_progressreport", REPORT_COLUMNS,
          _reports(rng, plans, periods, today, users, summary))
    say(f"{summary.reports} reports written")
    summary.seconds = time.perf_counter() - started
    return summary


def scale_analyze() -> None:
    """Refresh the planner's statistics of the tables just filled (after the commit)."""
    with connection.cursor() as cursor:
        for table in ("units_unit", "units_unit_members", "tasks_task",
                      "tasks_task_coordinating_units", "tasks_output",
                      "tasks_occurrencecompletion", "reports_progressreport",
                      "reports_reportingperiod"):
            cursor.execute(f"ANALYZE {table}")


def scale_report_count() -> int:
    return ProgressReport.objects.filter(task__resolution__number__startswith=f"{MARK}-").count()
