"""The home page's first panel: what waits for each role now, and the count in the navigation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import FileJob
from reports.models import MonthlyReportData, ProgressReport
from reports.periods import period_open
from reports.services import (
    progress_report_return,
    progress_report_save_draft,
    progress_report_submit,
)
from reports.waiting import waiting_count
from tests.factories import ReportingPeriodFactory, TaskFactory, UnitFactory, UserFactory
from units.models import User


def _queries(client, url=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url or reverse("home")).status_code == 200
    return len(context.captured_queries)


def _page(client):
    return client.get(reverse("home")).content.decode()


def _waiting_part(page: str) -> str:
    return page[page.index('id="waiting"'):page.index('id="my-tasks"')]


def _draft(task, unit, actor, period=None):
    return progress_report_save_draft(actor=actor, task=task, unit=unit,
                                      period=period or period_open(on=timezone.localdate()),
                                      percent_complete=40, results="Đã xây dựng dự thảo.")


def _submitted(task, unit, actor):
    return progress_report_submit(report=_draft(task, unit, actor), actor=actor)


# --- A reporter -------------------------------------------------------------------------------


def test_a_reporters_home_leads_with_the_returned_report_then_drafts_then_those_not_started(
        client, reporter, leader, department):
    not_started = TaskFactory(lead_unit=department, code="1.1", title="Việc chưa viết")
    draft = TaskFactory(lead_unit=department, code="1.2", title="Việc đang viết dở")
    returned = TaskFactory(lead_unit=department, code="1.3", title="Việc bị trả lại")
    submitted = TaskFactory(lead_unit=department, code="1.4", title="Việc đã trình")
    _draft(draft, department, reporter)
    progress_report_return(report=_submitted(returned, department, reporter), actor=leader,
                           comment="Bổ sung số liệu của quý")
    _submitted(submitted, department, reporter)
    client.force_login(reporter)

    part = _waiting_part(_page(client))

    assert "Báo cáo cần viết trong kỳ này" in part and "(3)" in part
    order = [part.index(title) for title in ("Việc bị trả lại", "Việc đang viết dở",
                                             "Việc chưa viết", "Việc đã trình")]
    assert order == sorted(order)
    assert "Bổ sung số liệu của quý" in part  # the leader's comment, before the report itself
    period = period_open(on=timezone.localdate())
    assert reverse("report", args=[not_started.pk, department.pk, period.year,
                                   period.month]) in part
    assert period.submission_deadline.strftime("%d/%m/%Y") in part
    # a reporter is no leader: nothing to approve
    assert "chờ bạn phê duyệt" not in part


def test_with_everything_submitted_the_reporter_is_told_what_to_do_next(client, reporter,
                                                                        department):
    _submitted(TaskFactory(lead_unit=department), department, reporter)
    client.force_login(reporter)
    part = _waiting_part(_page(client))
    assert "Không còn báo cáo cần viết" in part
    assert reverse("tasks:list") in part


def test_a_reporter_sees_nothing_of_another_units_reports(client, other_reporter, reporter,
                                                         department, other_unit):
    TaskFactory(lead_unit=department, title="Việc của Vụ Tổ chức cán bộ")
    client.force_login(other_reporter)
    assert "Việc của Vụ Tổ chức cán bộ" not in _waiting_part(_page(client))


def test_a_reporters_home_takes_the_same_queries_for_3_and_30_reports_to_write(
        client, reporter, department, other_unit):
    client.force_login(reporter)

    def add(count):
        for _ in range(count):
            task = TaskFactory(lead_unit=department, coordinating_units=[other_unit])
            _draft(task, department, reporter)

    add(3)
    client.get(reverse("home"))
    small = _queries(client)
    add(27)
    client.get(reverse("home"))
    assert "(30)" in _waiting_part(_page(client))
    assert _queries(client) == small


# --- A unit leader ----------------------------------------------------------------------------


def test_a_leader_sees_the_reports_waiting_oldest_first_then_their_units_reports_to_write(
        client, reporter, leader, department):
    older = TaskFactory(lead_unit=department, title="Trình trước")
    newer = TaskFactory(lead_unit=department, title="Trình sau")
    TaskFactory(lead_unit=department, title="Chưa ai viết")
    first = _submitted(older, department, reporter)
    _submitted(newer, department, reporter)
    ProgressReport.objects.filter(pk=first.pk).update(
        submitted_at=timezone.now() - timedelta(days=2))
    client.force_login(leader)

    part = _waiting_part(_page(client))

    assert "Báo cáo chờ bạn phê duyệt" in part and "(2)" in part
    assert part.index("Trình trước") < part.index("Trình sau") < part.index("Chưa ai viết")
    assert "Báo cáo đơn vị còn phải viết" in part
    period = first.period
    assert reverse("report", args=[older.pk, department.pk, period.year, period.month]) in part


def test_a_leader_of_another_unit_sees_none_of_them(client, reporter, department, other_unit):
    _submitted(TaskFactory(lead_unit=department, title="Báo cáo của Vụ"), department, reporter)
    other_leader = UserFactory(role=User.Role.LEADER, unit=other_unit)
    client.force_login(other_leader)
    part = _waiting_part(_page(client))
    assert "Báo cáo của Vụ" not in part
    assert "Không có báo cáo nào chờ bạn phê duyệt" in part
    assert waiting_count(user=other_leader, on=timezone.localdate()) == 0


def test_a_leaders_home_takes_the_same_queries_for_3_and_30_reports_waiting(
        client, reporter, leader, department):
    client.force_login(leader)

    def add(count):
        for _ in range(count):
            _submitted(TaskFactory(lead_unit=department), department, reporter)

    add(3)
    client.get(reverse("home"))
    small = _queries(client)
    add(27)
    client.get(reverse("home"))
    assert "(30)" in _waiting_part(_page(client))
    assert _queries(client) == small


# --- The secretariat --------------------------------------------------------------------------


@pytest.fixture
def closed_period(db):
    """A period whose reports were due yesterday at the latest: its monthly report is due."""
    today = timezone.localdate()
    month = today.replace(day=1) - timedelta(days=40)
    period = ReportingPeriodFactory(year=month.year, month=month.month)
    assert period.submission_deadline < today
    return period


def test_the_secretariat_is_told_the_monthly_reports_next_step(client, secretariat,
                                                              closed_period):
    client.force_login(secretariat)
    part = _waiting_part(_page(client))
    assert f"Báo cáo tháng của kỳ {closed_period}" in part
    assert "Chuẩn bị bản dự thảo" in part

    MonthlyReportData.objects.create(period=closed_period, data={"status": {}}, progress=100)
    part = _waiting_part(_page(client))
    assert "Ban hành báo cáo" in part
    assert reverse("monthly_reports") + "#issue-current" in part
    assert waiting_count(user=secretariat, on=timezone.localdate()) == 1


def test_the_secretariat_sees_tasks_lacking_a_clarity_and_their_own_imports(
        client, secretariat, department):
    TaskFactory(lead_unit=department, responsible_official="")  # lacks "person"
    TaskFactory(lead_unit=department)
    job = FileJob.objects.create(kind=FileJob.Kind.TASK_IMPORT, created_by=secretariat,
                                 state=FileJob.State.CHECKED, source_name="nhiem-vu.xlsx")
    FileJob.objects.create(kind=FileJob.Kind.TASK_IMPORT, created_by=UserFactory(),
                           state=FileJob.State.CHECKED, source_name="cua-nguoi-khac.xlsx")
    client.force_login(secretariat)
    part = _waiting_part(_page(client))
    assert "Nhiệm vụ chưa đủ “6 rõ” <span class=\"count\">(1)" in part
    assert reverse("tasks:import_job", args=[job.pk]) in part
    assert "cua-nguoi-khac.xlsx" not in part


def test_the_secretariats_home_takes_the_same_queries_for_3_and_30_tasks_lacking_a_clarity(
        client, secretariat, department, closed_period):
    client.force_login(secretariat)

    def add(count):
        for _ in range(count):
            TaskFactory(lead_unit=department, responsible_official="")

    add(3)
    client.get(reverse("home"))
    small = _queries(client)
    add(27)
    client.get(reverse("home"))
    assert "(30)" in _waiting_part(_page(client))
    assert _queries(client) == small


# --- Leadership, and the navigation -----------------------------------------------------------


def test_leaderships_home_is_the_dashboards_first_screen(client, department):
    TaskFactory(lead_unit=department)
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    part = _waiting_part(_page(client))
    assert "Tình hình thực hiện chương trình" in part  # the first screen's headline
    assert "Đơn vị chậm nhất" in part
    assert reverse("dashboard") in part


@pytest.mark.parametrize("role", ["reporter", "leader", "secretariat", "leadership"])
def test_the_navigation_counts_what_waits_in_one_query(django_assert_max_num_queries, role,
                                                      reporter, leader, secretariat, department,
                                                      closed_period):
    _submitted(TaskFactory(lead_unit=department), department, reporter)
    TaskFactory(lead_unit=department)
    user = {"reporter": reporter, "leader": leader, "secretariat": secretariat,
            "leadership": UserFactory(role=User.Role.LEADERSHIP, unit=None)}[role]
    today = timezone.localdate()
    waiting_count(user=user, on=today)  # the per-task facts of the day computed once
    # reporter: one task without a submitted report; leader: one report to approve;
    # secretariat: the monthly report due; leadership: both tasks are past their deadline
    expected = {"reporter": 1, "leader": 1, "secretariat": 1, "leadership": 2}[role]
    # leadership's count reads the per-task facts, which first check that none is stale
    with django_assert_max_num_queries(3 if role == "leadership" else 2):
        assert waiting_count(user=user, on=today) == expected


def test_the_count_is_shown_beside_to_do_on_every_page(client, reporter, department):
    TaskFactory(lead_unit=department)
    client.force_login(reporter)
    page = client.get(reverse("tasks:list")).content.decode()
    assert 'id="waiting-count">1<' in page
    assert "việc đang chờ" in page  # said after the count to whoever cannot see the badge


def test_a_reporters_count_follows_each_change_on_the_next_page(client, reporter, department,
                                                                other_unit):
    """The count on every page is kept between pages, and counted again after any change it
    reads: a report written or submitted, a task given to the unit or completed."""
    first, second = TaskFactory(lead_unit=department), TaskFactory(lead_unit=department)
    client.force_login(reporter)

    def shown():
        page = client.get(reverse("password_change")).content.decode()
        return page.split('id="waiting-count">', 1)[1].split("<", 1)[0] \
            if 'id="waiting-count">' in page else "0"

    assert shown() == "2"
    assert shown() == "2"  # the same, kept
    _submitted(first, department, reporter)
    assert shown() == "1"
    third = TaskFactory(lead_unit=other_unit, coordinating_units=[department])
    assert shown() == "2"
    third.completed_on = timezone.localdate() - timedelta(days=400)
    third.save()
    second.delete()
    assert shown() == "0"


def test_an_empty_task_list_says_what_comes_next(client, db):
    client.force_login(UserFactory(role=User.Role.REPORTER, unit=UnitFactory()))
    page = _page(client)
    assert "Đơn vị của bạn chưa chủ trì hay phối hợp nhiệm vụ nào" in page


def test_a_later_feature_adds_its_line_to_the_secretariats_panel(client, secretariat,
                                                                monkeypatch):
    from reports import waiting

    def explanations(*, user, on):
        return [waiting.WaitingItem(key="explanations", count=2, label="Giải trình chờ xem xét",
                                    url="/giai-trinh/", action="Xem các giải trình")]

    monkeypatch.setattr(waiting, "SECRETARIAT_ITEMS", [])
    waiting.register_secretariat_item(explanations)
    client.force_login(secretariat)
    part = _waiting_part(_page(client))
    assert "Giải trình chờ xem xét" in part and 'href="/giai-trinh/"' in part
