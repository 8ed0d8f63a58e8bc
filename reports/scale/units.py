"""The units of the scale programme: ministries and provinces, their departments (some with
units of their own), a few dissolved, and collective designations."""

import random
from dataclasses import dataclass
from datetime import datetime

from units.models import Unit

from .bulk import MARK, allocate_ids, copy_rows

MINISTRIES = ["Bộ Y tế", "Bộ Tài chính", "Bộ Nội vụ", "Bộ Giáo dục và Đào tạo",
              "Bộ Khoa học và Công nghệ", "Bộ Tư pháp", "Bộ Công an", "Bộ Quốc phòng",
              "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng",
              "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Ngoại giao", "Bộ Dân tộc và Tôn giáo",
              "Bảo hiểm xã hội Việt Nam", "Thanh tra Chính phủ", "Ngân hàng Nhà nước Việt Nam"]
MINISTRY_DEPARTMENTS = ["Vụ Kế hoạch - Tài chính", "Vụ Pháp chế", "Vụ Tổ chức cán bộ",
                        "Vụ Hợp tác quốc tế", "Cục Quản lý Khám, chữa bệnh", "Cục Y tế dự phòng",
                        "Cục Khoa học công nghệ và Đào tạo", "Cục Công nghệ thông tin",
                        "Văn phòng Bộ", "Thanh tra Bộ", "Vụ Bảo hiểm y tế", "Cục Quản lý Dược"]
PROVINCES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế",
             "Quảng Ninh", "Nghệ An", "Thanh Hóa", "Lào Cai", "Thái Nguyên", "Lâm Đồng",
             "Đắk Lắk", "Khánh Hòa", "Gia Lai", "Đồng Nai", "Tây Ninh", "An Giang", "Cà Mau",
             "Vĩnh Long", "Đồng Tháp", "Ninh Bình", "Hưng Yên", "Bắc Ninh", "Phú Thọ",
             "Tuyên Quang", "Cao Bằng", "Lạng Sơn", "Điện Biên", "Lai Châu", "Sơn La",
             "Hà Tĩnh", "Quảng Trị", "Quảng Ngãi"]
PROVINCE_DEPARTMENTS = ["Sở Y tế", "Sở Tài chính", "Sở Nội vụ", "Sở Giáo dục và Đào tạo",
                        "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Văn phòng UBND",
                        "Bảo hiểm xã hội tỉnh", "Trung tâm Kiểm soát bệnh tật",
                        "Bệnh viện Đa khoa tỉnh", "Sở Xây dựng", "Sở Văn hóa, Thể thao và Du lịch"]


@dataclass
class Units:
    ministries: list[int]
    provinces: list[int]
    departments: list[int]
    collectives: dict[int, list[int]]
    active: set[int]


def write_units(rng: random.Random, count: int, now: datetime) -> Units:
    """Ministries and provinces with their departments (a few departments with units of their
    own), and four collective designations; about `count` units in all."""
    ministries, provinces = max(2, count // 70), max(2, count // 32)
    collectives = 4
    departments = max(0, count - ministries - provinces - collectives)
    ids = iter(allocate_ids(Unit, count + 10))
    rows, tops, departments_of = [], {"ministry": [], "province": []}, []
    members: dict[int, list[int]] = {}
    paths, names = {}, {}

    def add(pk, code, name, kind, parent=None):
        paths[pk] = f"{paths[parent] if parent else '/'}{pk}/"
        names[pk] = name
        rows.append((pk, code, name, "", "", kind, paths[pk], True, now, now, parent))

    for number in range(ministries):
        pk = next(ids)
        name = MINISTRIES[number] if number < len(MINISTRIES) else f"Bộ, ngành số {number + 1}"
        add(pk, f"{MARK}-M{number + 1:03d}", name, Unit.Kind.MINISTRY)
        tops["ministry"].append(pk)
    for number in range(provinces):
        pk = next(ids)
        place = PROVINCES[number] if number < len(PROVINCES) else f"Tỉnh số {number + 1}"
        add(pk, f"{MARK}-P{number + 1:03d}", f"UBND {place}", Unit.Kind.PROVINCE)
        tops["province"].append(pk)
    in_ministries = departments * 45 // 100
    for number in range(departments):
        ministry = number < in_ministries
        parents = tops["ministry"] if ministry else tops["province"]
        parent = parents[number % len(parents)]
        kinds = MINISTRY_DEPARTMENTS if ministry else PROVINCE_DEPARTMENTS
        index = number // len(parents)
        label = kinds[index % len(kinds)]
        if index >= len(kinds):
            label = f"{label} (đơn vị {index // len(kinds) + 1})"
        # Every tenth department of a ministry sits under another department (a third level).
        if ministry and departments_of and number % 10 == 9:
            parent = departments_of[-1]
        pk = next(ids)
        owner = names[parent].split(" – ")[-1]
        add(pk, f"{MARK}-D{number + 1:04d}", f"{label} – {owner}",
            Unit.Kind.DEPARTMENT if ministry else Unit.Kind.PROVINCIAL_DEPARTMENT, parent)
        if number % 10 != 9:
            departments_of.append(pk)
    designations = [
        ("Các bộ, ngành", tops["ministry"]),
        ("UBND các tỉnh, thành phố trực thuộc trung ương", tops["province"]),
        ("Bộ Y tế, Bộ Tài chính, Bộ Nội vụ", tops["ministry"][:3]),
        ("Các cơ quan liên quan", rng.sample(departments_of, min(5, len(departments_of)))),
    ]
    for number, (name, member_ids) in enumerate(designations[:collectives]):
        pk = next(ids)
        add(pk, f"{MARK}-C{number + 1}", f"{name} (quy mô)", Unit.Kind.COLLECTIVE)
        members[pk] = list(member_ids)
    # A few departments have been dissolved: inactive, no longer expected to report.
    inactive = set(rng.sample(departments_of, len(departments_of) // 100))
    rows = [row[:7] + (row[0] not in inactive,) + row[8:] for row in rows]
    copy_rows("units_unit", ("id", "code", "name", "name_en", "short_name", "kind", "path",
                         "is_active", "created_at", "updated_at", "parent_id"), rows)
    copy_rows("units_unit_members", ("from_unit_id", "to_unit_id"),
          ((pk, member) for pk, member_ids in members.items() for member in member_ids))
    active = {row[0] for row in rows if row[7]}
    return Units(tops["ministry"], tops["province"], departments_of, members, active)
