"""The dashboard's charts: SVG drawn on the server, named and described for a screen reader,
told apart by patterns as well as colours, every text escaped."""

import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

from reports.charts import (
    PDF_FONT,
    completion_trend_chart,
    deadline_timeline_chart,
    group_progress_chart,
    status_bar_chart,
)
from tasks.rules import StatusClass

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {status.value: str(status.label) for status in StatusClass}


def _group(number: int, name: str):
    return SimpleNamespace(pk=number, number=number, display_name=name,
                           resolution=SimpleNamespace(number="282/NQ-CP"))


def _cell(month: date, **counts):
    counts = {status: counts.get(status, 0) for status in LABELS}
    return {"month": month, "total": sum(counts.values()), "counts": counts}


def _timeline():
    months = [date(2026, month, 1) for month in range(1, 7)]
    return {"months": months, "this_month": date(2026, 3, 1), "lines": [
        {"group": _group(1, "Đổi mới <tư duy> & hành động"),
         "cells": [_cell(month) for month in months[:2]]
         + [_cell(months[2], overdue=2, in_progress=1), _cell(months[3], in_progress=40)]
         + [_cell(month) for month in months[4:]]},
        {"group": _group(2, "Nhân lực y tế"), "cells": [_cell(month) for month in months]},
    ]}


def test_the_timeline_is_an_image_with_a_title_a_description_and_patterns():
    svg = deadline_timeline_chart(_timeline(), labels=LABELS, title="Thời hạn theo tháng")
    root = ET.fromstring(svg)  # well-formed: the names with < and & were escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Thời hạn theo tháng"
    description = root.find(f"{SVG}desc").text
    assert "282/NQ-CP · 1: 43 (03/26–04/26; max 40, 04/26)." in description
    assert "282/NQ-CP · 2: 0." in description
    patterns = {pattern.get("id").rsplit("-", 1)[-1] for pattern in root.iter(f"{SVG}pattern")}
    assert {"late", "overdue"} <= {name.split("_")[-1] for name in patterns}
    # One column per month with deadlines, each named by its month and number.
    titles = [title.text for title in root.iter(f"{SVG}title")]
    assert "03/26: 3" in titles and "04/26: 40" in titles
    assert "Đổi mới <tư duy> & hành động" in titles  # the group's full name, escaped back
    # A quiet month stays visible beside a crowded one (square-root heights).
    columns = {group.find(f"{SVG}title").text: sum(
        float(rect.get("height")) for rect in group.findall(f"{SVG}rect"))
        for group in root.iter(f"{SVG}g") if group.find(f"{SVG}title") is not None}
    assert columns["03/26: 3"] > columns["04/26: 40"] / 4


def test_the_completion_trend_chart():
    months = [{"month": date(2026, month, 1), "on_time": month, "late": 1,
               "share": 10.0 * month} for month in range(1, 4)]
    svg = completion_trend_chart(months, title="Hoàn thành theo tháng", on_time="Đúng hạn",
                                 late="Quá hạn", share="Tỷ lệ đã hoàn thành")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Hoàn thành theo tháng"
    description = root.find(f"{SVG}desc").text
    assert "03/26: Đúng hạn 3, Quá hạn 1, Tỷ lệ đã hoàn thành 30" in description
    assert len(root.findall(f"{SVG}circle")) >= 3  # the share, month by month
    assert any(element.get("stroke-dasharray") for element in root.iter(f"{SVG}polyline"))


def test_empty_charts_are_still_valid():
    ET.fromstring(completion_trend_chart([], title="T", on_time="a", late="b", share="c"))
    ET.fromstring(deadline_timeline_chart({"months": [], "lines": [], "this_month": None},
                                          labels=LABELS, title="T"))


def test_on_a_page_the_charts_take_the_pages_font_and_in_the_pdf_its_own():
    counts = dict.fromkeys(LABELS, 1)
    groups = [{"label": "Nhóm 1", "counts": counts}]
    web = [status_bar_chart(counts, LABELS, title="T"),
           group_progress_chart(groups, title="T", labels=LABELS),
           deadline_timeline_chart(_timeline(), labels=LABELS, title="T"),
           completion_trend_chart([], title="T", on_time="a", late="b", share="c")]
    for svg in web:
        assert "font-family" not in svg  # inherited from the page (static/css/app.css)
    pdf = status_bar_chart(counts, LABELS, title="T", font_family=PDF_FONT)
    assert ET.fromstring(pdf).get("font-family") == "Liberation Serif, Times New Roman, serif"
