"""Annexes of targets shaped as ministries write them, for the import tests: a title above the
header, a header on two lines ("Mục tiêu" merged over its years, other headers merged down),
a line of column numbers, a heading row, Vietnamese numbers, per-province rows."""

import io

from openpyxl import Workbook

TOP = ["STT", "Mã  chỉ tiêu", "TÊN CHỈ TIÊU", "Đơn vị tính", "Giá trị cơ sở (năm)", "Mục tiêu",
       None, "Chiều (tăng/giảm)", "Tần suất", "Đơn vị chủ trì", "Nguồn số liệu",
       "Đơn vị báo cáo"]
BELOW = [None, None, None, None, None, "2030", "Năm 2045", None, None, None, None, None]

ROWS = [
    ["A", "CHỈ TIÊU VỀ SỨC KHỎE NHÂN DÂN"],
    [1, "1.1", "Tuổi thọ trung bình", "năm", "73,7 (2024)", "≥ 75,5", "≥ 77", "Ít nhất",
     "Hằng năm", "Bộ Y tế", "Cục Thống kê", None],
    [2, "1.2", "Tỷ lệ tiêm chủng mở rộng", "%", "90% (2024)", "> 95%", None, None,
     "Hằng tháng", "Bộ Y tế", "Hệ thống thông tin tiêm chủng", None],
    [None, None, "- Hà Nội", None, "92 (2024)", "97", None, None, None, None, None, None],
    [None, None, None, None, "88,5 (2024)", "96", None, None, None, None, None,
     "UBND tỉnh Nghệ An"],
    [3, "1.3", "Tỷ suất chết trẻ em dưới 5 tuổi", "‰", "18,2 (2023)", "15", "10", "Giảm",
     "Hằng quý", "BYT", "Cục Thống kê", None],
]


def annex_workbook(rows=None, *, top=TOP, below=BELOW, title=True, percent_column=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    if title:
        sheet.append(["Phụ lục: Chỉ tiêu"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(top))
        sheet.append(["(Kèm theo Nghị quyết số 72-NQ/TW ngày 09/9/2025 của Bộ Chính trị)"])
        sheet.append([None])
    sheet.append(top)
    header_row = sheet.max_row
    if below is not None:
        sheet.append(below)
        for column, (upper, lower) in enumerate(zip(top, below, strict=True), start=1):
            if upper and not lower:  # merged down over both lines
                sheet.merge_cells(start_row=header_row, start_column=column,
                                  end_row=header_row + 1, end_column=column)
        years = [i for i, text in enumerate(below, start=1) if text]
        if years:
            sheet.merge_cells(start_row=header_row, start_column=years[0], end_row=header_row,
                              end_column=years[-1])
    sheet.append([f"({n})" for n in range(1, len(top) + 1)])
    for row in ROWS if rows is None else rows:
        sheet.append(row)
        if len(row) == 2:  # a heading merged across the row
            sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row,
                              end_column=len(top))
    if percent_column:  # a real percentage: 0.955 shown "95,5%"
        sheet.cell(sheet.max_row, percent_column).value = 0.955
        sheet.cell(sheet.max_row, percent_column).number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
