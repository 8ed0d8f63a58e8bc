"""manage.py import_tasks: the same checks and writes as the browser, from a file."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from tasks.models import DeadlineChange, Resolution, Task
from tasks.reference import reference_load
from tests.factories import UserFactory
from units.models import User

from .appendix import appendix_workbook, csv_file, simple_workbook
from .test_import import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(db):
    reference_load()
    return Resolution.objects.get(number="282/NQ-CP")


@pytest.fixture(autouse=True)
def actor(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)


@pytest.fixture
def appendix(tmp_path):
    path = tmp_path / "phu-luc-282.xlsx"
    path.write_bytes(appendix_workbook())
    return path


def run(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_tasks", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_writes_nothing(resolution, appendix):
    out, _err = run(appendix, "--resolution", "282/NQ-CP", "--dry-run", "--number-within-group")
    assert "Chạy thử, chưa ghi gì: 9 tạo mới, 0 cập nhật, 0 không đổi." in out
    assert "1.1\ttạo mới" in out
    assert not Task.objects.exists()


def test_the_appendix_is_imported_then_again_without_change(resolution, appendix, actor):
    with pytest.raises(CommandError, match="--user"):
        run(appendix, "--resolution", "282/NQ-CP", "--number-within-group")
    out, _err = run(appendix, "--resolution", "282/NQ-CP", "--number-within-group",
                    "--user", "dau-moi")
    assert "Đã nhập: 9 tạo mới" in out
    assert Task.objects.get(code="1.1").history.earliest().history_user == actor
    out, _err = run(appendix, "--resolution", "282/NQ-CP", "--number-within-group",
                    "--user", "dau-moi")
    assert "0 tạo mới, 0 cập nhật, 9 không đổi." in out


def test_every_error_is_listed_with_its_row_and_nothing_is_written(resolution, tmp_path):
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_file(HEADER, [
        ["1.1", "1", "Việc", "Bộ Ma", "", "", "", ""],
        ["1.2", "1", "Việc", "Bộ Y tế", "", "", "", "Quý 9/2025"]]))
    with pytest.raises(CommandError, match="2 lỗi"):
        run(path, "--resolution", "282/NQ-CP", "--user", "dau-moi")
    with pytest.raises(CommandError) as english:
        run(path, "--resolution", "282/NQ-CP", "--lang", "en", "--user", "dau-moi")
    assert "2 errors: nothing was written." in str(english.value)
    assert not Task.objects.exists()


def test_deadline_changes_need_the_decision(resolution, tmp_path):
    path = tmp_path / "nv.xlsx"
    row = ["1.1", "1", "Việc", "Bộ Y tế", "", "Báo cáo", "Chính phủ", "Quý IV/2025"]
    path.write_bytes(simple_workbook(HEADER, [row]))
    run(path, "--resolution", "282/NQ-CP", "--user", "dau-moi")
    path.write_bytes(simple_workbook(HEADER, [[*row[:7], "Quý I/2026"]]))
    with pytest.raises(CommandError):
        run(path, "--resolution", "282/NQ-CP", "--user", "dau-moi")
    run(path, "--resolution", "282/NQ-CP", "--user", "dau-moi", "--decision-number", "7/QĐ-TTg",
        "--decision-date", "05/01/2026", "--decision-authority", "prime_minister")
    assert Task.objects.get().deadline == date(2026, 3, 31)
    assert DeadlineChange.objects.get().decision_number == "7/QĐ-TTg"


def test_an_unknown_resolution_is_refused(resolution, appendix):
    with pytest.raises(CommandError, match="999/NQ-CP"):
        run(appendix, "--resolution", "999/NQ-CP", "--dry-run")
