"""Reading a cell of units the way appendices write it: several bodies, names that hold commas
and "và", short forms, old and new spellings, former names read as their successors."""

import pytest

from tasks.exchange.matching import UnitIndex
from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tests.factories import UserFactory
from units.models import User

from .test_import import HEADER, run_import, simple_workbook

pytestmark = pytest.mark.django_db

FORMER_PROVINCES = {
    "Hải Dương": "HP", "Quảng Nam": "DNG", "Bình Dương": "HCM", "Bà Rịa - Vũng Tàu": "HCM",
    "Sóc Trăng": "CT", "Hậu Giang": "CT", "Hà Giang": "TQG", "Yên Bái": "LCI", "Bắc Kạn": "TNG",
    "Vĩnh Phúc": "PTO", "Hòa Bình": "PTO", "Bắc Giang": "BNH", "Thái Bình": "HYN",
    "Hà Nam": "NBH", "Nam Định": "NBH", "Quảng Bình": "QTR", "Kon Tum": "QNG",
    "Bình Định": "GLI", "Ninh Thuận": "KHA", "Đắk Nông": "LDG", "Bình Thuận": "LDG",
    "Phú Yên": "DLK", "Bình Phước": "DNI", "Long An": "TNI", "Bến Tre": "VLG", "Trà Vinh": "VLG",
    "Tiền Giang": "DTP", "Bạc Liêu": "CMU", "Kiên Giang": "AGG",
}


@pytest.fixture(scope="module")
def index(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            reference_load()
            yield UnitIndex.load()
            transaction.set_rollback(True)


def codes(index, text):
    result = index.read(text)
    return [unit.code for unit in result.found], result.unknown


@pytest.mark.parametrize(("cell", "expected"), [
    ("Bộ Văn hóa, Thể thao và Du lịch", ["BVHTTDL"]),
    ("Bộ Y tế, Bộ Văn hóa, Thể thao và Du lịch và UBND các tỉnh",
     ["BYT", "BVHTTDL", "TT-UBNDTINH"]),
    ("Bộ Tài chính; Bộ Nội vụ.", ["BTC", "BNV"]),
    ("Bộ Tài chính. Bộ Nội vụ", ["BTC", "BNV"]),
    ("Bộ KH&CN", ["BKHCN"]),
    ("Bộ GD&ĐT, Bộ VHTTDL", ["BGDDT", "BVHTTDL"]),
    ("UBND các tỉnh", ["TT-UBNDTINH"]),
    ("UBND các tỉnh, thành phố", ["TT-UBNDTINH"]),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.", ["TT-UBNDTINH"]),
    ("Các bộ, ngành, UBND các tỉnh, thành phố", ["TT-BONGANH", "TT-UBNDTINH"]),
    ("các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", ["TT-BONGANH"]),
    ("Các cơ quan, đơn vị liên quan", ["TT-LIENQUAN"]),
    ("BHXH Việt Nam và C06", ["BHXH", "BCA-C06"]),
    ("Uỷ ban nhân dân tỉnh Thanh Hoá", ["THA"]),
    ("UBND tỉnh Khánh Hoà; Sở Y tế tỉnh Khánh Hòa", ["KHA", "KHA-SYT"]),
    ("TP. Hồ Chí Minh, Sở Y tế Hà Nội", ["HCM", "HN-SYT"]),
    ("Cục Quản lý Khám, chữa bệnh, Cục Quản lý Y, Dược cổ truyền và Vụ Kế hoạch – Tài chính",
     ["BYT-KCB", "BYT-YDCT", "BYT-KHTC"]),
    ("- Bộ Y tế\n- Bộ Giáo dục và Đào tạo;\n+ Bộ Nông nghiệp và Môi trường.\n\n",
     ["BYT", "BGDDT", "BNNMT"]),
    ("1. Bộ Văn hóa, Thể thao\nvà Du lịch\n2. Bộ Quốc phòng", ["BVHTTDL", "BQP"]),
])
def test_a_cell_is_read_as_appendices_write_it(index, cell, expected):
    assert codes(index, cell) == (expected, [])


def test_a_former_name_is_read_as_its_successor_with_a_note(index):
    result = index.read("Bộ Kế hoạch và Đầu tư, Bộ Y tế và Bộ Thông tin và Truyền thông")

    assert [unit.code for unit in result.found] == ["BTC", "BYT", "BKHCN"]
    assert [(note.text, note.unit.code, note.is_former_name) for note in result.notes] == [
        ("Bộ Kế hoạch và Đầu tư", "BTC", True), ("Bộ Thông tin và Truyền thông", "BKHCN", True)]
    assert "01/3/2025" in result.notes[0].note
    assert result.notes[0].message.startswith("“Bộ Kế hoạch và Đầu tư”")
    assert "Bộ Tài chính" in result.notes[0].message
    assert index.read("Bộ Y tế, Bộ Tài chính").notes == []


def test_every_former_province_is_read_as_the_province_it_joined(index):
    for former, successor in FORMER_PROVINCES.items():
        for written in (f"UBND tỉnh {former}", f"Ủy ban nhân dân tỉnh {former}"):
            result = index.read(written)
            assert [unit.code for unit in result.found] == [successor], written
            assert result.notes[0].is_former_name, written
        health = index.read(f"Sở Y tế tỉnh {former}")
        assert [unit.code for unit in health.found] == [f"{successor}-SYT"], former


def test_unknown_names_are_still_reported_one_by_one(index):
    assert codes(index, "Bộ Y tế, Bộ Lạ và Cục Không Có; Bộ Tài chính.") == (
        ["BYT", "BTC"], ["Bộ Lạ", "Cục Không Có"])


def test_an_appendix_naming_bodies_with_commas_imports_as_written(db):
    reference_load()
    resolution = Resolution.objects.get(number="282/NQ-CP")
    actor = UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)
    rows = [["1.1", "1", "Truyền thông về Nghị quyết", "Bộ Văn hóa, Thể thao và Du lịch",
             "Bộ Y tế, Bộ KH&CN và UBND các tỉnh, thành phố.", "Báo cáo", "Chính phủ", "Năm 2026"]]

    run_import(resolution, actor, simple_workbook(HEADER, rows))

    task = Task.objects.get(resolution=resolution)
    assert task.lead_unit.code == "BVHTTDL"
    assert {unit.code for unit in task.coordinating_units.all()} == {"BYT", "BKHCN",
                                                                     "TT-UBNDTINH"}


