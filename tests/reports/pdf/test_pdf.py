"""The monthly report to the Standing Secretariat as a PDF, rendered for real and read back.

The November 2025 period holds data from 15/10 to 14/11/2025 (its cut-off); the next cut-off is
14/12/2025. Text is read back with pdftotext (poppler), pages and fonts with pypdf."""

import re
import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from reports.charts import group_progress_chart, status_bar_chart
from reports.models import ProgressReport
from reports.pdf import (
    STATIC_DIR,
    StaticFilesOnly,
    _css_content,
    monthly_report_context,
    render_monthly_report_pdf,
)
from tasks.models import Task
from tasks.rules import StatusClass
from tests.factories import ResolutionFactory, TaskFactory, TaskGroupFactory, UnitFactory
from units.models import Unit

from .helpers import (
    CLASS_LABELS,
    DIACRITICS_TITLE,
    State,
    build,
    flat,
    font_names,
    page_count,
    pdf_pages,
    report,
    section,
)

pytestmark = pytest.mark.django_db


def test_the_data_carries_the_appendix_resolutions_and_notable_results(scenario, november):
    data = build(november)
    rows = {row["code"]: row for row in data["appendix"]}
    assert list(rows) == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]
    streamline = rows["1.1"]
    assert streamline["lead_unit"]["unit_name"] == "Vụ Tổ chức cán bộ"
    assert [unit["unit_code"] for unit in streamline["coordinating_units"]] == [
        "BNV", "UBND-TINH"]
    assert streamline["percent_complete"] == 60
    assert streamline["latest_update"].startswith("Đã trình Đề án")
    assert streamline["group"] == 1 and streamline["status"] == "in_progress"
    assert rows["2.1"]["outputs"] == [{"kind": "circular", "title": "Thông tư hướng dẫn",
                                       "document_number": "15/2025/TT-BYT",
                                       "issued_on": "2025-11-01"}]
    assert rows["3.1"]["percent_complete"] == 30  # October's report, the latest one
    assert rows["3.1"]["latest_update"] == ""
    assert rows["2.3"]["percent_complete"] is None  # only a draft
    assert (rows["3.3"]["deadline_kind"], rows["3.3"]["deadline"], rows["3.3"]["deadline_text"]) \
        == ("annual", "2026-12-31", "Hằng năm, từ năm 2026")
    assert data["resolutions"] == [{
        "resolution_id": scenario["streamline"].resolution_id, "number": "282/NQ-CP",
        "kind": "government_resolution", "issuer": "Chính phủ",
        "title": "Chương trình hành động của Chính phủ", "title_en": "",
        "implements": {"number": "72-NQ/TW", "kind": "party_resolution"}}]
    notable = {group["number"]: [(item["task_code"], item["unit_code"], item["text"])
                                 for item in group["notable_results"]]
               for group in data["by_group"]}
    # approved reports only (1.2's submitted one is not quoted)
    assert notable == {
        1: [("1.1", "BYT-TCCB", "Đã trình Đề án sắp xếp các đơn vị sự nghiệp trực thuộc Bộ.")],
        2: [("2.1", "BYT", "Đã ban hành Thông tư số 15/2025/TT-BYT ngày 01/11/2025.")],
        3: []}


def test_the_latest_update_is_shortened(scenario, november):
    ProgressReport.objects.filter(task=scenario["fees"], state=State.DRAFT).delete()
    report(scenario["fees"], scenario["fees"].lead_unit, november, State.APPROVED,
           results="Kết quả " * 100)
    row = next(row for row in build(november)["appendix"] if row["code"] == "2.3")
    assert 250 < len(row["latest_update"]) <= 300 and row["latest_update"].endswith("…")


def test_the_figures_take_the_same_queries_for_8_tasks_and_48(scenario, november):
    # Each count is taken with the per-task facts settled, as a writer and the nightly fill
    # leave them (their upkeep is tests/reports/test_task_facts.py's): the figures' own queries.
    build(november)
    with CaptureQueriesContext(connection) as small:
        build(november)
    group = scenario["streamline"].group
    for index in range(40):
        task = TaskFactory(group=group, code=f"9.{index}", lead_unit=scenario["fees"].lead_unit,
                           coordinating_units=[scenario["salaries"].lead_unit])
        report(task, task.lead_unit, november, State.APPROVED, results="Đã hoàn thành dự thảo")
    build(november)
    with CaptureQueriesContext(connection) as large:
        data = build(november)
    assert len(data["appendix"]) == 48
    assert len(large.captured_queries) == len(small.captured_queries)


