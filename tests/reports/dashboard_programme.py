"""A small programme whose every dashboard number is worked out by hand (see EXPECTED).

On 20/03/2026 (ON), in the reporting period of April 2026 (15/03–14/04, due 17/04); the last
period's cut-off is 14/03/2026 (BEFORE).

Units: ministry M with departments D1, D2 and X (inactive); ministry O; designation C (members
D1 and O). Resolution R (issued 01/09/2025) with groups 1 and 2; resolution R2 (01/01/2026)
with group 1.

| task | group | lead | deadline | on 20/03 | on 14/03 | notes |
|---|---|---|---|---|---|---|
| A1 | R·1 | D1 | 28/02 | completed on time (20/02) | on time | coordinated by O |
| A2 | R·1 | D1 | 28/02 | completed late (16/03) | overdue | D1 also coordinates it |
| A3 | R·1 | D2 | 31/01 | overdue | overdue | approved reports, never "at risk" |
| A4 | R·1 | D2 | Q2: 30/06 | in progress | in progress | 20-30-40%: at risk; D1, X help |
| A5 | R·2 | O | 30/04 | in progress | in progress | 50, 90%: on track; coordinated by C |
| A6 | R·2 | O | 31/05 | in progress | in progress | one report, 30%: at risk |
| A7 | R·2 | C | year 2026 | in progress | in progress | a draft only: no trend |
| A8 | R·2 | D1 | 30/09 | in progress | in progress | 50, 50, 50% (flat): at risk |
| B1 | R2·1 | D2 | ongoing | in progress | in progress | blank title: lacks work |
| B2 | R2·1 | D1 | monthly from 31/01 | overdue (February missed) | overdue | |
| B3 | R2·1 | O | unspecified | in progress | in progress | lacks time and authority |
| B4 | R2·1 | D2 | month 03/2026 | in progress | in progress | latest approved 100%: not at risk |
| B5 | R2·1 | D1 | 14/03 | overdue | in progress (due that day) | lacks person and product |
"""

from datetime import date, datetime, time

from django.utils import timezone

from reports.models import ProgressReport
from tasks.deadlines import DeadlineKind as K
from tasks.models import OccurrenceCompletion
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Unit, User

ON = date(2026, 3, 20)
BEFORE = date(2026, 3, 14)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build() -> dict:
    m = UnitFactory(code="M", name="Bộ M", kind=Unit.Kind.MINISTRY)
    d1 = UnitFactory(code="D1", name="Vụ D1", parent=m)
    d2 = UnitFactory(code="D2", name="Vụ D2", parent=m)
    x = UnitFactory(code="X", name="Vụ X (giải thể)", parent=m, is_active=False)
    o = UnitFactory(code="O", name="Bộ O", kind=Unit.Kind.MINISTRY)
    c = UnitFactory(code="C", name="Các bộ C", kind=Unit.Kind.COLLECTIVE)
    c.members.set([d1, o])
    r = ResolutionFactory(number="R/NQ-CP", issued_on=date(2025, 9, 1))
    r2 = ResolutionFactory(number="R2/KH", issued_on=date(2026, 1, 1))
    g1 = TaskGroupFactory(resolution=r, number=1, name="Nhóm một")
    g2 = TaskGroupFactory(resolution=r, number=2, name="Nhóm hai")
    g3 = TaskGroupFactory(resolution=r2, number=1, name="Nhóm ba")
    periods = {month: ReportingPeriodFactory(year=2026, month=month) for month in (1, 2, 3, 4)}
    author = UserFactory(username="author", role=User.Role.REPORTER, unit=d1)

    def task(code, group, lead, kind=K.DAY, deadline=None, **extra):
        return TaskFactory(code=code, group=group, lead_unit=lead, deadline_kind=kind,
                           deadline=deadline, title=extra.pop("title", f"Nhiệm vụ {code}"),
                           **extra)

    t = {
        "A1": task("A1", g1, d1, deadline=date(2026, 2, 28), completed_on=date(2026, 2, 20),
                   coordinating_units=[o]),
        "A2": task("A2", g1, d1, deadline=date(2026, 2, 28), completed_on=date(2026, 3, 16),
                   coordinating_units=[d1]),
        "A3": task("A3", g1, d2, deadline=date(2026, 1, 31)),
        "A4": task("A4", g1, d2, kind=K.QUARTER, deadline=date(2026, 6, 30),
                   coordinating_units=[d1, x]),
        "A5": task("A5", g2, o, deadline=date(2026, 4, 30), coordinating_units=[c]),
        "A6": task("A6", g2, o, deadline=date(2026, 5, 31)),
        "A7": task("A7", g2, c, kind=K.YEAR, deadline=date(2026, 12, 31)),
        "A8": task("A8", g2, d1, deadline=date(2026, 9, 30)),
        "B1": task("B1", g3, d2, kind=K.ONGOING, title=" \t "),
        "B2": task("B2", g3, d1, kind=K.MONTHLY, deadline=date(2026, 1, 31)),
        "B3": task("B3", g3, o, kind=K.UNSPECIFIED, competent_authority=""),
        "B4": task("B4", g3, d2, kind=K.MONTH, deadline=date(2026, 3, 31)),
        "B5": task("B5", g3, d1, deadline=date(2026, 3, 14), responsible_official="",
                   with_output=False),
    }
    OccurrenceCompletion.objects.create(task=t["B2"], due=date(2026, 1, 31),
                                        completed_on=date(2026, 1, 28))

    def report(code, unit, month, percent, state=ProgressReport.State.APPROVED,
               submitted=None):
        period = periods[month]
        submitted = submitted or period.submission_deadline
        fields = {}
        if state != ProgressReport.State.DRAFT:
            fields = {"submitted_at": at(submitted), "submitted_by": author}
        if state == ProgressReport.State.APPROVED:
            fields.update(decided_at=at(submitted, 15), decided_by=author)
        return ProgressReportFactory(task=t[code], unit=unit, period=period,
                                     percent_complete=percent, state=state,
                                     created_by=author, **fields)

    approved = ProgressReport.State.APPROVED
    for month, percent in ((1, 20), (2, 30), (3, 40)):
        report("A4", d2, month, percent)
    report("A4", d1, 3, 5)  # a coordinating unit's report: not the lead's progress
    report("A5", o, 2, 50)
    report("A5", o, 3, 90)
    report("A5", d1, 3, 10)  # coordinating (through C)
    report("A6", o, 3, 30)
    report("A7", d1, 3, 20, state=ProgressReport.State.DRAFT)
    for month in (1, 2, 3):
        report("A8", d1, month, 50)
    report("B4", d2, 2, 100)
    report("A3", d2, 1, 10)
    report("A3", d2, 2, 10)
    # March's period (due 17/03): A2 on time, A4 late, A6 above on time.
    report("A2", d1, 3, 90, state=approved, submitted=date(2026, 3, 16))
    ProgressReport.objects.filter(task=t["A4"], unit=d2, period=periods[3]).update(
        submitted_at=at(date(2026, 3, 19)))
    # April's period (the current one, due 17/04), as of 20/03: two received; one submitted
    # after that day; a draft.
    report("A2", d1, 4, 100, state=ProgressReport.State.SUBMITTED, submitted=date(2026, 3, 18))
    report("A5", o, 4, 95, state=ProgressReport.State.SUBMITTED, submitted=date(2026, 3, 19))
    report("A3", d2, 4, 15, state=ProgressReport.State.SUBMITTED, submitted=date(2026, 3, 21))
    report("A7", o, 4, 20, state=ProgressReport.State.DRAFT)
    return {"units": {"M": m, "D1": d1, "D2": d2, "X": x, "O": o, "C": c},
            "groups": {"R·1": g1, "R·2": g2, "R2·1": g3}, "resolutions": {"R": r, "R2": r2},
            "periods": periods, "tasks": t}