@pytest.mark.parametrize(("cell", "expected"), [
    ("Bộ Văn hóa, Thể thao và Du lịch; Bộ Tài chính", ["BVHTTDL", "BTC"]),
    ("Bộ Văn hóa, Thể thao và Du lịch, Bộ Tài chính", ["BVHTTDL", "BTC"]),
    ("Bộ Văn hóa, Thể thao và Du lịch và Bộ Tài chính", ["BVHTTDL", "BTC"]),
    ("Bộ Văn hóa, Thể thao và Du lịch. Bộ Tài chính.", ["BVHTTDL", "BTC"]),
    ("Bộ Văn hóa, Thể thao và Du lịch\nBộ Tài chính", ["BVHTTDL", "BTC"]),
    ("UBND các tỉnh, thành phố trực thuộc trung ương; Bộ Y tế và Bộ Nội vụ.",
     ["TT-UBNDTINH", "BYT", "BNV"]),
    ("Bộ Tài chính;\nBộ Nội vụ,\nBộ Y tế", ["BTC", "BNV", "BYT"]),
])
def test_every_separator_appendices_use_between_bodies(index, cell, expected):
    assert codes(index, cell) == (expected, [])


def test_an_unknown_name_holding_commas_is_reported_whole(index):
    assert codes(index, "Bộ Y tế, Bộ VH, TT và DL; Bộ Lạ, Cục Không Có") == (
        ["BYT"], ["Bộ VH, TT và DL", "Bộ Lạ", "Cục Không Có"])
