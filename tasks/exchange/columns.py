"""The columns of a programme's task list, as the appendix writes them and as we export them.

Headers are recognised in Vietnamese and English, in the forms appendices use ("TT", "Cơ quan chủ
trì", "Kết quả, sản phẩm", "Thời hạn hoàn thành"...), whatever their case, punctuation or column
numbering ("Nhiệm vụ (2)").
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from .cells import match_key


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    #: Other headers that mean this column (Vietnamese appendices and English).
    aliases: tuple[str, ...] = ()
    #: Read by the importer; the others are exported for information only.
    importable: bool = True
    width: int = 18


RESOLUTION = Column("resolution", _("Resolution"), (
    "nghị quyết", "số nghị quyết", "chương trình", "kế hoạch", "văn bản", "resolution",
    "programme"), width=14)
CODE = Column("code", _("Task code"), (
    "mã", "mã nhiệm vụ", "mã số", "số hiệu", "stt", "tt", "số tt", "số thứ tự", "code", "no",
    "number"), width=9)
GROUP = Column("group", _("Task group"), (
    "nhóm", "nhóm nhiệm vụ", "nhóm nhiệm vụ giải pháp", "nhóm giải pháp", "group", "task group",
    "group of tasks"), width=26)
TITLE = Column("title", _("Task"), (
    "nhiệm vụ", "tên nhiệm vụ", "nội dung", "nội dung nhiệm vụ", "nhiệm vụ giải pháp",
    "nội dung công việc", "tên nhiệm vụ đề án", "task", "task title"), width=60)
LEAD_UNIT = Column("lead_unit", _("Lead unit"), (
    "cơ quan chủ trì", "đơn vị chủ trì", "chủ trì", "cơ quan chủ trì thực hiện",
    "cơ quan đơn vị chủ trì", "cơ quan chủ quản", "đơn vị chủ trì thực hiện", "lead unit",
    "lead"), width=28)
COORDINATING = Column("coordinating_units", _("Coordinating units"), (
    "cơ quan phối hợp", "đơn vị phối hợp", "phối hợp", "cơ quan phối hợp thực hiện",
    "cơ quan đơn vị phối hợp", "đơn vị phối hợp thực hiện", "cơ quan liên quan",
    "coordinating units", "coordinating"), width=36)
OUTPUTS = Column("outputs", _("Results, products"), (
    "kết quả sản phẩm", "sản phẩm", "kết quả", "sản phẩm đầu ra", "kết quả đầu ra",
    "hình thức văn bản", "hình thức sản phẩm", "sản phẩm kết quả", "sản phẩm dự kiến",
    "kết quả dự kiến", "dự kiến sản phẩm", "sản phẩm hoàn thành", "outputs", "products",
    "results products"), width=40)
AUTHORITY = Column("competent_authority", _("Competent authority"), (
    "cấp trình", "cấp có thẩm quyền", "thẩm quyền", "cơ quan có thẩm quyền", "cấp ban hành",
    "cấp trình ban hành", "cấp phê duyệt", "thẩm quyền ban hành", "thẩm quyền phê duyệt",
    "competent authority", "authority"), width=22)
DEADLINE = Column("deadline", _("Completion deadline"), (
    "thời hạn hoàn thành", "thời hạn", "thời gian hoàn thành", "tiến độ hoàn thành", "tiến độ",
    "thời gian thực hiện", "thời gian", "thời hạn thực hiện", "thời gian hoàn thành dự kiến",
    "deadline", "due"), width=20)
OFFICIAL = Column("responsible_official", _("Responsible official"), (
    "người chịu trách nhiệm", "lãnh đạo phụ trách", "người phụ trách", "cán bộ phụ trách",
    "responsible official"), width=24)
DESCRIPTION = Column("description", _("Description"), (
    "mô tả", "mô tả nhiệm vụ", "description"), width=40)
NOTES = Column("notes", _("Notes"), ("ghi chú", "notes", "remarks"), width=30)
TITLE_EN = Column("title_en", _("Task in English"), (
    "nhiệm vụ tiếng anh", "tên tiếng anh", "task english", "english title"), width=40)
IMPLEMENTS = Column("implements", _("Task of the programme implemented"), (
    "nhiệm vụ của chương trình được cụ thể hóa", "nhiệm vụ của chương trình được cụ thể hoá",
    "mã nhiệm vụ cấp trên", "nhiệm vụ cấp trên", "nhiệm vụ được cụ thể hóa",
    "nhiệm vụ được cụ thể hoá", "thực hiện nhiệm vụ", "implements", "parent task",
    "implements task"), width=14)

DUE_DATE = Column("due_date", _("Current due date"), importable=False, width=14)
STATUS = Column("status", _("Status"), importable=False, width=22)
COMPLETED_ON = Column("completed_on", _("Completed on"), importable=False, width=14)
CLARITY = Column("clarity", _("Missing clarities"), importable=False, width=26)

#: Every column of an export, in order; the template has the importable ones but the resolution.
EXPORT_COLUMNS = (RESOLUTION, CODE, GROUP, TITLE, LEAD_UNIT, COORDINATING, OUTPUTS, AUTHORITY,
                  DEADLINE, OFFICIAL, DESCRIPTION, TITLE_EN, DUE_DATE, STATUS, COMPLETED_ON,
                  CLARITY, NOTES, IMPLEMENTS)
TEMPLATE_COLUMNS = (CODE, GROUP, TITLE, LEAD_UNIT, COORDINATING, OUTPUTS, AUTHORITY, DEADLINE,
                    OFFICIAL, DESCRIPTION, TITLE_EN, NOTES)
#: The template has the column of the task implemented only for a plan implementing another.
PLAN_TEMPLATE_COLUMNS = (*TEMPLATE_COLUMNS, IMPLEMENTS)


def header_key(text: str) -> str:
    """A header as a key: no column numbering "(2)", no "*", case and punctuation ignored."""
    text = re.sub(r"\(\s*\d+\s*\)", " ", text or "")
    return match_key(text.replace("*", " "))


def known_headers() -> dict[str, str]:
    """{header key: column key} for every header the importer recognises."""
    known: dict[str, str] = {}
    for column in EXPORT_COLUMNS:
        names = [*column.aliases]
        for language in ("vi", "en"):
            with override(language):
                names.append(str(column.label))
        for name in names:
            known.setdefault(header_key(name), column.key)
    return known


BY_KEY = {column.key: column for column in EXPORT_COLUMNS}
