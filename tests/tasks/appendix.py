"""Spreadsheets shaped like a real programme appendix, for the import tests."""

import csv
import io
from datetime import datetime

from openpyxl import Workbook, load_workbook

HEADER = ["TT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Kết quả, sản phẩm", "Cấp trình",
          "Thời hạn hoàn thành"]

#: The appendix of 282/NQ-CP as its tables are laid out: group headings (merged across the
#: row), numbering that starts again in each group, a lead unit merged over two rows, bullet
#: lists, collective designations, every form of deadline.
APPENDIX_ROWS = [
    ["I. ĐỔI MỚI MẠNH MẼ TƯ DUY VÀ HÀNH ĐỘNG TRONG LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN"],
    [1, "Sắp xếp, tinh gọn hệ thống y tế phù hợp với mô hình chính quyền địa phương hai cấp",
     "Bộ Y tế", "Bộ Nội vụ, UBND các tỉnh, thành phố trực thuộc trung ương",
     "- Đề án sắp xếp hệ thống y tế\n- Quyết định phê duyệt Đề án", "Chính phủ",
     "Trước tháng 12/2025"],
    [2, "Báo cáo định kỳ hằng tháng về tiến độ thực hiện Nghị quyết 72-NQ/TW", "MERGED-ABOVE",
     "Các bộ, ngành; Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
     "Báo cáo gửi Thường trực Ban Bí thư", "Bộ trưởng Bộ Y tế", "Hằng tháng"],
    [],
    ["II. HOÀN THIỆN THỂ CHẾ; NÂNG CAO NĂNG LỰC HỆ THỐNG Y TẾ"],
    [1, "Xây dựng Thông tư hướng dẫn chức năng, nhiệm vụ, quyền hạn của Trạm y tế cấp xã",
     "Bộ Y tế", "Bộ Nội vụ; Bộ Tài chính", "Thông tư", "Bộ trưởng", "Quý IV/2025"],
    [2, "Hoàn thiện Trạm y tế xã là đơn vị sự nghiệp công lập", "Bộ Y tế",
     "UBND các tỉnh, thành phố trực thuộc trung ương", "Báo cáo kết quả",
     "Thủ tướng Chính phủ", datetime(2025, 10, 30)],
    [3, "Xây dựng Báo cáo đề xuất chủ trương đầu tư Chương trình mục tiêu quốc gia về chăm sóc "
        "sức khỏe, dân số và phát triển giai đoạn 2026-2035", "Bộ Y tế",
     "Bộ Tài chính, Bộ Nội vụ", "Tờ trình Quốc hội", "Chính phủ", "Năm 2026"],
    ["III. NÂNG CAO Y ĐỨC; PHÁT TRIỂN NHÂN LỰC Y TẾ"],
    [1, "Đào tạo chuyên sâu về chăm sóc sức khỏe ban đầu tại các trường đại học trọng điểm",
     "Bộ Giáo dục và Đào tạo", "Bộ Y tế", "Chương trình đào tạo", "Bộ trưởng",
     "Thường xuyên"],
    ["IV. CẢI CÁCH TÀI CHÍNH Y TẾ; PHÁT TRIỂN BỀN VỮNG BẢO HIỂM Y TẾ"],
    [1, "Khám sức khỏe định kỳ hoặc khám sàng lọc miễn phí ít nhất mỗi năm một lần", "Bộ Y tế",
     "Bảo hiểm xã hội Việt Nam; Các cơ quan liên quan", "Kế hoạch triển khai", "Chính phủ",
     "Hằng năm, từ năm 2026"],
    [2, "Sửa đổi các thông tư về quyền lợi, mức đóng, mức hưởng bảo hiểm y tế", "Bộ Y tế",
     "Bảo hiểm xã hội Việt Nam", "Thông tư sửa đổi", "Bộ trưởng", "Hằng năm"],
    ["V. ĐỘT PHÁ KHOA HỌC CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI SỐ"],
    [1, "Xây dựng cơ sở dữ liệu quốc gia về y tế, kết nối với Cơ sở dữ liệu quốc gia về dân cư",
     "Bộ Y tế", "Bộ Công an; Bảo hiểm xã hội Việt Nam", "Cơ sở dữ liệu quốc gia về y tế",
     "Thủ tướng Chính phủ", "30/10/2025"],
]
#: (code, deadline kind) of each task once imported with numbering within groups.
EXPECTED = [("1.1", "month"), ("1.2", "monthly"), ("2.1", "quarter"), ("2.2", "day"),
            ("2.3", "year"), ("3.1", "ongoing"), ("4.1", "annual"), ("4.2", "annual"),
            ("5.1", "day")]


def appendix_workbook(rows=APPENDIX_ROWS) -> bytes:
    """The appendix as a resolution publishes it: title lines, a two-line header with merged
    cells, a line of column numbers, then the rows (group headings merged across)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append(["PHỤ LỤC"])
    sheet.merge_cells("A1:G1")
    sheet.append(["DANH MỤC NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 72-NQ/TW"])
    sheet.merge_cells("A2:G2")
    sheet.append(["(Kèm theo Nghị quyết số 282/NQ-CP ngày 16 tháng 9 năm 2025 của Chính phủ)"])
    sheet.merge_cells("A3:G3")
    sheet.append([])
    sheet.append(HEADER)
    sheet.append([None, None, "Chủ trì", "Phối hợp", None, None, None])
    for column in "ABEFG":
        sheet.merge_cells(f"{column}5:{column}6")
    sheet.merge_cells("C5:D5")
    sheet.append([f"({number})" for number in range(1, 8)])
    merge_with_above = []
    for values in rows:
        sheet.append([None if value == "MERGED-ABOVE" else value for value in values])
        row = sheet.max_row
        if len(values) == 1:
            sheet.merge_cells(f"A{row}:G{row}")
        if "MERGED-ABOVE" in values:
            column = "ABCDEFG"[values.index("MERGED-ABOVE")]
            merge_with_above.append(f"{column}{row - 1}:{column}{row}")
    for cells in merge_with_above:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def simple_workbook(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(header: list[str], rows: list[list], delimiter=",") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
