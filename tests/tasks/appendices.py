"""Appendices laid out as ministries circulate them, built in code with openpyxl.

Each layout returns the workbook's bytes; `EXPECTED_*` say what importing it must give.

- `roman_appendix`: a one-line header with synonyms ("STT", "Cơ quan chủ trì", "Sản phẩm",
  "Ghi chú"), group rows written "I" in the number column with the heading in the next cell
  (merged across the row, or not), numbering that starts again in each group, cells naming
  several bodies, the deadline phrases appendices use.
- `two_line_appendix`: title lines, a two-line header with merged cells and a line of column
  numbers, "I. HEADING" group rows merged across, sub-headings ("1. Về thể chế") over tasks
  lettered "a)", "b)", a lead unit merged over two tasks.
- `large_appendix`: groups numbered 1, 2… with tasks "1.1", "1.2"…, 150 tasks by default.
"""

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

GROUP_NAMES = {
    1: "Đổi mới mạnh mẽ tư duy và hành động trong lãnh đạo, chỉ đạo, tổ chức thực hiện",
    # Shortened and capitalised, as appendices often write it.
    2: "HOÀN THIỆN THỂ CHẾ; NÂNG CAO NĂNG LỰC HỆ THỐNG Y TẾ",
    3: "Nâng cao y đức; phát triển nhân lực y tế",
    4: "CẢI CÁCH TÀI CHÍNH Y TẾ; PHÁT TRIỂN BỀN VỮNG BẢO HIỂM Y TẾ",
    5: "Đột phá khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số",
    6: "Phát triển y tế tư nhân; huy động mọi nguồn lực",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


def workbook_bytes(rows: list[list], merges: list[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    for values in rows:
        sheet.append(values)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _across(row: int, first: int, last: int) -> str:
    return f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"


# --- Roman-numbered group rows, several bodies in a cell ------------------------------------

ROMAN_HEADER = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm",
                "Thời hạn hoàn thành", "Ghi chú"]
#: (group, [(title, lead, coordinating, product, deadline, notes)])
ROMAN_TASKS = [
    (1, [
        ("Tuyên truyền, phổ biến Nghị quyết trên các phương tiện thông tin đại chúng",
         "Bộ Y tế", "Bộ Văn hóa, Thể thao và Du lịch; Bộ Tài chính", "Kế hoạch tuyên truyền",
         "Trong năm 2026", ""),
        ("Sắp xếp hệ thống y tế địa phương theo mô hình chính quyền hai cấp", "Bộ Y tế",
         "UBND các tỉnh, thành phố trực thuộc trung ương", "Đề án", "Quý IV năm 2025",
         "Phối hợp với Ban Tổ chức Trung ương"),
    ]),
    (2, [
        ("Xây dựng Thông tư hướng dẫn chức năng của Trạm y tế cấp xã", "Bộ Y tế",
         "Bộ Nội vụ và Bộ Tài chính", "Thông tư", "Quý 4/2025", ""),
        ("Rà soát quy hoạch mạng lưới cơ sở y tế", "Bộ Y tế",
         "Bộ Tài chính.\nBộ Xây dựng", "Báo cáo", "Trước ngày 30/10/2025", ""),
        ("Hoàn thiện chính sách về y tế dự phòng", "Bộ Y tế",
         "Bộ Công an. Bộ Quốc phòng", "Nghị định", "Tháng 12/2025", ""),
    ]),
    (3, [
        ("Đổi mới đào tạo nhân lực y tế", "Bộ Giáo dục và Đào tạo",
         "Bộ Y tế, Bộ Nội vụ, UBND các tỉnh, thành phố trực thuộc trung ương",
         "Chương trình đào tạo", "Năm 2025 - 2026", ""),
        ("Thực hiện chính sách thu hút nhân lực y tế về cơ sở",
         "UBND các tỉnh, thành phố trực thuộc trung ương", "Bộ Y tế", "Báo cáo", "2026-2030",
         "Báo cáo hằng năm"),
    ]),
    (4, [
        ("Kiểm tra việc thực hiện chính sách bảo hiểm y tế", "Bảo hiểm xã hội Việt Nam",
         "Bộ Y tế; Bộ Tài chính", "Báo cáo", "Thường xuyên", ""),
        ("Tổng kết thực hiện Luật Bảo hiểm y tế", "Bộ Y tế", "Các bộ, ngành", "Báo cáo",
         "Hằng năm", ""),
    ]),
]
#: code → (group number, lead code, coordinating codes, deadline kind, due ISO date or None)
EXPECTED_ROMAN = {
    "1.1": (1, "BYT", {"BVHTTDL", "BTC"}, "year", "2026-12-31"),
    "1.2": (1, "BYT", {"TT-UBNDTINH"}, "quarter", "2025-12-31"),
    "2.1": (2, "BYT", {"BNV", "BTC"}, "quarter", "2025-12-31"),
    "2.2": (2, "BYT", {"BTC", "BXD"}, "day", "2025-10-30"),
    "2.3": (2, "BYT", {"BCA", "BQP"}, "month", "2025-12-31"),
    "3.1": (3, "BGDDT", {"BYT", "BNV", "TT-UBNDTINH"}, "year", "2026-12-31"),
    "3.2": (3, "TT-UBNDTINH", {"BYT"}, "year", "2030-12-31"),
    "4.1": (4, "BHXH", {"BYT", "BTC"}, "ongoing", None),
    "4.2": (4, "BYT", {"TT-BONGANH"}, "annual", None),
}


def roman_appendix(tasks=ROMAN_TASKS) -> bytes:
    """Numbering starts again in each group (import with "numbered within each group")."""
    rows = [["PHỤ LỤC"], ["DANH MỤC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT"], [], ROMAN_HEADER]
    merges = [_across(1, 1, 7), _across(2, 1, 7)]
    for group, items in tasks:
        rows.append([ROMAN[group], GROUP_NAMES[group]])
        if group != 3:  # group III's heading is in the next cell, not merged
            merges.append(_across(len(rows), 2, 7))
        for number, (title, lead, coordinating, product, deadline, notes) in enumerate(
                items, start=1):
            rows.append([number, title, lead, coordinating, product, deadline, notes])
    return workbook_bytes(rows, merges)


# --- A two-line header, merged cells, sub-headings ------------------------------------------

TWO_LINE_ROWS = [
    ("group", 1),
    ("sub", "1", "Về công tác chỉ đạo, điều hành"),
    ("task", "a)", "Ban hành Kế hoạch triển khai Nghị quyết", "Bộ Y tế", "Các bộ, ngành",
     "Quyết định ban hành Kế hoạch", "Tháng 11/2025", "Đã trình"),
    ("task", "b)", "Tổ chức hội nghị quán triệt Nghị quyết", "MERGED-ABOVE",
     "UBND các tỉnh, thành phố trực thuộc trung ương", "Hội nghị", "Quý IV/2025", ""),
    ("sub", "2", "Về kiểm tra, giám sát"),
    ("task", "a)", "Kiểm tra việc thực hiện Nghị quyết tại địa phương", "Bộ Y tế",
     "Bộ Nội vụ", "Báo cáo kết quả kiểm tra", "Hằng năm", ""),
    ("group", 5),
    ("task", "5.1", "Xây dựng cơ sở dữ liệu quốc gia về y tế", "Bộ Y tế",
     "Bộ Công an; Bảo hiểm xã hội Việt Nam", "Cơ sở dữ liệu quốc gia về y tế",
     "Trước ngày 31 tháng 12 năm 2026", "Kết nối cơ sở dữ liệu dân cư"),
]
#: code → (group, lead, coordinating, description, notes)
EXPECTED_TWO_LINE = {
    "1.a": (1, "BYT", {"TT-BONGANH"}, "1. Về công tác chỉ đạo, điều hành", "Đã trình"),
    "1.b": (1, "BYT", {"TT-UBNDTINH"}, "1. Về công tác chỉ đạo, điều hành", ""),
    "2.a": (1, "BYT", {"BNV"}, "2. Về kiểm tra, giám sát", ""),
    "5.1": (5, "BYT", {"BCA", "BHXH"}, "", "Kết nối cơ sở dữ liệu dân cư"),
}


def two_line_appendix(rows=TWO_LINE_ROWS) -> bytes:
    sheet = [["PHỤ LỤC"], ["(Kèm theo Kế hoạch số 12/KH-BYT)"], [],
             ["TT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Kết quả, sản phẩm",
              "Thời gian hoàn thành", "Ghi chú"],
             [None, None, "Đơn vị chủ trì", "Đơn vị phối hợp", None, None, None],
             [f"({number})" for number in range(1, 8)]]
    merges = [_across(1, 1, 7), _across(2, 1, 7), "C4:D4",
              *(f"{column}4:{column}5" for column in "ABEFG")]
    for kind, *values in rows:
        if kind == "group":
            sheet.append([f"{ROMAN[values[0]]}. {GROUP_NAMES[values[0]].upper()}"])
            merges.append(_across(len(sheet), 1, 7))
        elif kind == "sub":
            sheet.append([f"{values[0]}.", values[1]])
            merges.append(_across(len(sheet), 2, 7))
        else:
            if "MERGED-ABOVE" in values:
                column = get_column_letter(values.index("MERGED-ABOVE") + 1)
                merges.append(f"{column}{len(sheet)}:{column}{len(sheet) + 1}")
            sheet.append([None if value == "MERGED-ABOVE" else value for value in values])
    return workbook_bytes(sheet, merges)


# --- Many tasks, Arabic-numbered groups -----------------------------------------------------

LARGE_HEADER = ["TT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
                "Sản phẩm dự kiến", "Thời hạn", "Ghi chú"]
LEADS = ["Bộ Y tế", "Bộ Tài chính", "Bộ Nội vụ", "Bộ Giáo dục và Đào tạo",
         "Bộ Khoa học và Công nghệ", "Bảo hiểm xã hội Việt Nam"]
COORDINATING = ["Bộ Tư pháp; Bộ Công Thương", "Bộ Xây dựng, Bộ Ngoại giao",
                "UBND các tỉnh, thành phố trực thuộc trung ương", "Các bộ, ngành",
                "Bộ Văn hóa, Thể thao và Du lịch và Bộ Tài chính", ""]
DEADLINES = ["Năm 2026", "Quý I/2026", "Tháng 6/2026", "30/09/2026", "Hằng quý", "2026-2030",
             "Trong năm 2027"]


def large_tasks(count: int = 150, groups: int = 6) -> list[tuple[str, int, list]]:
    """(code, group, row) of `count` tasks spread over the groups."""
    tasks = []
    for index in range(count):
        group = index * groups // count + 1
        number = sum(1 for _code, g, _row in tasks if g == group) + 1
        code = f"{group}.{number}"
        tasks.append((code, group, [
            code, f"Nhiệm vụ {code}: triển khai nội dung số {index + 1} của Nghị quyết",
            LEADS[index % len(LEADS)], COORDINATING[index % len(COORDINATING)],
            f"Báo cáo {code}\nKế hoạch {code}" if index % 3 == 0 else f"Đề án {code}",
            DEADLINES[index % len(DEADLINES)], "Trọng tâm" if index % 10 == 0 else ""]))
    return tasks


def large_appendix(count: int = 150) -> bytes:
    rows, merges = [["DANH MỤC NHIỆM VỤ"], LARGE_HEADER], []
    current = None
    for _code, group, row in large_tasks(count):
        if group != current:
            current = group
            rows.append([group, GROUP_NAMES[group].upper()])
            merges.append(_across(len(rows), 2, 7))
        rows.append(row)
    return workbook_bytes(rows, merges)
