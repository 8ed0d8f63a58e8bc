"""Plans cascade in the tasks app: the rule of `implements`, the filter of a programme with its
plans, coverage, the importer's and the export's column."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from tasks.cascade import coverage_gaps, resolution_and_plans_ids
from tasks.exchange.exporting import tasks_export
from tasks.exchange.importing import ImportOptions, import_apply, import_plan
from tasks.exchange.reading import table_read
from tasks.facts import task_annotate_facts
from tasks.filters import TaskFilter
from tasks.models import Resolution, Task
from tasks.services import resolution_update, task_create, task_update
from tests.cascade_world import cascade_world
from tests.factories import ResolutionFactory, TaskFactory, TaskGroupFactory, UserFactory
from units.models import User

from .appendix import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return cascade_world()


@pytest.fixture
def actor(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)


def test_a_plan_task_implements_a_task_of_the_programme_its_plan_implements(world, actor):
    task = task_create(actor=actor, group=world["plan_group"], code="1.2.1", title="Cụ thể hóa",
                       lead_unit=world["second"], deadline_text="Quý II/2026",
                       implements=world["other"])
    assert task.implements == world["other"]
    assert set(world["parent"].implemented_by.all()) == {world["late"], world["early"]}


def test_a_task_of_another_resolution_or_further_up_is_refused(world, actor):
    stranger = TaskFactory(code="9.9")  # a task of an unrelated programme
    with pytest.raises(ValidationError) as error:
        task_create(actor=actor, group=world["plan_group"], code="1.9", title="Sai",
                    lead_unit=world["second"], implements=stranger)
    assert "282/NQ-CP" in str(error.value.message_dict["implements"])
    # A department's plan under the ministry's plan implements the ministry's tasks, not the
    # programme's directly.
    sub = ResolutionFactory(number="KH-M-A", kind=Resolution.Kind.PLAN, implements=world["plan"],
                            owner_unit=world["first"])
    group = TaskGroupFactory(resolution=sub, number=1)
    with pytest.raises(ValidationError):
        task_create(actor=actor, group=group, code="1", title="Sai cấp", lead_unit=world["first"],
                    implements=world["parent"])
    fine = task_create(actor=actor, group=group, code="1", title="Đúng cấp",
                       lead_unit=world["first"], implements=world["late"])
    assert fine.implements.implements == world["parent"]
    assert not Task.objects.filter(title__in=["Sai", "Sai cấp"]).exists()


def test_a_programme_task_implements_nothing_and_no_task_implements_itself(world, actor):
    with override("en"), pytest.raises(ValidationError) as error:
        task_update(task=world["other"], actor=actor, implements=world["parent"])
    assert "implements no other resolution" in str(error.value)
    with pytest.raises(ValidationError):
        task_update(task=world["late"], actor=actor, implements=world["late"])
    world["late"].refresh_from_db()
    assert world["late"].implements == world["parent"]
    task_update(task=world["late"], actor=actor, implements=None)
    world["late"].refresh_from_db()
    assert world["late"].implements is None


def test_a_plan_keeps_the_programme_its_tasks_implement(world, actor):
    elsewhere = ResolutionFactory(number="71/NQ-CP")
    with pytest.raises(ValidationError):
        resolution_update(resolution=world["plan"], actor=actor, implements=elsewhere)
    world["plan"].refresh_from_db()
    assert world["plan"].implements == world["programme"]


def test_the_filter_takes_the_programme_with_the_plans_under_it(world):
    sub = ResolutionFactory(number="KH-M-A", kind=Resolution.Kind.PLAN, implements=world["plan"])
    deep = TaskFactory(group=TaskGroupFactory(resolution=sub, number=1), code="1",
                       lead_unit=world["first"])
    assert set(resolution_and_plans_ids(world["programme"].pk)) == {
        world["programme"].pk, world["plan"].pk, sub.pk}
    queryset = task_annotate_facts(Task.objects.all(), on=timezone.localdate())
    alone = TaskFilter({"resolution": world["programme"].pk}, queryset=queryset).qs
    assert {task.code for task in alone} == {"1.1", "1.2", "1.3"}
    both = TaskFilter({"resolution": world["programme"].pk, "include_plans": "1"},
                      queryset=queryset).qs
    assert set(both) == {world["parent"], world["other"], world["provincial"], world["late"],
                         world["early"], deep}
    by_parent = TaskFilter({"implements": world["parent"].pk}, queryset=queryset).qs
    assert set(by_parent) == {world["late"], world["early"]}


def test_coverage_names_the_units_that_have_not_broken_down_their_tasks(world):
    gaps = coverage_gaps(tasks=Task.objects.all(), on=timezone.localdate())
    # 1.1 is broken down in the ministry's plan; 1.2 (led by a department of the ministry) is not,
    # and the province has no plan at all. The plan's own tasks are expected from no one.
    assert {(gap.task_id, gap.unit_id, gap.plan_id) for gap in gaps} == {
        (world["other"].pk, world["second"].pk, world["plan"].pk),
        (world["provincial"].pk, world["province"].pk, None)}
    Task.objects.filter(pk=world["other"].pk).update(completed_on=date(2025, 12, 1))
    assert [gap.unit_id for gap in coverage_gaps(tasks=Task.objects.all(),
                                                 on=timezone.localdate())] == [
        world["province"].pk]


def test_coverage_reads_a_collective_lead_as_each_member(world):
    from tests.factories import UnitFactory

    provinces = UnitFactory(code="UBND", name="UBND các tỉnh", kind="collective")
    other_province = UnitFactory(code="Q", name="Tỉnh Q", kind="province")
    provinces.members.set([world["province"], other_province])
    task = TaskFactory(group=world["group"], code="1.4", lead_unit=provinces)
    plan = ResolutionFactory(number="KH-Q", kind=Resolution.Kind.PLAN,
                             implements=world["programme"], owner_unit=other_province)
    TaskFactory(group=TaskGroupFactory(resolution=plan, number=1), code="1", implements=task,
                lead_unit=other_province)
    gaps = [gap for gap in coverage_gaps(tasks=Task.objects.all(), on=timezone.localdate())
            if gap.task_id == task.pk]
    assert [gap.unit_id for gap in gaps] == [world["province"].pk]


HEADER = ["Mã nhiệm vụ", "Nhóm nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành",
          "Mã nhiệm vụ cấp trên"]


def _plan(resolution, rows):
    with override("vi"):
        return import_plan(resolution=resolution, options=ImportOptions(),
                           table=table_read(content=csv_file(HEADER, rows), name="kh.csv"))


def test_the_importer_reads_the_parent_task_by_its_code_in_the_programme(world, actor):
    plan = _plan(world["plan"], [
        ["1.2.1", "1", "Cụ thể hóa nhiệm vụ 1.2", "M-B", "Quý II/2026", "1.2"],
        ["1.1.1", "1", world["late"].title, "M-A", "31/12/2026", "1.3"],
    ])
    assert plan.errors == []
    assert any(change["new"] == "1.3" for row in plan.rows for change in row.changes)
    import_apply(plan=plan, actor=actor, reason="Nhập kế hoạch")
    assert Task.objects.get(resolution=world["plan"], code="1.2.1").implements == world["other"]
    world["late"].refresh_from_db()
    assert world["late"].implements == world["provincial"]


def test_an_unknown_parent_code_is_the_rows_error_and_nothing_changes(world):
    plan = _plan(world["plan"], [
        ["1.2.1", "1", "Cụ thể hóa", "M-B", "Quý II/2026", "7.7"],
        ["1.1.1", "1", world["late"].title, "M-A", "31/12/2026", "1.3"],
    ])
    assert [(error["row"], error["code"]) for error in plan.errors] == [(2, "1.2.1")]
    assert "282/NQ-CP" in plan.errors[0]["message"] and "7.7" in plan.errors[0]["message"]
    on_programme = _plan(world["programme"], [["1.1", "1", world["parent"].title, "M-A",
                                              "30/06/2026", "1.1"]])
    assert on_programme.errors[0]["message"] == (
        "282/NQ-CP không triển khai nghị quyết nào khác: cột nhiệm vụ cấp trên phải để trống.")
    assert not Task.objects.filter(code="1.2.1").exists()
    world["late"].refresh_from_db()
    assert world["late"].implements == world["parent"]


def test_the_export_writes_the_parent_code_and_imports_back_unchanged(world):
    content, _name, _type = tasks_export(Task.objects.filter(resolution=world["plan"]),
                                         file_format="csv")
    text = content.decode("utf-8-sig")
    header, *rows = text.splitlines()
    assert header.endswith(",Nhiệm vụ của Chương trình được cụ thể hóa")
    assert len(rows) == 2 and all(row.endswith(",1.1") for row in rows)  # both implement 1.1
    plan = _plan_from(world["plan"], content)
    assert plan.errors == [] and plan.counts()["update"] == 0


def _plan_from(resolution, content):
    with override("vi"):
        return import_plan(resolution=resolution, options=ImportOptions(),
                           table=table_read(content=content, name="export.csv"))


def test_the_task_form_of_a_plan_offers_the_programmes_tasks(client, world, actor):
    from django.urls import reverse

    client.force_login(actor)
    url = reverse("tasks:task_new", args=[world["plan"].pk])
    form = client.get(url).context["form"]
    assert set(form.fields["implements"].queryset) == {
        world["parent"], world["other"], world["provincial"]}
    assert "implements" not in client.get(
        reverse("tasks:task_new", args=[world["programme"].pk])).context["form"].fields
    data = {"group": world["plan_group"].pk, "code": "1.2.1", "title": "Cụ thể hóa 1.2",
            "lead_unit": world["second"].pk, "deadline_text": "Quý II/2026",
            "implements": world["other"].pk, "outputs-TOTAL_FORMS": "0",
            "outputs-INITIAL_FORMS": "0"}
    assert client.post(url, data).status_code == 302
    assert Task.objects.get(code="1.2.1").implements == world["other"]
    refused = client.post(url, {**data, "code": "1.2.2", "implements": world["late"].pk})
    assert refused.status_code == 400 and not Task.objects.filter(code="1.2.2").exists()