def test_vietnamese_text_comes_out_exactly(rendered):
    text = flat("\n".join(pdf_pages(rendered["vi"])))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "BỘ Y TẾ", "12/BC-BYT", "BÁO CÁO", "Chưa hoàn thành, quá hạn",
                     "Chưa hoàn thành, trong hạn", "Đã hoàn thành đúng hạn", "Vụ Tổ chức cán bộ",
                     DIACRITICS_TITLE, "Chờ ý kiến thẩm định của Bộ Tư pháp",
                     "Quý IV/2025", "Hằng năm, từ năm 2026", "72-NQ/TW", "282/NQ-CP", "11/2025",
                     "Thường trực Ban Bí thư", "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"):
        assert expected in text, expected
    for word in ("ế", "ữ", "ặ", "ỗ"):
        assert word in text
    assert "Một bản nháp" not in text  # a draft report is never quoted


def test_the_english_version_keeps_the_state_header_in_vietnamese(rendered):
    text = flat("\n".join(pdf_pages(rendered["en"])))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    for expected in ("REPORT", "Overdue", "In progress, within deadline",
                     "Department of Personnel and Organisation", "Renewing thinking and action",
                     "Quarter IV/2025", "Annually, first due 31/12/2026", "APPENDIX"):
        assert expected in text, expected
    assert "Chưa hoàn thành, quá hạn" not in text
    assert re.search(r"\.\.\./BC-BYT", text)  # a draft has no number yet


def test_the_overview_counts_are_what_the_database_says(rendered):
    expected = rendered["counts"]
    assert sum(expected.values()) == 8 and expected[StatusClass.OVERDUE] == 3
    for language, labels in CLASS_LABELS.items():
        text = "\n".join(pdf_pages(rendered[language]))
        overview = section(text, "I.", "II.")
        total = sum(expected.values())
        for status, label in labels.items():
            count = expected[status]
            share = f"{100 * count / total:.1f}"
            share = share.replace(".", ",") if language == "vi" else share
            # the table's row: label, count, share; and the chart's bar: label, "n (share%)"
            assert re.search(rf"(?m)^{re.escape(label)} {count} {re.escape(share)}% ",
                             overview), (language, label, count, overview)
            assert re.search(rf"(?m)^{re.escape(label)} {count} \({re.escape(share)}%\)$",
                             text), (language, label, count)


def test_the_overdue_list_is_exactly_the_overdue_tasks(rendered):
    overdue = rendered["overdue"]
    assert overdue == ["1.2", "2.3", "3.2"]
    for language in ("vi", "en"):
        listed = section("\n".join(pdf_pages(rendered[language])), "III.", "IV.")
        codes = sorted(re.findall(r"(?m)^\s*(\d+\.\d+)\s", listed))
        assert codes == overdue, language
    listed = flat(section("\n".join(pdf_pages(rendered["vi"])), "III.", "IV."))
    assert "Chờ ý kiến thẩm định của Bộ Tư pháp" in listed
    assert re.search(r"\b15\b", listed) and re.search(r"\b14\b", listed)  # days overdue


def test_the_appendix_lists_every_task(rendered):
    codes = rendered["codes"]
    assert len(codes) == 8
    for language in ("vi", "en"):
        pages = pdf_pages(rendered[language])
        start = next(index for index, page in enumerate(pages)
                     if re.search(r"PHỤ LỤC|APPENDIX|Appendix", page))
        appendix = "\n".join(pages[start:])
        assert sorted(set(re.findall(r"(?m)^\s*(\d+\.\d+)\s", appendix))) == codes
    # and the landscape appendix begins on a page of its own, after the signature
    reader = PdfReader(BytesIO(rendered["vi"]))
    first, last = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert first.width < first.height and last.width > last.height


def test_every_page_is_numbered_out_of_the_total(rendered):
    for language, form in (("vi", "Trang {}/{}"), ("en", "Page {} of {}")):
        pages = pdf_pages(rendered[language])
        total = page_count(rendered[language])
        assert len(pages) == total >= 2
        for number, text in enumerate(pages, start=1):
            assert form.format(number, total) in text, (language, number)


