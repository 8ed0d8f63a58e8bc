"""Appendices as ministries circulate them, not only our template: group rows in every usual
form, sub-headings, two-line headers and merged cells, several bodies in a cell, the deadline
phrases appendices use, a notes column."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks.exchange.matching import GroupIndex
from tasks.exchange.reading import table_read
from tasks.exchange.sections import GROUP, SUBHEADING, table_headings
from tasks.models import Output, Task, TaskGroup

from .appendices import (
    EXPECTED_ROMAN,
    EXPECTED_TWO_LINE,
    GROUP_NAMES,
    ROMAN_HEADER,
    ROMAN_TASKS,
    large_appendix,
    large_tasks,
    roman_appendix,
    two_line_appendix,
    workbook_bytes,
)
from .test_import import AS_WRITTEN, WITHIN_GROUP, actor, plan_of, resolution, run_import

__all__ = ["actor", "resolution"]  # fixtures

pytestmark = pytest.mark.django_db


def tasks_by_code(resolution):
    return {task.code: task for task in Task.objects.filter(resolution=resolution)
            .select_related("group", "lead_unit").prefetch_related("coordinating_units")}


def test_roman_group_rows_and_cells_of_several_bodies_import_as_written(resolution, actor):
    plan, counts = run_import(resolution, actor, roman_appendix(), options=WITHIN_GROUP)

    assert counts["create"] == len(EXPECTED_ROMAN) and plan.new_groups == {}
    tasks = tasks_by_code(resolution)
    assert set(tasks) == set(EXPECTED_ROMAN)
    for code, (group, lead, coordinating, kind, due) in EXPECTED_ROMAN.items():
        task = tasks[code]
        assert task.group.number == group, code
        assert task.lead_unit.code == lead, code
        assert {unit.code for unit in task.coordinating_units.all()} == coordinating, code
        assert task.deadline_kind == kind, code
        if due:
            assert task.deadline == date.fromisoformat(due), code
    assert tasks["1.2"].notes == "Phối hợp với Ban Tổ chức Trung ương"
    assert tasks["1.1"].notes == ""
    # No heading was read as a task, whatever its form.
    assert not Task.objects.filter(title__in=GROUP_NAMES.values()).exists()


def test_a_two_line_header_merged_cells_and_sub_headings(resolution, actor):
    _plan, counts = run_import(resolution, actor, two_line_appendix(), options=AS_WRITTEN)

    assert counts["create"] == len(EXPECTED_TWO_LINE)
    tasks = tasks_by_code(resolution)
    assert set(tasks) == set(EXPECTED_TWO_LINE)
    for code, (group, lead, coordinating, description, notes) in EXPECTED_TWO_LINE.items():
        task = tasks[code]
        assert (task.group.number, task.lead_unit.code) == (group, lead), code
        assert {unit.code for unit in task.coordinating_units.all()} == coordinating, code
        assert (task.description, task.notes) == (description, notes), code
    assert tasks["5.1"].deadline == date(2026, 12, 31)  # "Trước ngày 31 tháng 12 năm 2026"
    assert tasks["1.a"].outputs.get().kind == Output.Kind.DECISION


def test_a_150_task_appendix_with_arabic_numbered_groups(resolution, actor):
    _plan, counts = run_import(resolution, actor, large_appendix(150), options=AS_WRITTEN)

    assert counts["create"] == 150
    expected = {code: group for code, group, _row in large_tasks(150)}
    found = dict(Task.objects.filter(resolution=resolution).values_list("code", "group__number"))
    assert found == expected
    assert TaskGroup.objects.filter(resolution=resolution).count() == 6  # none created
    assert Task.objects.get(code="1.1").notes == "Trọng tâm"
    assert Task.objects.get(code="1.4").outputs.count() == 2


@pytest.mark.parametrize(("build", "options"), [
    (roman_appendix, WITHIN_GROUP), (two_line_appendix, AS_WRITTEN),
    (large_appendix, AS_WRITTEN)])
def test_importing_each_layout_again_changes_nothing(resolution, actor, build, options):
    content = build()
    _plan, first = run_import(resolution, actor, content, options=options)
    histories = Task.history.count(), Output.history.count()

    plan, counts = run_import(resolution, actor, content, options=options)

    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 0, first["create"])
    assert plan.report()["rows"] == []
    assert (Task.history.count(), Output.history.count()) == histories


def test_a_ministry_appendix_with_bad_rows_is_refused_whole_each_row_named(resolution):
    tasks = [(1, [*ROMAN_TASKS[0][1], ("Không có chủ trì", "", "Bộ Y tế", "Báo cáo",
                                        "Quý IV/2025", "")]),
             (2, [("Chủ trì lạ", "Bộ Không Có", "", "Báo cáo", "Năm 2026", ""),
                  ("Hạn sai", "Bộ Y tế", "", "Báo cáo", "Sớm nhất có thể", ""),
                  ("Hai chủ trì", "Bộ Văn hóa, Thể thao và Du lịch; Bộ Tài chính", "", "",
                   "Năm 2026", "")])]
    plan = plan_of(resolution, roman_appendix(tasks), options=WITHIN_GROUP)

    by_row = {}
    for error in plan.errors:
        by_row.setdefault(error["row"], []).append(error["message"])
    assert sorted(by_row) == [8, 10, 11, 12]
    assert "chủ trì" in by_row[8][0].lower()
    assert "Bộ Không Có" in by_row[10][0]
    assert "Sớm nhất có thể" in by_row[11][0]
    assert "2" in by_row[12][0] and "Bộ Tài chính" in by_row[12][0]
    assert not Task.objects.exists()


def headings_of(rows, header=ROMAN_HEADER, merges=()):
    table = table_read(content=workbook_bytes([header, *rows], merges), name="x.xlsx")
    return {table.rows[index].number: heading
            for index, heading in table_headings(table).items()}


def test_every_usual_form_of_group_row_is_a_heading():
    task = ["Bộ Y tế", "", "Báo cáo", "Năm 2026", ""]
    headings = headings_of([
        ["I", "Đổi mới mạnh mẽ tư duy"],                      # heading in the next cell
        [1, "Việc một", *task],
        ["II.", "HOÀN THIỆN THỂ CHẾ"],                        # merged across (see merges)
        [1, "Việc hai", *task],
        ["III. NÂNG CAO Y ĐỨC"],                              # one cell
        [1, "Việc ba", *task],
        [None, "Nhóm 4: Cải cách tài chính y tế"],            # in the task column
        [1, "Việc bốn", *task],
        ["Phần V", "Đột phá khoa học công nghệ"],
        [1, "Việc năm", *task],
    ], merges=["B4:G4"])
    assert {row: (h.kind, h.number, h.name) for row, h in headings.items()} == {
        2: (GROUP, 1, "Đổi mới mạnh mẽ tư duy"), 4: (GROUP, 2, "HOÀN THIỆN THỂ CHẾ"),
        6: (GROUP, 3, "NÂNG CAO Y ĐỨC"), 8: (GROUP, 4, "Cải cách tài chính y tế"),
        10: (GROUP, 5, "Đột phá khoa học công nghệ")}


def test_arabic_groups_and_sub_headings_need_tasks_under_them():
    task = ["Bộ Y tế", "", "Báo cáo", "Năm 2026", ""]
    headings = headings_of([
        [1, "ĐỔI MỚI TƯ DUY"],
        ["1.1", "Về thể chế"],
        ["a)", "Việc a", *task],
        ["1.2", "Việc 1.2", *task],
        [2, "HOÀN THIỆN THỂ CHẾ"],
        ["2.1", "Một dòng thiếu chủ trì và thời hạn"],   # no task under it: a task row
        [3, "NÂNG CAO Y ĐỨC"],
        ["3.1", "Việc 3.1", *task],
    ])
    assert {row: (h.kind, h.number, h.code) for row, h in headings.items()} == {
        2: (GROUP, 1, ""), 3: (SUBHEADING, None, "1.1"), 6: (GROUP, 2, ""),
        8: (GROUP, 3, "")}


def test_without_dotted_task_codes_a_numbered_row_is_not_a_group():
    task = ["Bộ Y tế", "", "Báo cáo", "Năm 2026", ""]
    # Under Roman groups, "2" without unit or deadline, heading no task, is a task row that
    # lacks them (reported as such), not a group.
    headings = headings_of([["I", "ĐỔI MỚI"], [1, "Việc một", *task], [2, "Thiếu chủ trì"]])
    assert list(headings) == [2]


def test_a_heading_finds_its_group_by_number_or_by_the_closest_text(resolution):
    groups = GroupIndex.load(resolution)
    assert groups.find(2, "").number == 2
    assert groups.find(None, "HOÀN THIỆN THỂ CHẾ; NÂNG CAO NĂNG LỰC HỆ THỐNG Y TẾ").number == 2
    assert groups.find(None, "Nâng cao y đức, phát triển nhân lực y tế.").number == 3
    assert groups.find(9, "Cải cách tài chính y tế; phát triển bền vững bảo hiểm y tế").number == 4
    assert groups.find(None, "Phát triển y tế số") is None
    assert groups.find(7, "Phát triển y tế số") is None


def test_a_task_row_lacking_its_unit_is_never_taken_for_a_sub_heading(resolution):
    task = ["Bộ Y tế", "", "Báo cáo", "Năm 2026", ""]
    rows = [["I", "ĐỔI MỚI"], [1, "Việc một", *task], [2, "Thiếu chủ trì và thời hạn"],
            [3, "Việc ba", *task]]
    assert list(headings_of(rows)) == [2]
    plan = plan_of(resolution, workbook_bytes([ROMAN_HEADER, *rows]), options=WITHIN_GROUP)
    assert [error["row"] for error in plan.errors] == [4]
    assert "chủ trì" in plan.errors[0]["message"].lower()


def test_the_notes_are_shown_on_the_task_page_and_exported(client, resolution, actor):
    run_import(resolution, actor, two_line_appendix(), options=AS_WRITTEN)
    task = Task.objects.get(code="5.1")
    client.force_login(actor)

    page = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert "Ghi chú" in page and "Kết nối cơ sở dữ liệu dân cư" in page

    sheet = load_workbook(io.BytesIO(client.get(reverse("tasks:export"), {
        "format": "xlsx", "resolution": resolution.pk}).content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[2]
    by_code = {row[1]: row for row in rows[3:]}
    assert by_code["5.1"][header.index("Ghi chú")] == "Kết nối cơ sở dữ liệu dân cư"
