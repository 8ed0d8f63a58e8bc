"""Names a file gives that no unit bears: the preview lists each with the closest units, the
secretariat reads it as one of them (remembered as an alias) or creates the unit, and the file
is checked again; the command line takes the same mappings from a file (--map)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import FileJob
from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tests.factories import UserFactory
from units.models import Unit, UnitAlias, User

from .appendix import simple_workbook
from .test_import import HEADER, plan_of

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def resolution(db):
    reference_load()
    return Resolution.objects.get(number="282/NQ-CP")


@pytest.fixture
def secretariat(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)


def task_row(code, lead="Bộ Tài Chánh", coordinating="Bộ Y tế"):
    return [code, "2", f"Nhiệm vụ {code}", lead, coordinating, "Báo cáo", "Chính phủ",
            "Năm 2026"]


def upload(client, resolution, rows) -> FileJob:
    client.post(reverse("tasks:import", args=[resolution.pk]), {
        "file": SimpleUploadedFile("phu-luc.xlsx", simple_workbook(HEADER, rows),
                                   content_type=XLSX)})
    return FileJob.objects.filter(kind=FileJob.Kind.TASK_IMPORT).latest("pk")


def resolve(client, job, **data):
    return client.post(reverse("tasks:import_resolve_unit", args=[job.pk]), data)


def test_the_plan_names_the_closest_units_of_a_name_not_found(resolution):
    plan = plan_of(resolution, simple_workbook(HEADER, [
        task_row("2.1"), task_row("2.2", lead="Bộ Y tế", coordinating="Bộ Văn hóa")]))

    unknown = {item["name"]: item for item in plan.report()["unknown_units"]}
    assert unknown["Bộ Tài Chánh"]["rows"] == [2]
    assert unknown["Bộ Tài Chánh"]["suggestions"][0]["code"] == "BTC"
    assert unknown["Bộ Văn hóa"]["suggestions"][0]["code"] == "BVHTTDL"


def test_mapping_a_name_remembers_it_and_lets_the_import_go_on(client, resolution, secretariat):
    client.force_login(secretariat)
    job = upload(client, resolution, [task_row("2.1"), task_row("2.2")])
    page = client.get(reverse("tasks:import_job", args=[job.pk])).content.decode()
    assert "Bộ Tài Chánh" in page and "Bộ Tài chính (BTC)" in page
    assert "Xác nhận nhập" not in page  # refused until every name is resolved

    finance = Unit.objects.get(code="BTC")
    response = resolve(client, job, name="Bộ Tài Chánh", action="map", unit=finance.pk)

    assert response.status_code == 302
    assert UnitAlias.objects.get(text="Bộ Tài Chánh").unit == finance
    job.refresh_from_db()
    assert job.state == FileJob.State.CHECKED and job.report["errors"] == []
    assert job.report["counts"]["create"] == 2
    client.post(reverse("tasks:import_confirm", args=[job.pk]))
    assert set(Task.objects.values_list("lead_unit__code", flat=True)) == {"BTC"}
    # The next file that writes it so is read at once.
    again = upload(client, resolution, [task_row("2.3")])
    assert again.report["errors"] == []


def test_creating_the_unit_a_name_means(client, resolution, secretariat):
    client.force_login(secretariat)
    job = upload(client, resolution, [task_row("2.1", coordinating="Trung tâm Y tế số")])

    resolve(client, job, name="Trung tâm Y tế số", action="create", code="BYT-TTYTS",
            kind=Unit.Kind.AGENCY)

    unit = Unit.objects.get(code="BYT-TTYTS")
    assert unit.name == "Trung tâm Y tế số"
    assert unit.history.get().history_user == secretariat
    job.refresh_from_db()
    # The other name is still to resolve: nothing is imported until it is.
    assert [item["name"] for item in job.report["unknown_units"]] == ["Bộ Tài Chánh"]
    assert len(job.report["errors"]) == 1


def test_a_wrong_resolution_is_refused_and_changes_nothing(client, resolution, secretariat):
    client.force_login(secretariat)
    job = upload(client, resolution, [task_row("2.1")])
    units = Unit.objects.count()

    taken = resolve(client, job, name="Bộ Tài Chánh", action="create", code="BYT",
                    kind=Unit.Kind.AGENCY)
    assert taken.status_code == 400 and "Mã đã tồn tại" in taken.content.decode()
    no_unit = resolve(client, job, name="Bộ Tài Chánh", action="map", unit="")
    assert no_unit.status_code == 400
    assert "Chọn đơn vị mà tên này chỉ" in no_unit.content.decode()
    out_of_range = resolve(client, job, name="Bộ Tài Chánh", action="map", unit="9" * 30)
    assert out_of_range.status_code == 400
    assert Unit.objects.count() == units and not UnitAlias.objects.filter(
        text="Bộ Tài Chánh").exists()


def test_only_the_secretariat_resolves_names_of_its_own_imports(client, resolution,
                                                                secretariat):
    client.force_login(secretariat)
    job = upload(client, resolution, [task_row("2.1")])
    finance = Unit.objects.get(code="BTC")

    client.force_login(UserFactory(role=User.Role.REPORTER, unit=finance))
    assert resolve(client, job, name="Bộ Tài Chánh", action="map",
                   unit=finance.pk).status_code == 403
    client.force_login(UserFactory(role=User.Role.SECRETARIAT))
    assert resolve(client, job, name="Bộ Tài Chánh", action="map",
                   unit=finance.pk).status_code == 404
    assert not UnitAlias.objects.filter(text="Bộ Tài Chánh").exists()


def test_the_preview_costs_the_same_for_3_rows_as_for_30(client, resolution, secretariat):
    client.force_login(secretariat)

    def count(number):
        job = upload(client, resolution, [task_row(f"2.{n}", lead=f"Sở Lạ Số {n}")
                                          for n in range(1, number + 1)])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("tasks:import_job", args=[job.pk])).content.decode()
        assert page.count('class="unknown-unit"') == number
        return len(queries)

    assert count(3) == count(30)


# --- The command line -----------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tasks", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def unknown_file(tmp_path):
    path = tmp_path / "phu-luc.xlsx"
    path.write_bytes(simple_workbook(HEADER, [
        task_row("2.1"), task_row("2.2", lead="Bộ Y tế", coordinating="Bộ VH, TT và DL")]))
    return path


def test_map_reads_names_as_the_units_it_names(resolution, secretariat, unknown_file, tmp_path):
    with pytest.raises(CommandError, match="2 lỗi"):
        run(unknown_file, "--resolution", "282/NQ-CP", "--user", "dau-moi")
    mapping = tmp_path / "don-vi.txt"
    mapping.write_text("# tên trong phụ lục; mã đơn vị\ntên;mã\nBộ Tài Chánh\tBTC\n\n"
                       "Bộ VH, TT và DL;BVHTTDL\n", encoding="utf-8")

    out, _err = run(unknown_file, "--resolution", "282/NQ-CP", "--dry-run", "--map", mapping)
    assert "2 tạo mới" in out
    assert not UnitAlias.objects.filter(text="Bộ Tài Chánh").exists()  # a dry run keeps none

    run(unknown_file, "--resolution", "282/NQ-CP", "--user", "dau-moi", "--map", mapping)
    assert Task.objects.get(code="2.1").lead_unit.code == "BTC"
    assert {u.code for u in Task.objects.get(code="2.2").coordinating_units.all()} == {
        "BVHTTDL"}
    assert UnitAlias.objects.get(text="Bộ VH, TT và DL").unit.code == "BVHTTDL"


def test_map_accepts_csv_with_commas_in_names(resolution, secretariat, unknown_file,
                                              tmp_path):
    mapping = tmp_path / "don-vi.csv"
    mapping.write_text('name,code\nBộ Tài Chánh,BTC\n"Bộ VH, TT và DL",BVHTTDL\n',
                       encoding="utf-8-sig")
    out, _err = run(unknown_file, "--resolution", "282/NQ-CP", "--dry-run", "--map", mapping)
    assert "2 tạo mới" in out


def test_a_wrong_map_file_is_refused_naming_its_lines(resolution, unknown_file, tmp_path):
    mapping = tmp_path / "don-vi.txt"
    mapping.write_text("Bộ Tài Chánh\nBộ VH, TT và DL;KHONG-CO\n", encoding="utf-8")
    with pytest.raises(CommandError, match="dòng 1"):
        run(unknown_file, "--resolution", "282/NQ-CP", "--dry-run", "--map", mapping)
    mapping.write_text("Bộ Tài Chánh;KHONG-CO\n", encoding="utf-8")
    with pytest.raises(CommandError, match="KHONG-CO"):
        run(unknown_file, "--resolution", "282/NQ-CP", "--dry-run", "--map", mapping)
    assert not Task.objects.exists()