def test_a_draft_says_so_on_every_page_and_an_issued_report_does_not(rendered):
    draft_vi = render_monthly_report_pdf(data=rendered["data"], language="vi", draft=True)
    for pdf, word in ((draft_vi, "DỰ THẢO"), (rendered["en"], "DRAFT")):
        pages = pdf_pages(pdf)
        assert len(pages) == page_count(pdf)
        assert all(word in page for page in pages)
    issued = "\n".join(pdf_pages(rendered["vi"]))
    assert "DỰ THẢO" not in issued and "DRAFT" not in issued
    english_issued = render_monthly_report_pdf(data=rendered["data"], language="en",
                                               number="12/BC-BYT", issued_on=date(2025, 11, 20))
    text = "\n".join(pdf_pages(english_issued))
    assert "DRAFT" not in text and "No.: 12/BC-BYT" in text and "20/11/2025" in text


def test_the_fonts_embedded_are_liberation_serif(rendered):
    for language in ("vi", "en"):
        names = font_names(rendered[language])
        assert names and all(name.startswith("LiberationSerif") for name in names), names
        assert {"LiberationSerif", "LiberationSerifBold"} <= names
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", "-"], input=rendered["vi"], capture_output=True,
                                 check=False)
        if listing.returncode == 0:  # older poppler cannot read from stdin
            rows = listing.stdout.decode().splitlines()[2:]
            assert rows and all(row.split("+")[1].startswith("Liberation-Serif")
                                and " yes yes " in row for row in rows)


def test_user_text_is_text_and_long_text_wraps(scenario, november):
    word = "x" * 400
    hostile = "<script>alert(1)</script> " + ("Nội dung rất dài của nhiệm vụ. " * 97) + word
    assert len(hostile) > 3400
    Task.objects.filter(pk=scenario["stations"].pk).update(title=hostile)
    Unit.objects.filter(code="BTC").update(name="<b>Bộ Tài chính</b> & \"Kho bạc\"")
    ProgressReport.objects.filter(task=scenario["stations"]).update(
        difficulties="<img src=x onerror=alert(2)> " + word)
    pdf = render_monthly_report_pdf(data=build(november), language="vi", draft=True)
    text = "\n".join(pdf_pages(pdf))
    assert "<script>alert(1)</script>" in text
    assert "<b>Bộ Tài chính</b> & \"Kho bạc\"" in flat(text)
    assert "<img src=x onerror=alert(2)>" in text
    # the 400-letter word is broken over lines, never cut off: every letter is there
    assert sum(line.count("x") for line in text.splitlines()
               if set(line.strip()) == {"x"}) >= 2 * 400
    assert page_count(pdf) <= 16


def test_a_report_of_200_tasks_renders(november):
    lead = UnitFactory(code="BYT", name="Bộ Y tế", kind=Unit.Kind.MINISTRY)
    helper = UnitFactory(code="BNV", name="Bộ Nội vụ", kind=Unit.Kind.MINISTRY)
    programme = ResolutionFactory(number="282/NQ-CP")
    groups = [TaskGroupFactory(resolution=programme, number=number,
                               name=f"Nhóm nhiệm vụ và giải pháp thứ {number}")
              for number in range(1, 7)]
    for index in range(200):
        task = TaskFactory(group=groups[index % 6], code=f"{index % 6 + 1}.{index // 6 + 1}",
                           lead_unit=lead, coordinating_units=[helper],
                           title=f"Nhiệm vụ số {index + 1}: xây dựng, hoàn thiện văn bản "
                                 "quy phạm pháp luật về y tế cơ sở",
                           deadline=date(2025, 10 + index % 3, 28))
        if index % 4 == 0:
            Task.objects.filter(pk=task.pk).update(completed_on=date(2025, 11, 1))
        if index % 2 == 0:
            report(task, lead, november, State.APPROVED, percent_complete=index % 100,
                   results="Đã hoàn thành dự thảo, đang lấy ý kiến các bộ, ngành.",
                   difficulties="Thiếu kinh phí" if index % 10 == 0 else "")
    data = build(november)
    pdf = render_monthly_report_pdf(data=data, language="vi", draft=True)
    pages = pdf_pages(pdf)
    assert len(pages) == page_count(pdf)
    appendix = "\n".join(pages)
    codes = {row["code"] for row in data["appendix"]}
    assert len(codes) == 200
    assert codes <= set(re.findall(r"(?m)^\s*(\d+\.\d+)\s", appendix))
    assert all("DỰ THẢO" in page for page in pages)


