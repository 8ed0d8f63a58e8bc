"""The units that ship (fixtures/units.json) and `seed_reference`: every body of the 2025
restructuring, loaded so that a second run changes nothing, an administrator's edit survives
unless --force, and an administrator's own file updates the list."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.audit import audited
from tests.factories import UserFactory
from units.models import Unit, UnitAlias, User

pytestmark = pytest.mark.django_db

MINISTRIES = {
    "Bộ Quốc phòng": "BQP", "Bộ Công an": "BCA", "Bộ Ngoại giao": "BNG", "Bộ Nội vụ": "BNV",
    "Bộ Tư pháp": "BTP", "Bộ Tài chính": "BTC", "Bộ Công Thương": "BCT",
    "Bộ Nông nghiệp và Môi trường": "BNNMT", "Bộ Xây dựng": "BXD",
    "Bộ Văn hóa, Thể thao và Du lịch": "BVHTTDL", "Bộ Khoa học và Công nghệ": "BKHCN",
    "Bộ Giáo dục và Đào tạo": "BGDĐT", "Bộ Y tế": "BYT", "Bộ Dân tộc và Tôn giáo": "BDTTG",
    "Ngân hàng Nhà nước Việt Nam": "NHNN", "Thanh tra Chính phủ": "TTCP",
    "Văn phòng Chính phủ": "VPCP",
}
PROVINCES = [
    "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Lai Châu", "Điện Biên",
    "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
    "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai",
    "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
OTHER_BODIES = [
    "Chính phủ", "Bộ Chính trị", "Ban Bí thư", "Thường trực Ban Bí thư",
    "Văn phòng Trung ương Đảng", "Ban Tuyên giáo và Dân vận Trung ương", "Quốc hội",
    "Ủy ban Thường vụ Quốc hội", "Đài Tiếng nói Việt Nam", "Đài Truyền hình Việt Nam",
    "Thông tấn xã Việt Nam", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    "Viện Hàn lâm Khoa học xã hội Việt Nam", "Bảo hiểm xã hội Việt Nam",
]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_reference", *args, stdout=out)
    return out.getvalue()


def history_counts():
    return Unit.history.count(), UnitAlias.history.count(), UnitAlias.objects.count()


def test_an_empty_database_gets_every_body_with_its_short_forms():
    output = seed()

    assert "0 updated, 0 skipped" in output
    ministries = Unit.objects.filter(kind=Unit.Kind.MINISTRY)
    assert {unit.name: unit.short_name for unit in ministries} == MINISTRIES
    assert {unit.parent.code for unit in ministries} == {"CP"}
    names = set(Unit.objects.values_list("name", flat=True))
    assert set(OTHER_BODIES) <= names
    provinces = Unit.objects.filter(kind=Unit.Kind.PROVINCE)
    assert provinces.count() == 34
    assert Unit.objects.filter(kind=Unit.Kind.PROVINCIAL_DEPARTMENT).count() == 34
    for seat in PROVINCES:
        province = provinces.get(name__endswith=f" {seat}")
        assert province.name.startswith("Ủy ban nhân dân ")
        assert province.short_name.startswith("UBND ")
        assert province.children.get().name.startswith("Sở Y tế")
    assert set(Unit.objects.get(code="TT-UBNDTINH").members.all()) == set(provinces)
    assert Unit.objects.get(code="TT-SYT").members.count() == 34
    assert set(ministries) <= set(Unit.objects.get(code="TT-BONGANH").members.all())
    # the Ministry of Health's departments, the old ones kept
    assert {"BYT-TCCB", "BYT-KHTC", "BYT-PC", "BYT-KCB", "BYT-PB", "BYT-QLD", "BYT-KHCNDT",
            "BYT-BTXH", "BYT-VPB", "BYT-TTRA"} <= set(
        Unit.objects.get(code="BYT").children.values_list("code", flat=True))
    # short forms, variants and former names, each pointing at the body that answers now
    aliases = {alias.text: alias for alias in UnitAlias.objects.select_related("unit")}
    assert aliases["Bộ KH&CN"].unit.code == "BKHCN"
    assert aliases["Bộ GDĐT"].unit.code == "BGDDT"
    assert aliases["BHXHVN"].unit.code == "BHXH"
    assert aliases["UBND các tỉnh"].unit.code == "TT-UBNDTINH"
    assert aliases["các cơ quan, đơn vị liên quan"].unit.code == "TT-LIENQUAN"
    former = aliases["Bộ Kế hoạch và Đầu tư"]
    assert (former.unit.code, former.kind) == ("BTC", UnitAlias.Kind.OLD_NAME)
    assert "01/3/2025" in former.note
    assert aliases["UBND tỉnh Hải Dương"].unit.code == "HP"
    assert aliases["Sở Y tế tỉnh Hà Giang"].unit.code == "TQG-SYT"
    assert UnitAlias.objects.filter(kind=UnitAlias.Kind.OLD_NAME,
                                    unit__kind=Unit.Kind.PROVINCE).values("text").count() >= 29


def test_a_second_seed_changes_nothing():
    seed()
    before = history_counts()

    output = seed()

    assert "Units: 0 created, 0 updated, 0 skipped" in output
    assert history_counts() == before


def test_a_unit_loaded_before_is_brought_up_to_date():
    seed()
    unit = Unit.objects.get(code="BKHCN")
    unit.name = "Bộ Khoa học, Công nghệ"  # as an older list shipped it: no one's edit
    unit.save()
    unit.aliases.get(text="Bộ KH&CN").delete()
    Unit.objects.get(code="TT-UBNDTINH").members.remove(Unit.objects.get(code="NA"))

    output = seed()

    assert "Updated: BKHCN, TT-UBNDTINH" in output
    unit.refresh_from_db()
    assert unit.name == "Bộ Khoa học và Công nghệ"
    assert unit.aliases.filter(text="Bộ KH&CN").exists()
    assert Unit.objects.get(code="TT-UBNDTINH").members.count() == 34
    assert seed().count("Updated") == 0


def test_a_unit_an_administrator_edited_survives_and_force_overwrites_it(client):
    seed()
    admin = UserFactory(username="root", role=User.Role.ADMIN, unit=None, is_staff=True,
                        is_superuser=True)
    unit = Unit.objects.get(code="BYT-CNTT")
    unit.name = "Cục Chuyển đổi số y tế"
    audited(unit, admin, "Đổi tên theo quyết định của Bộ").save()
    alias = UnitAlias.objects.get(text="Bộ GDĐT")
    client.force_login(admin)
    response = client.post(reverse("admin:units_unitalias_change", args=[alias.pk]), {
        "text": alias.text, "unit": alias.unit_id, "kind": alias.kind,
        "note": "viết tắt trong công văn"})
    assert response.status_code == 302

    output = seed()

    assert "Skipped, changed by an administrator (--force to overwrite): BGDDT, BYT-CNTT" in output
    unit.refresh_from_db()
    alias.refresh_from_db()
    assert unit.name == "Cục Chuyển đổi số y tế"
    assert alias.note == "viết tắt trong công văn"

    output = seed("--force")

    assert "Updated: BGDDT, BYT-CNTT" in output
    unit.refresh_from_db()
    alias.refresh_from_db()
    assert (unit.name, alias.note) == ("Cục Công nghệ thông tin", "")
    assert unit.history.first().history_change_reason.startswith("seed_reference --force")
    # overwritten, the unit is the reference data's again: the next seed neither skips it
    # nor writes anything
    before = history_counts()
    assert "0 created, 0 updated, 0 skipped" in seed()
    assert history_counts() == before


def test_an_administrator_updates_the_list_from_a_file(tmp_path):
    seed()
    path = tmp_path / "don-vi.json"
    path.write_text(json.dumps({"units": [
        {"code": "BYT-CNTT", "name": "Cục Chuyển đổi số y tế", "kind": "department",
         "parent": "BYT", "aliases": [{"text": "Cục Công nghệ thông tin", "kind": "old_name",
                                       "note": "Đổi tên năm 2026"}]},
        {"code": "BYT-CDS-P1", "name": "Phòng Dữ liệu y tế", "kind": "department",
         "parent": "BYT-CNTT", "short_name": "Phòng DLYT"},
        {"code": "TT-MIENNUI", "name": "Các tỉnh miền núi phía Bắc", "kind": "collective",
         "parent": None, "members": ["LCH", "DBN", "SLA", "LCI"], "_note": "a comment"},
    ]}, ensure_ascii=False), encoding="utf-8")

    output = seed("--file", str(path))

    assert "Created: BYT-CDS-P1, TT-MIENNUI" in output and "Updated: BYT-CNTT" in output
    renamed = Unit.objects.get(code="BYT-CNTT")
    assert renamed.name == "Cục Chuyển đổi số y tế"
    assert renamed.name_en == "Department of Information Technology"  # not in the file: kept
    assert [(a.text, a.kind) for a in renamed.aliases.all()] == [
        ("Cục Công nghệ thông tin", "old_name")]
    office = Unit.objects.get(code="BYT-CDS-P1")
    assert office.path == f"{renamed.path}{office.pk}/"
    assert Unit.objects.get(code="TT-MIENNUI").members.count() == 4
    assert "0 created, 0 updated" in seed("--file", str(path))


@pytest.mark.parametrize(("units", "message"), [
    ([{"code": "X", "name": "Đơn vị X"}], '"kind" is required'),
    ([{"code": "X", "name": "Đơn vị X", "kind": "ministry", "parent": "KHONG-CO"}],
     "parent KHONG-CO"),
    ([{"code": "X", "name": "Đơn vị X", "kind": "collective", "members": ["KHONG-CO"]}],
     "unknown members KHONG-CO"),
    ([{"code": "X", "name": "Đơn vị X", "kind": "ministry", "aliases": [{"text": "X1",
                                                                         "kind": "nickname"}]}],
     "alias"),
])
def test_a_file_that_cannot_be_loaded_is_refused_and_nothing_is_written(tmp_path, units,
                                                                          message):
    path = tmp_path / "don-vi.json"
    path.write_text(json.dumps({"units": units}), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        seed("--file", str(path))
    assert not Unit.objects.exists()
