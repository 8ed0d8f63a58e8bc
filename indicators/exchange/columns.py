"""The columns of an annex of targets ("Phụ lục: Chỉ tiêu"), as ministries write them.

Headers are recognised in Vietnamese and English whatever their case, spacing, punctuation or
column numbering ("Tên chỉ tiêu (3)"). A target column names its year: "Mục tiêu 2030",
"Mục tiêu đến năm 2045", "Chỉ tiêu năm 2030", or "Mục tiêu" merged over "2030" and "2045".
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from tasks.exchange.cells import loose_key
from tasks.exchange.columns import header_key


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    aliases: tuple[str, ...] = ()
    width: int = 18


SERIAL = Column("serial", _("No."), ("stt", "tt", "số tt", "số thứ tự", "no"), width=6)
CODE = Column("code", _("Indicator code"), (
    "mã chỉ tiêu", "mã", "mã số", "mã số chỉ tiêu", "ký hiệu", "code", "indicator code"), width=10)
NAME = Column("name", _("Indicator name"), (
    "tên chỉ tiêu", "chỉ tiêu", "nội dung chỉ tiêu", "tên chỉ tiêu chỉ số", "chỉ số",
    "tên chỉ số", "indicator", "indicator name", "name"), width=50)
NAME_EN = Column("name_en", _("Indicator in English"), (
    "tên tiếng anh", "tên chỉ tiêu tiếng anh", "english name", "name in english"), width=40)
MEASURE = Column("measure", _("Unit of measure"), (
    "đơn vị tính", "đvt", "đơn vị đo", "unit of measure", "measure", "unit"), width=12)
BASELINE = Column("baseline", _("Baseline (year)"), (
    "giá trị cơ sở", "giá trị cơ sở năm", "giá trị nền", "số liệu cơ sở", "cơ sở", "hiện trạng",
    "giá trị hiện tại", "baseline", "baseline value", "baseline year"), width=16)
BASELINE_YEAR = Column("baseline_year", _("Baseline year"), (
    "năm cơ sở", "năm gốc", "năm của giá trị cơ sở", "năm"), width=10)
DIRECTION = Column("direction", _("Direction"), (
    "chiều", "chiều tăng giảm", "xu hướng", "chiều hướng", "chiều đánh giá", "direction",
    "better when"), width=14)
FREQUENCY = Column("frequency", _("Frequency"), (
    "tần suất", "tần suất đo", "tần suất báo cáo", "kỳ báo cáo", "kỳ đo", "frequency",
    "measured"), width=12)
RESPONSIBLE = Column("responsible_unit", _("Lead unit"), (
    "đơn vị chủ trì", "cơ quan chủ trì", "chủ trì", "đơn vị chịu trách nhiệm",
    "cơ quan chịu trách nhiệm", "đơn vị theo dõi", "lead unit", "responsible unit"), width=26)
SOURCE = Column("data_source", _("Data source"), (
    "nguồn số liệu", "nguồn dữ liệu", "nguồn", "nguồn thông tin", "data source", "source"),
    width=26)
BREAKDOWN = Column("breakdown_unit", _("Reporting unit (breakdown)"), (
    "đơn vị báo cáo", "địa phương", "tỉnh thành phố", "tỉnh", "đơn vị", "reporting unit",
    "province"), width=24)
NOTE = Column("note", _("Notes"), ("ghi chú", "notes", "remarks", "note"), width=24)

COLUMNS = (SERIAL, CODE, NAME, NAME_EN, MEASURE, BASELINE, BASELINE_YEAR, DIRECTION, FREQUENCY,
           RESPONSIBLE, SOURCE, BREAKDOWN, NOTE)
BY_KEY = {column.key: column for column in COLUMNS}
#: A column of a target year is keyed "target:<year>".
TARGET_PREFIX = "target:"

_YEAR = re.compile(r"\b(19\d{2}|2[01]\d{2})\b")
#: Words that, with a year, make a header a target column.
_TARGET_WORDS = ("mục tiêu", "chỉ tiêu", "target", "đến năm", "năm", "giai đoạn", "kế hoạch")
#: Headers that, merged over a row of years, make each year below a target column.
TARGET_PARENTS = frozenset(header_key(text) for text in (
    "mục tiêu", "chỉ tiêu", "mục tiêu đến năm", "mục tiêu phấn đấu", "chỉ tiêu phấn đấu",
    "giá trị mục tiêu", "targets", "target"))


def known_headers() -> dict[str, str]:
    """{header key: column key} for every fixed column."""
    known: dict[str, str] = {}
    for column in COLUMNS:
        names = list(column.aliases)
        for language in ("vi", "en"):
            with override(language):
                names.append(str(column.label))
        for name in names:
            known.setdefault(header_key(name), column.key)
            # Typed without diacritics ("Ma chi tieu"), looked up after the exact form.
            known.setdefault("~" + loose_key(header_key(name)), column.key)
    return known


def target_year(text: str) -> int | None:
    """The year a target header names ("Mục tiêu 2030", "Đến năm 2045", "2030"), else None.
    A baseline header with a year ("Giá trị cơ sở năm 2024") is not a target."""
    key = header_key(text)
    found = _YEAR.search(key)
    if not found or "cơ sở" in key or "baseline" in key:
        return None
    rest = key.replace(found.group(1), " ").strip()
    if not rest or any(word in rest for word in _TARGET_WORDS):
        return int(found.group(1))
    return None


def baseline_header_year(text: str) -> int | None:
    """The year a baseline header carries ("Giá trị cơ sở năm 2024"), else None."""
    key = header_key(text)
    found = _YEAR.search(key)
    return int(found.group(1)) if found and ("cơ sở" in key or "baseline" in key) else None


def recognise(text: str, known: dict[str, str]) -> str | None:
    """The column key a header means, or None."""
    if not text:
        return None
    year = target_year(text)
    if year is not None:
        return f"{TARGET_PREFIX}{year}"
    key = header_key(re.sub(_YEAR, " ", text)) if baseline_header_year(text) else header_key(text)
    # "Chiều (tăng/giảm / ít nhất / tối đa)", "Tần suất (tháng, quý, năm)": the words in
    # brackets only explain the column.
    bare = header_key(re.sub(r"\([^)]*\)", " ", text))
    return (known.get(key) or known.get(bare) or known.get("~" + loose_key(key))
            or known.get("~" + loose_key(bare)))


def column_label(key: str) -> str:
    if key.startswith(TARGET_PREFIX):
        return str(_("Target %(year)s") % {"year": key[len(TARGET_PREFIX):]})
    return str(BY_KEY[key].label)