#: The numbers, worked out by hand from the table above.
EXPECTED = {
    "now": {"completed_on_time": 1, "completed_late": 1, "in_progress": 8, "overdue": 3},
    "before": {"completed_on_time": 1, "completed_late": 0, "in_progress": 9, "overdue": 3},
    "groups": {
        "R·1": {"completed_on_time": 1, "completed_late": 1, "in_progress": 1, "overdue": 1},
        "R·2": {"completed_on_time": 0, "completed_late": 0, "in_progress": 4, "overdue": 0},
        "R2·1": {"completed_on_time": 0, "completed_late": 0, "in_progress": 3, "overdue": 2},
    },
    "resolutions": {"R": 8, "R2": 5},
    # lead unit: (tasks, on time, late, overdue, at risk, the lead's reports missing)
    "league": {"D1": (5, 1, 1, 2, 1, 3), "D2": (4, 0, 0, 1, 1, 4), "O": (3, 0, 0, 0, 1, 2),
               "C": (1, 0, 0, 0, 0, 2)},
    "at_risk": {"A4", "A6", "A8"},
    "no_trend": {"A7"},
    "deadlines": {30: 1, 60: 2, 90: 3},
    "upcoming": ["B4", "A5", "A6"],
    "overdue": [("A3", 48), ("B2", 20), ("B5", 6)],
    "clarity": {"person": 1, "work": 1, "time": 1, "responsibility": 1, "product": 1,
                "authority": 1},
    "not_clear": {"A2", "B1", "B3", "B5"},
    # April's period as of 20/03: unit: (expected, received, on time)
    "compliance": {"D1": (7, 1, 1), "D2": (4, 0, 0), "O": (4, 1, 1)},
    # March's period (due 17/03) as of 20/03: A1 (D1, O), A2, A3, A4 (D2, D1), A5 (O, D1),
    # A6, A7 (D1, O), A8, B1, B2, B3, B4, B5; D2's A4 came in on 19/03, late.
    "compliance_march": {"D1": (8, 4, 4), "D2": (4, 1, 0), "O": (5, 2, 2)},
    "trend": {date(2026, 2, 1): (1, 0, 1), date(2026, 3, 1): (0, 1, 2)},
}
