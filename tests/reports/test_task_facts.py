"""The per-task facts every figure reads stay equal to a recomputation from scratch after every
kind of change, however it is written (services, the ORM, bulk updates, raw SQL, an import)."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from reports.models import ProgressReport
from reports.services import progress_report_approve, progress_report_reopen
from tasks.facts import facts_fill
from tasks.models import OccurrenceCompletion, Output, Task, TaskFacts, TaskFactsDay, TaskFactsStale
from tasks.services.deadlines import task_change_deadline
from tests.factories import TaskFactory, UserFactory
from units.models import User

from .dashboard_programme import BEFORE, ON, build

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in TaskFacts._meta.fields if field.attname != "id"]


def _stored() -> list[tuple]:
    for day in (ON, BEFORE):
        facts_fill(day=day)
    return sorted(TaskFacts.objects.values_list(*FIELDS))


def _from_scratch() -> list[tuple]:
    with transaction.atomic():
        TaskFacts.objects.all().delete()
        TaskFactsDay.objects.all().delete()
        rows = _stored()
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def programme():
    built = build()
    built["secretariat"] = UserFactory(role=User.Role.SECRETARIAT, unit=built["units"]["M"])
    built["leader"] = UserFactory(role=User.Role.LEADER, unit=built["units"]["D2"])
    _stored()
    return built


def _report(task, unit, period):
    return ProgressReport.objects.get(task=task, unit=unit, period=period)


def _approve(programme):
    t, units, periods = programme["tasks"], programme["units"], programme["periods"]
    report = _report(t["A5"], units["O"], periods[4])  # 95%: A5's trend changes
    leader = UserFactory(role=User.Role.LEADER, unit=units["O"])
    progress_report_approve(report=report, actor=leader)


def _reopen(programme):
    t, units, periods = programme["tasks"], programme["units"], programme["periods"]
    report = _report(t["A4"], units["D2"], periods[3])
    progress_report_reopen(report=report, actor=programme["secretariat"], reason="Số liệu sai")


def _deadline(programme):
    task_change_deadline(task=programme["tasks"]["A3"], actor=programme["secretariat"],
                         deadline_text="30/06/2026", decision_number="12/QĐ-BYT",
                         decision_date=date(2026, 3, 1), decision_authority="Bộ trưởng")


def _edit(programme):
    task = Task.objects.get(pk=programme["tasks"]["B1"].pk)
    task.title = "Hoàn thiện thể chế"
    task.save()


CHANGES = {
    "report approved": _approve,
    "report reopened": _reopen,
    "deadline changed": _deadline,
    "task edited": _edit,
    "completed in bulk": lambda p: Task.objects.filter(pk=p["tasks"]["A4"].pk).update(
        completed_on=date(2026, 3, 10)),
    "raw SQL": lambda p: connection.cursor().execute(
        "UPDATE tasks_task SET competent_authority = '' WHERE id = %s", [p["tasks"]["A1"].pk]),
    "output added": lambda p: Output.objects.create(task=p["tasks"]["B5"], title="Báo cáo"),
    "occurrence done": lambda p: OccurrenceCompletion.objects.create(
        task=p["tasks"]["B2"], due=date(2026, 2, 28), completed_on=date(2026, 3, 1)),
    "coordinator added": lambda p: p["tasks"]["A6"].coordinating_units.add(p["units"]["O"]),
    "designation emptied": lambda p: p["units"]["C"].members.clear(),
    "resolution re-dated": lambda p: type(p["resolutions"]["R"]).objects.filter(
        pk=p["resolutions"]["R"].pk).update(issued_on=date(2026, 2, 1)),
    "approvals withdrawn in bulk": lambda p: ProgressReport.objects.filter(
        task=p["tasks"]["A6"]).update(state=ProgressReport.State.SUBMITTED),
    "period re-dated": lambda p: type(p["periods"][2]).objects.filter(
        pk=p["periods"][2].pk).update(ends_on=date(2026, 2, 13)),
    "task added": lambda p: TaskFactory(code="3.1", lead_unit=p["units"]["D1"],
                                        deadline=date(2026, 3, 1)),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_facts_equal_a_recomputation_after_every_change(programme, change):
    before = _stored()
    CHANGES[change](programme)
    after = _stored()
    assert not TaskFactsStale.objects.exists()  # computed again, and the list cleared
    assert after == _from_scratch()
    assert after != before  # the change is one the facts see


def test_an_import_is_seen_by_the_facts(tmp_path):
    from tasks.reference import reference_load
    from tests.tasks.appendix import appendix_workbook

    reference_load()
    UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)
    path = tmp_path / "phu-luc-282.xlsx"
    path.write_bytes(appendix_workbook())
    _stored()
    call_command("import_tasks", str(path), "--resolution", "282/NQ-CP",
                 "--number-within-group", "--user", "dau-moi", stdout=io.StringIO())
    after = _stored()
    assert len({row[FIELDS.index("task_id")] for row in after}) == 9
    assert after == _from_scratch()


def test_a_draft_being_edited_leaves_the_facts_alone(programme):
    draft = ProgressReport.objects.filter(state=ProgressReport.State.DRAFT).first()
    kept = TaskFacts.objects.filter(task=draft.task).count()
    draft.percent_complete = 80
    draft.save()
    assert TaskFacts.objects.filter(task=draft.task).count() == kept


def test_the_nightly_job_computes_the_day_and_forgets_the_rest(programme):
    call_command("refresh_task_facts", "--date", "2026-03-21", stdout=io.StringIO())
    days = set(TaskFacts.objects.values_list("day", flat=True).distinct())
    assert date(2026, 3, 21) in days and BEFORE in days
    assert ON not in days  # not a cut-off: forgotten
    assert TaskFacts.objects.filter(day=date(2026, 3, 21)).count() == Task.objects.count()


def test_a_change_costs_the_rows_of_the_task_changed_only(programme):
    Task.objects.filter(pk=programme["tasks"]["A3"].pk).update(title="Sửa tên")
    assert list(TaskFactsStale.objects.values_list("task_id", flat=True)) == \
        [programme["tasks"]["A3"].pk]
    assert facts_fill(day=ON) == 2  # its rows on both stored days, nothing else
    assert facts_fill(day=ON) == 0


def test_the_writer_pays_a_browser_change_leaves_nothing_stale_for_the_next_reader(
        client, programme):
    """A request that writes settles the facts of what it changed (config.middleware), so the
    next dashboard reads stored rows; a request that only reads settles nothing."""
    from django.urls import reverse

    task = programme["tasks"]["A3"]
    client.force_login(programme["secretariat"])
    data = {"group": task.group_id, "code": "9.9", "title": "Ban hành Thông tư mới",
            "lead_unit": task.lead_unit_id, "competent_authority": "government",
            "responsible_official": "Vụ trưởng", "deadline_text": "Quý I/2026",
            "outputs-TOTAL_FORMS": "0", "outputs-INITIAL_FORMS": "0"}
    response = client.post(reverse("tasks:task_new", args=[task.resolution_id]), data)
    assert response.status_code == 302
    created = Task.objects.get(code="9.9")
    assert not TaskFactsStale.objects.exists()
    stored = set(TaskFactsDay.objects.values_list("day", flat=True))
    assert {ON, BEFORE} <= stored  # and the days leadership's first screen reads today
    assert set(TaskFacts.objects.filter(task=created).values_list("day", flat=True)) == stored
    TaskFactsDay.objects.exclude(day__in=[ON, BEFORE]).delete()
    TaskFacts.objects.exclude(day__in=[ON, BEFORE]).delete()
    assert _stored() == _from_scratch()

    Task.objects.filter(pk=task.pk).update(title="Sửa tên")  # outside any request
    client.get(reverse("password_change"))
    assert TaskFactsStale.objects.exists()  # a page that reads no figure leaves them alone
    client.get(reverse("tasks:list"))
    assert not TaskFactsStale.objects.exists()  # a page that reads them settles them first
