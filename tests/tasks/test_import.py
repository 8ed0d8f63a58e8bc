"""Importing a programme's task list from its appendix: checking, previewing, writing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from tasks.deadlines import DeadlineKind
from tasks.exchange.importing import Decision, ImportOptions, import_apply, import_plan
from tasks.exchange.reading import FileRefused, table_read
from tasks.models import DeadlineChange, Output, Resolution, Task, TaskGroup
from tasks.reference import reference_load
from tests.factories import UserFactory
from units.models import Unit, User

from .appendix import EXPECTED, appendix_workbook, csv_file, simple_workbook

pytestmark = pytest.mark.django_db

WITHIN_GROUP = ImportOptions(number_within_group=True)
AS_WRITTEN = ImportOptions()
HEADER = ["Mã nhiệm vụ", "Nhóm nhiệm vụ", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Kết quả, sản phẩm", "Cấp có thẩm quyền", "Thời hạn hoàn thành"]


@pytest.fixture
def resolution(db):
    reference_load()
    return Resolution.objects.get(number="282/NQ-CP")


@pytest.fixture
def actor(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)


def plan_of(resolution, content, name="phu-luc.xlsx", options=AS_WRITTEN):
    with override("vi"):
        return import_plan(resolution=resolution, table=table_read(content=content, name=name),
                           options=options)


def run_import(resolution, actor, content, name="phu-luc.xlsx", options=AS_WRITTEN,
               decision=None):
    plan = plan_of(resolution, content, name, options)
    assert plan.errors == []
    return plan, import_apply(plan=plan, actor=actor, reason="Nhập từ tệp", decision=decision)


def test_a_realistic_appendix_is_imported_as_written(resolution, actor):
    plan, counts = run_import(resolution, actor, appendix_workbook(), options=WITHIN_GROUP)

    assert counts["create"] == 9 and counts["update"] == 0 and counts["errors"] == 0
    tasks = list(Task.objects.filter(resolution=resolution).order_by("sort_key"))
    assert [(task.code, task.deadline_kind) for task in tasks] == EXPECTED
    first = tasks[0]
    assert first.group.number == 1
    assert first.lead_unit.code == "BYT"
    assert {unit.code for unit in first.coordinating_units.all()} == {"BNV", "TT-UBNDTINH"}
    assert [(o.kind, o.title) for o in first.outputs.all()] == [
        ("scheme", "Đề án sắp xếp hệ thống y tế"), ("decision", "Quyết định phê duyệt Đề án")]
    assert first.competent_authority == "government"
    assert (first.deadline_text, first.deadline) == ("Trước tháng 12/2025", date(2025, 11, 30))

    by_code = {task.code: task for task in tasks}
    # The lead unit merged over two rows applies to both.
    assert by_code["1.2"].lead_unit.code == "BYT"
    # "Ủy ban nhân dân … Trung ương" is the collective designation written another way.
    assert {u.code for u in by_code["1.2"].coordinating_units.all()} == {
        "TT-BONGANH", "TT-UBNDTINH"}
    assert by_code["1.2"].competent_authority == "minister"  # "Bộ trưởng Bộ Y tế"
    # A date typed as an Excel date reads as dd/mm/yyyy.
    assert (by_code["2.2"].deadline_text, by_code["2.2"].deadline) == (
        "30/10/2025", date(2025, 10, 30))
    assert by_code["2.3"].deadline == date(2026, 12, 31)
    assert by_code["3.1"].deadline_kind == DeadlineKind.ONGOING
    assert by_code["4.1"].deadline == date(2026, 12, 31)
    assert by_code["4.2"].deadline == date(2025, 12, 31)  # annual from the resolution's year
    assert by_code["5.1"].outputs.get().kind == Output.Kind.DATABASE
    assert by_code["2.3"].outputs.get().kind == Output.Kind.REPORT  # "Tờ trình"
    # Every write is audited with the actor and the reason.
    history = first.history.earliest()
    assert (history.history_user, history.history_change_reason) == (actor, "Nhập từ tệp")


def test_importing_the_same_file_again_changes_nothing(resolution, actor):
    content = appendix_workbook()
    run_import(resolution, actor, content, options=WITHIN_GROUP)
    histories = Task.history.count(), Output.history.count()

    plan, counts = run_import(resolution, actor, content, options=WITHIN_GROUP)

    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 0, 9)
    assert plan.report()["rows"] == []
    assert (Task.history.count(), Output.history.count()) == histories


def test_numbering_that_restarts_in_each_group_needs_the_option(resolution):
    plan = plan_of(resolution, appendix_workbook())
    messages = [error["message"] for error in plan.errors]
    assert any("numbered within each group" in m or "đánh số trong từng nhóm" in m
               for m in messages)
    assert {error["row"] for error in plan.errors} == {13, 14, 17, 19, 20, 22}


def test_a_csv_file_is_read_like_a_workbook(resolution, actor):
    rows = [["2.9", "2", "Ban hành Nghị định về trung tâm y tế khu vực", "BYT", "BTC; BNV",
             "Nghị định", "Chính phủ", "Quý I/2026"]]
    _plan, counts = run_import(resolution, actor, csv_file(HEADER, rows, delimiter=";"),
                               name="nhiem-vu.csv")
    task = Task.objects.get(code="2.9")
    assert counts["create"] == 1
    assert (task.group.number, task.deadline) == (2, date(2026, 3, 31))
    assert {u.code for u in task.coordinating_units.all()} == {"BTC", "BNV"}


def test_every_bad_row_is_reported_and_nothing_is_written(resolution):
    rows = [
        ["1.1", "1", "Việc tốt", "Bộ Y tế", "", "Báo cáo", "Chính phủ", "Quý IV/2025"],
        ["1.2", "1", "Chủ trì lạ", "Bộ Không Tồn Tại", "", "", "", "Quý IV/2025"],
        ["1.3", "1", "Hạn sai", "Bộ Y tế", "", "", "", "Quý V/2025"],
        ["", "1", "Không có mã", "Bộ Y tế", "", "", "", ""],
        ["1.1", "1", "Mã trùng", "Bộ Y tế", "", "", "", ""],
        ["1.5", "9", "Nhóm không có", "Bộ Y tế", "", "", "", ""],
        ["1.6", "1", "", "Bộ Y tế", "", "", "", ""],
        ["1.7", "1", "Thẩm quyền lạ", "Bộ Y tế", "Bộ Y tế", "", "Hội đồng xóm", ""],
        ["1.8", "1", "Phối hợp lạ", "Bộ Y tế", "Bộ Nội vụ; Sở Không Có", "", "", "32/12/2025"],
    ]
    plan = plan_of(resolution, simple_workbook(HEADER, rows))

    by_row = {}
    for error in plan.errors:
        by_row.setdefault(error["row"], []).append(error["message"])
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Bộ Không Tồn Tại" in by_row[3][0]
    assert "Quý V/2025" in by_row[4][0]
    assert "mã" in by_row[5][0].lower()
    assert "dòng 2" in by_row[6][0]
    assert "9" in by_row[7][0]
    assert any("Hội đồng xóm" in m for m in by_row[9])
    assert any("chủ trì" in m.lower() for m in by_row[9])  # lead also coordinating
    assert any("Sở Không Có" in m for m in by_row[10])
    assert any("32/12/2025" in m for m in by_row[10])
    assert sorted(plan.unknown_units) == ["Bộ Không Tồn Tại", "Sở Không Có"]
    with pytest.raises(ValueError):
        import_apply(plan=plan, actor=None, reason="")
    assert not Task.objects.exists()


def test_an_edited_file_updates_by_code(resolution, actor):
    rows = [["1.1", "1", "Việc một", "Bộ Y tế", "Bộ Nội vụ", "Đề án\nQuyết định", "Chính phủ",
             "Quý IV/2025"],
            ["1.2", "1", "Việc hai", "Bộ Y tế", "", "Báo cáo", "Chính phủ", "Năm 2026"]]
    run_import(resolution, actor, simple_workbook(HEADER, rows))
    decision_output = Task.objects.get(code="1.1").outputs.get(title="Quyết định")

    rows[0][2] = "Việc một (sửa)"
    rows[0][4] = "Bộ Nội vụ; Bộ Tài chính"
    rows[0][5] = "Đề án\nQuyết định phê duyệt"  # a renamed output keeps its record
    plan, counts = run_import(resolution, actor, simple_workbook(HEADER, rows))

    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 1, 1)
    task = Task.objects.get(code="1.1")
    assert task.title == "Việc một (sửa)"
    assert {u.code for u in task.coordinating_units.all()} == {"BNV", "BTC"}
    assert [o.title for o in task.outputs.all()] == ["Đề án", "Quyết định phê duyệt"]
    assert task.outputs.get(title="Quyết định phê duyệt").pk == decision_output.pk
    assert {c["field"] for c in plan.report()["rows"][0]["changes"]} == {
        "Nhiệm vụ", "Cơ quan phối hợp", "Kết quả, sản phẩm"}


def test_a_deadline_changes_only_with_the_decision(resolution, actor):
    rows = [["1.1", "1", "Việc một", "Bộ Y tế", "", "Báo cáo", "Chính phủ", "Quý IV/2025"]]
    run_import(resolution, actor, simple_workbook(HEADER, rows))
    rows[0][7] = "Quý II/2026"
    plan = plan_of(resolution, simple_workbook(HEADER, rows))
    assert plan.deadline_changes == [{"row": 2, "code": "1.1", "old": "Quý IV/2025",
                                      "new": "Quý II/2026"}]
    with pytest.raises(ValidationError) as refused:
        import_apply(plan=plan, actor=actor, reason="Nhập")
    assert {"decision_number", "decision_date", "decision_authority"} <= set(
        refused.value.message_dict)
    assert Task.objects.get().deadline == date(2025, 12, 31)

    decision = Decision(number="123/QĐ-TTg", date=date(2026, 1, 5), authority="prime_minister")
    import_apply(plan=plan_of(resolution, simple_workbook(HEADER, rows)), actor=actor,
                 reason="Nhập", decision=decision)
    task = Task.objects.get()
    assert (task.deadline, task.original_deadline) == (date(2026, 6, 30), date(2025, 12, 31))
    change = DeadlineChange.objects.get()
    assert (change.decision_number, change.changed_by) == ("123/QĐ-TTg", actor)


def test_a_new_group_is_created_from_its_heading(resolution, actor):
    rows = [["VII. PHÁT TRIỂN Y TẾ SỐ"],
            ["7.1", "", "Bệnh án điện tử toàn quốc", "Bộ Y tế", "", "", "", "Năm 2026"]]
    plan, counts = run_import(resolution, actor, simple_workbook(HEADER, rows))
    assert plan.new_groups == {7: "PHÁT TRIỂN Y TẾ SỐ"}
    assert Task.objects.get().group == TaskGroup.objects.get(resolution=resolution, number=7)


def test_a_file_that_is_not_a_task_list_is_refused(resolution):
    with pytest.raises(FileRefused):
        table_read(content=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="cu.xls")
    with pytest.raises(FileRefused):
        table_read(content=simple_workbook(["a", "b"], [["1", "2"]]), name="x.xlsx")
    with pytest.raises(FileRefused):
        table_read(content="Mã;Nhiệm vụ\n1;x".encode("latin-1", "replace"), name="x.csv")


def test_units_are_matched_by_code_name_and_spelling(resolution):
    from tasks.exchange.matching import UnitIndex

    index = UnitIndex.load()
    assert [u.code for u in index.find("byt")] == ["BYT"]
    assert [u.code for u in index.find("Uỷ ban nhân dân các tỉnh, thành phố trực thuộc TW")] == [
        "TT-UBNDTINH"]
    found, unknown, _ambiguous = index.find_list(
        "Bộ Nội vụ, Bộ Tài chính, UBND các tỉnh, thành phố trực thuộc trung ương và Bộ Lạ")
    assert [u.code for u in found] == ["BNV", "BTC", "TT-UBNDTINH"]
    assert unknown == ["Bộ Lạ"]
    Unit.objects.create(code="X1", name="Bộ Nội vụ", kind="ministry")
    _found, _unknown, ambiguous = UnitIndex.load().find_list("Bộ Nội vụ")
    assert [(name, [u.code for u in units]) for name, units in ambiguous] == [
        ("Bộ Nội vụ", ["BNV", "X1"])]