def test_charts_are_accessible_svg_with_escaped_text():
    labels = {"completed_on_time": "On <time>", "completed_late": "Late & slow",
              "in_progress": "In progress", "overdue": "Overdue \"now\""}
    svg = status_bar_chart({"completed_on_time": 3, "completed_late": 1, "in_progress": 4,
                            "overdue": 2}, labels, title="Status <on> 14/11")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    assert "Status &lt;on&gt; 14/11" in svg and "On &lt;time&gt;" in svg
    assert "Late &amp; slow" in svg and "<time>" not in svg
    assert "3 (30.0%)" in svg or "3 (30,0%)" in svg
    groups = group_progress_chart(
        [{"label": "Nhóm <1>", "counts": {"overdue": 2, "in_progress": 1}},
         {"label": "Nhóm 2", "counts": {}}], title="Groups & classes")
    assert 'role="img"' in groups and "Nhóm &lt;1&gt;" in groups
    assert "Groups &amp; classes" in groups and "<1>" not in groups
    # distinct ids per chart, so two charts in one document do not share patterns
    ids = set(re.findall(r'id="([^"]+)-title"', svg + groups))
    assert len(ids) == 2


def test_figures_stored_by_an_older_version_still_render():
    pdf = render_monthly_report_pdf(data={}, language="vi", draft=True)
    assert page_count(pdf) >= 2
    assert all("DỰ THẢO" in page for page in pdf_pages(pdf))


def test_nothing_is_fetched_but_the_static_files():
    fetcher = StaticFilesOnly(STATIC_DIR)
    for url in ("https://example.com/style.css", "http://127.0.0.1/static/css/pdf.css",
                "file:///etc/passwd", (STATIC_DIR / ".." / "README.md").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch((STATIC_DIR / "css" / "pdf.css").as_uri())


def test_words_in_page_rules_are_escaped():
    content = _css_content('Trang %(number)s/%(total)s "</style>\\',
                           {"number": "page", "total": "pages"})
    assert content.startswith('"Trang " counter(page) "/" counter(pages) ')
    assert "</style>" not in content and content.count('"') == 6


def test_the_date_line_follows_decree_30_in_vietnamese():
    def place_date(language, day):
        with translation.override(language):
            return monthly_report_context(data={}, language=language, draft=False, number="",
                                          issued_on=day)["place_date"]
    # a day below 10 and a month below 3 take a zero; other months do not
    assert "05" in place_date("vi", date(2025, 2, 5)) and "02" in place_date("vi", date(2025, 2, 5))
    assert re.search(r"\b3\b", place_date("vi", date(2025, 3, 5)))
    assert "05/03/2025" in place_date("en", date(2025, 3, 5))


def test_proposals_naming_who_must_act_are_grouped_by_it():
    unit = {"unit_name": "Bộ Y tế", "unit_name_en": ""}
    data = {"difficulties": [{**unit, "task_code": "1.1", "text": "Thiếu kinh phí"}],
            "proposals": [{**unit, "task_code": "1.1", "text": "Bổ sung kinh phí",
                           "addressee": "Bộ Tài chính"}]}
    with translation.override("vi"):
        context = monthly_report_context(data=data, language="vi", draft=True, number="",
                                         issued_on=None)
    assert context["raised_by_addressee"]
    assert [(entry["name"], len(entry["difficulties"]), len(entry["proposals"]))
            for entry in context["raised"]] == [("Bộ Y tế", 1, 0), ("Bộ Tài chính", 0, 1)]
    without = {**data, "proposals": [{**data["proposals"][0], "addressee": ""}]}
    with translation.override("vi"):
        context = monthly_report_context(data=without, language="vi", draft=True, number="",
                                         issued_on=None)
    assert not context["raised_by_addressee"]
    assert [entry["name"] for entry in context["raised"]] == ["Bộ Y tế"]
