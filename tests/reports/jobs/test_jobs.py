"""Reporting compliance, the reminder, lateness and monthly-report jobs, and the workflow's
notifications: on given dates, in eager mode, asserting what people would notice.

The November 2025 period holds data from 15/10 to 14/11; its reports are due by 17/11/2025."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reports.compliance import compliance_by_unit, expected_reports
from reports.jobs import (
    LATE_SUBJECT,
    REMINDER_SUBJECT,
    build_monthly_report_data,
    record_late_reports,
    remind_missing_reports,
)
from reports.models import MonthlyReportData, ProgressReport, ReportLateness
from reports.services import (
    RETURNED_SUBJECT,
    progress_report_approve,
    progress_report_return,
    progress_report_submit,
)
from tests.factories import (
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
)
from units.models import Notification, Unit, User

from .helpers import (
    Kind,
    State,
    _tasks_with_designations,
    at,
    late_rows,
    mailed_to,
    notified,
    person,
    report,
    run,
)

pytestmark = pytest.mark.django_db


def test_compliance_counts_expected_received_and_on_time_per_unit(scene, november):
    rows = {row["unit_code"]: row for row in compliance_by_unit(period=november,
                                                                on=date(2025, 11, 20))}
    assert {code: (row["expected"], row["received"], row["on_time"], row["missing"])
            for code, row in rows.items()} == {"BYT": (3, 1, 1, 2), "BNV": (2, 1, 0, 1)}
    assert (rows["BYT"]["received_rate"], rows["BYT"]["on_time_rate"]) == (33.3, 33.3)
    assert (rows["BNV"]["received_rate"], rows["BNV"]["on_time_rate"]) == (50.0, 0.0)
    assert rows["BYT"]["unit_name_en"] == "Ministry of Health"

    # On the deadline day BNV's late report had not come in yet.
    on_the_day = {row["unit_code"]: row["received"]
                  for row in compliance_by_unit(period=november, on=date(2025, 11, 17))}
    assert on_the_day == {"BYT": 1, "BNV": 0}


def test_a_unit_expecting_nothing_is_not_listed_and_rates_never_divide_by_zero(november):
    TaskFactory(completed_on=date(2025, 10, 1))
    assert compliance_by_unit(period=november, on=date(2025, 11, 20)) == []


def test_expected_reports_skip_finished_tasks_and_count_each_member_of_a_designation(november):
    lead = UnitFactory(code="BYT", kind=Unit.Kind.MINISTRY)
    provinces = UnitFactory(code="TINH", name="UBND các tỉnh, thành phố",
                            kind=Unit.Kind.COLLECTIVE)
    hanoi = UnitFactory(code="HN", kind=Unit.Kind.PROVINCE)
    hue = UnitFactory(code="HUE", kind=Unit.Kind.PROVINCE)
    merged = UnitFactory(code="OLD", kind=Unit.Kind.PROVINCE, is_active=False)
    provinces.members.set([hanoi, hue, merged])

    before = TaskFactory(code="1.1", lead_unit=lead, completed_on=date(2025, 10, 14))
    during = TaskFactory(code="1.2", lead_unit=lead, completed_on=date(2025, 10, 15))
    shared = TaskFactory(code="1.3", lead_unit=lead, coordinating_units=[provinces])
    by_provinces = TaskFactory(code="1.4", lead_unit=provinces)
    TaskFactory(code="9.1", lead_unit=lead,
                group=TaskGroupFactory(resolution=ResolutionFactory(is_tracked=False)))
    TaskFactory(code="9.2", lead_unit=lead, group=TaskGroupFactory(
        resolution=ResolutionFactory(issued_on=date(2025, 11, 20))))

    pairs = {(task.code, unit.code) for task, unit in expected_reports(period=november)}
    assert before.code not in {code for code, _unit in pairs}
    assert pairs == {
        (during.code, "BYT"),
        (shared.code, "BYT"), (shared.code, "HN"), (shared.code, "HUE"),
        (by_provinces.code, "HN"), (by_provinces.code, "HUE"),
    }


def test_expected_reports_and_monthly_data_take_the_same_queries_for_3_tasks_and_30(november):
    lead = UnitFactory(code="BYT", kind=Unit.Kind.MINISTRY)
    provinces = UnitFactory(code="TINH", kind=Unit.Kind.COLLECTIVE)
    provinces.members.set([UnitFactory(kind=Unit.Kind.PROVINCE) for _ in range(3)])
    person("secretariat", None, User.Role.SECRETARIAT)

    def queries():
        # The per-task facts are left settled, as a writer and the nightly fill leave them (what
        # their upkeep costs is tests/reports/test_task_facts.py's): only the job's own queries.
        MonthlyReportData.objects.all().delete()
        run(build_monthly_report_data, date(2025, 11, 18))
        MonthlyReportData.objects.all().delete()
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as expected:
            pairs = len(expected_reports(period=november))
        with CaptureQueriesContext(connection) as built:
            assert run(build_monthly_report_data, date(2025, 11, 18))["built"] == 1
        return pairs, len(expected.captured_queries), len(built.captured_queries)

    _tasks_with_designations(3, lead, provinces)
    pairs, small_expected, small_built = queries()
    _tasks_with_designations(27, lead, provinces)
    more_pairs, expected, built = queries()
    assert more_pairs == 10 * pairs
    assert (expected, built) == (small_expected, small_built)


def test_reminders_go_3_and_1_days_before_the_deadline_to_units_with_reports_missing(
        scene, complete_unit, django_capture_on_commit_callbacks):
    for quiet_day in (date(2025, 11, 13), date(2025, 11, 15)):  # 4 and 2 days before
        assert run(remind_missing_reports, quiet_day)["notified"] == 0
    assert not Notification.objects.exists()

    counts = run(remind_missing_reports, date(2025, 11, 14), django_capture_on_commit_callbacks)
    # BYT: 1.2 (a draft) and 1.3 (nothing yet); BNV: 1.3. BNV's 1.1 is submitted (late or not,
    # it is no longer to be reminded of); BTC has nothing missing.
    assert counts == {"periods": 1, "units": 2, "missing_reports": 3, "notified": 4}
    everyone = ["bnv_leader", "bnv_reporter", "byt_leader", "byt_reporter"]
    assert notified(Kind.REPORT_REMINDER) == everyone
    assert mailed_to() == [f"{name}@example.gov.vn" for name in everyone]

    # One notification per person, in their language, counting the unit's missing reports.
    english = Notification.objects.get(recipient=scene["byt_leader"])
    assert english.subject == "Reports for 11/2025 due on 17/11/2025: 2 not submitted yet"
    assert "1.2, 1.3" in english.body and "Ministry of Health" in english.body
    vietnamese = Notification.objects.get(recipient=scene["byt_reporter"])
    with translation.override("vi"):
        assert vietnamese.subject == str(REMINDER_SUBJECT) % {
            "period": "11/2025", "deadline": "17/11/2025", "count": 2}
    assert "Bộ Y tế" in vietnamese.body
    # BNV has one report missing: the reminder links straight to it.
    t3 = scene["tasks"][2]
    assert Notification.objects.get(recipient=scene["bnv_reporter"]).link == (
        f"/tasks/{t3.pk}/reports/{scene['bnv'].pk}/2025-11/")

    mail.outbox.clear()
    assert run(remind_missing_reports, date(2025, 11, 14),
               django_capture_on_commit_callbacks)["notified"] == 0
    assert mail.outbox == []

    # The day before, once more, to the same people (a new reminder: a day nearer).
    assert run(remind_missing_reports, date(2025, 11, 16))["notified"] == 4
    assert run(remind_missing_reports, date(2025, 11, 16))["notified"] == 0
    assert Notification.objects.filter(kind=Kind.REPORT_REMINDER).count() == 8
    assert run(remind_missing_reports, date(2025, 11, 17))["notified"] == 0  # the day itself


def test_a_submitted_report_is_no_longer_reminded_of_but_a_returned_one_is(scene, november):
    t2, t3 = scene["tasks"][1:]
    ProgressReport.objects.filter(task=t2).update(
        state=State.RETURNED, submitted_by=scene["byt_reporter"],
        submitted_at=at(date(2025, 11, 12)), decided_by=scene["byt_leader"],
        decided_at=at(date(2025, 11, 13)), return_comment="Bổ sung số liệu")
    report(t3, scene["byt"], november, scene["byt_reporter"], State.SUBMITTED,
           submitted_at=at(date(2025, 11, 13)))
    run(remind_missing_reports, date(2025, 11, 14))
    reminder = Notification.objects.get(recipient=scene["byt_reporter"])
    assert "1.2" in reminder.body and "1.3" not in reminder.body
    with translation.override("vi"):
        assert reminder.subject == str(REMINDER_SUBJECT) % {
            "period": "11/2025", "deadline": "17/11/2025", "count": 1}


def test_the_reminder_days_are_a_setting(scene, settings):
    settings.REPORT_REMINDER_DAYS_BEFORE = (2,)
    assert run(remind_missing_reports, date(2025, 11, 14))["notified"] == 0
    assert run(remind_missing_reports, date(2025, 11, 15))["notified"] == 4
    assert Notification.objects.filter(key__endswith=":2").count() == 4


def test_lateness_is_recorded_after_the_deadline_once_and_leaders_are_told_once(
        scene, november, django_capture_on_commit_callbacks):
    assert run(record_late_reports, date(2025, 11, 17))["recorded"] == 0  # the deadline day
    assert not ReportLateness.objects.exists()

    counts = run(record_late_reports, date(2025, 11, 18), django_capture_on_commit_callbacks)
    assert counts == {"periods": 1, "recorded": 4, "updated": 0, "units": 2, "notified": 2}
    assert late_rows(november) == {
        ("1.1", "BNV"): at(date(2025, 11, 18), 0, 30),  # came in after the deadline day
        ("1.2", "BYT"): None,  # a draft is not submitted
        ("1.3", "BYT"): None,
        ("1.3", "BNV"): None,
    }
    assert notified(Kind.REPORT_LATE) == ["bnv_leader", "byt_leader"]
    assert mailed_to() == ["bnv_leader@example.gov.vn", "byt_leader@example.gov.vn"]
    english = Notification.objects.get(kind=Kind.REPORT_LATE, recipient=scene["byt_leader"])
    assert english.subject == "Late reports for 11/2025: 2 from Ministry of Health"
    vietnamese = Notification.objects.get(kind=Kind.REPORT_LATE, recipient=scene["bnv_leader"])
    with translation.override("vi"):
        assert vietnamese.subject == str(LATE_SUBJECT) % {
            "period": "11/2025", "count": 2, "unit": "Bộ Nội vụ"}

    mail.outbox.clear()
    again = run(record_late_reports, date(2025, 11, 19), django_capture_on_commit_callbacks)
    assert (again["recorded"], again["notified"]) == (0, 0)
    assert mail.outbox == []
    assert ReportLateness.objects.count() == 4


def test_a_report_sent_after_a_run_gets_its_submission_time_on_the_next(scene, november):
    run(record_late_reports, date(2025, 11, 18))
    sent = at(date(2025, 11, 19), 9)
    ProgressReport.objects.filter(task=scene["tasks"][1]).update(
        state=State.SUBMITTED, submitted_by=scene["byt_reporter"], submitted_at=sent)
    counts = run(record_late_reports, date(2025, 11, 20))
    assert (counts["recorded"], counts["updated"], counts["notified"]) == (0, 1, 0)
    assert late_rows(november)[("1.2", "BYT")] == sent


def test_only_the_latest_periods_past_their_deadline_are_looked_at(scene):
    september = ReportingPeriodFactory(year=2025, month=9)
    october = ReportingPeriodFactory(year=2025, month=10)
    counts = run(record_late_reports, date(2025, 11, 18))
    assert counts["periods"] == 2
    assert ReportLateness.objects.filter(period=october).count() == 5  # nothing was sent then
    assert not ReportLateness.objects.filter(period=september).exists()


def test_a_unit_without_a_leader_has_its_lateness_told_to_the_leader_above(november):
    ministry = UnitFactory(code="BYT", kind=Unit.Kind.MINISTRY)
    department = UnitFactory(code="BYT-KHTC", parent=ministry)
    person("minister_office", ministry, User.Role.LEADER)
    person("dept_reporter", department)
    person("other_leader", UnitFactory(code="BNV"), User.Role.LEADER)
    TaskFactory(lead_unit=department)
    run(record_late_reports, date(2025, 11, 18))
    assert notified(Kind.REPORT_LATE) == ["minister_office"]


def test_the_monthly_figures_are_built_once_after_the_deadline_and_the_secretariat_told_once(
        programme, november, django_capture_on_commit_callbacks):
    secretariat = person("secretariat", None, User.Role.SECRETARIAT, language="en")
    person("leadership", None, User.Role.LEADERSHIP)

    assert run(build_monthly_report_data, date(2025, 11, 17))["built"] == 0
    counts = run(build_monthly_report_data, date(2025, 11, 18),
                 django_capture_on_commit_callbacks)
    assert counts == {"built": 1, "notified": 1, "tasks": 5}
    assert mailed_to() == ["secretariat@example.gov.vn"]
    message = Notification.objects.get(kind=Kind.MONTHLY_REPORT, recipient=secretariat)
    assert message.subject == "The figures of the monthly report for 11/2025 are ready"
    assert "5 tasks, 2 overdue" in message.body

    stored = MonthlyReportData.objects.get(period=november)
    assert stored.generated_by_job
    data = stored.data
    assert json.loads(json.dumps(data)) == data
    assert data["period"]["ends_on"] == "2025-11-14"
    assert data["previous_ends_on"] == "2025-10-14"
    assert data["status"] == {
        "total": 5,
        "counts": {"completed_on_time": 1, "completed_late": 1, "in_progress": 1, "overdue": 2},
        "previous": {"completed_on_time": 0, "completed_late": 0, "in_progress": 4,
                     "overdue": 1},
        "change": {"completed_on_time": 1, "completed_late": 1, "in_progress": -3,
                   "overdue": 1},
    }
    assert [(g["number"], g["counts"], g["change"]["overdue"]) for g in data["by_group"]] == [
        (1, {"completed_on_time": 1, "completed_late": 0, "in_progress": 0, "overdue": 1}, 1),
        (2, {"completed_on_time": 0, "completed_late": 1, "in_progress": 1, "overdue": 1}, 0),
    ]
    assert [(t["code"], t["days_overdue"], t["reason"], t["lead_unit"]["unit_code"])
            for t in data["overdue"]] == [
        ("1.1", 15, "Chờ ý kiến Bộ Tư pháp", "BYT"),
        ("2.3", 14, "", "BYT"),
    ]
    assert data["overdue_by_unit"] == [
        {"unit_id": programme["overdue"].lead_unit_id, "unit_code": "BYT",
         "unit_name": "Bộ Y tế", "unit_name_en": "", "overdue": 2}]
    assert [(t["code"], t["due"]) for t in data["upcoming_deadlines"]] == [
        ("2.2", "2025-11-30"), ("2.3", "2025-11-30")]
    assert [(d["unit_code"], d["task_code"], d["text"]) for d in data["difficulties"]] == [
        ("BYT", "1.1", "Chờ ý kiến Bộ Tư pháp"), ("BNV", "1.1", "Thiếu biên chế")]
    assert [(p["unit_code"], p["text"]) for p in data["proposals"]] == [
        ("BYT", "Đề nghị gia hạn đến 31/12/2025")]
    assert {row["unit_code"]: (row["expected"], row["on_time"]) for row in data["compliance"]} \
        == {"BYT": (3, 1), "BNV": (3, 1)}

    mail.outbox.clear()
    assert run(build_monthly_report_data, date(2025, 11, 19),
               django_capture_on_commit_callbacks) == {"built": 0, "notified": 0, "tasks": 0}
    assert mail.outbox == []
    assert MonthlyReportData.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.MONTHLY_REPORT).count() == 1


def test_the_monthly_figures_are_for_the_latest_period_whose_deadline_has_passed(programme):
    october = ReportingPeriodFactory(year=2025, month=10)
    run(build_monthly_report_data, date(2025, 11, 17))
    assert MonthlyReportData.objects.get().period == october


def test_workflow_steps_tell_the_right_people_once(workflow, django_capture_on_commit_callbacks):
    report = workflow["report"]
    with django_capture_on_commit_callbacks(execute=True):
        report = progress_report_submit(report=report, actor=workflow["reporter"])
    assert notified(Kind.REPORT_WORKFLOW) == ["leader", "minister"]
    assert mailed_to() == ["leader@example.gov.vn", "minister@example.gov.vn"]
    to_leader = Notification.objects.get(recipient=workflow["leader"])
    assert to_leader.subject == "Report to approve: 2.5 · Vụ Tổ chức cán bộ · 11/2025"
    assert to_leader.link == f"/tasks/{workflow['task'].pk}/reports/{report.unit_id}/2025-11/"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = progress_report_return(report=report, actor=workflow["leader"],
                                        comment="Bổ sung số liệu tháng 11")
    # The reporter wrote and submitted it: one notification, not two.
    returned = Notification.objects.filter(key__startswith="report-returned")
    assert [n.recipient.username for n in returned] == ["reporter"]
    assert "Bổ sung số liệu tháng 11" in returned[0].body
    with translation.override("vi"):
        assert returned[0].subject == str(RETURNED_SUBJECT) % {"task": "2.5",
                                                                "period": "11/2025"}
    assert mailed_to() == ["reporter@example.gov.vn"]

    # Sent again: a new event for the leaders.
    report = progress_report_submit(report=report, actor=workflow["reporter"])
    assert Notification.objects.filter(key__startswith="report-submitted",
                                       recipient=workflow["leader"]).count() == 2

    progress_report_approve(report=report, actor=workflow["minister"])
    assert notified(key__startswith="report-approved") == ["reporter"]
    assert not Notification.objects.filter(recipient=workflow["stranger"]).exists()
    assert not Notification.objects.filter(recipient=workflow["minister"],
                                           key__startswith="report-approved").exists()


def test_a_leader_who_submits_is_not_told_of_their_own_step(workflow):
    progress_report_submit(report=workflow["report"], actor=workflow["leader"])
    assert notified(Kind.REPORT_WORKFLOW) == ["minister"]


def test_the_commands_run_the_jobs_on_a_date_and_print_the_counts(scene):
    out = StringIO()
    call_command("record_late_reports", "--date", "2025-11-18", stdout=out)
    assert "recorded=4" in out.getvalue()
    out = StringIO()
    call_command("remind_missing_reports", "--date", "2025-11-16", stdout=out)
    assert "notified=4" in out.getvalue()
    out = StringIO()
    call_command("build_monthly_report_data", "--date", "2025-11-18", stdout=out)
    assert "built=1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("record_late_reports", "--date", "18/11/2025")


def test_jobs_default_to_today(scene, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 11, 18))
    assert record_late_reports()["recorded"] == 4
    assert record_late_reports.delay().get()["recorded"] == 0  # through Celery (eager)
