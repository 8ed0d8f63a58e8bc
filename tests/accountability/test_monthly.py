"""The monthly report lists the units asked to explain in the period and what they answered,
frozen with its figures, in Vietnamese and in English."""

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from accountability.models import ExplanationRequest
from reports.compliance import monthly_report_data
from reports.pdf import render_monthly_report_pdf
from tests.factories import ReportingPeriodFactory, TaskFactory, UserFactory
from units.models import User

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
                    .split())


def _request(task, unit, by, asked_on: date, **answer) -> ExplanationRequest:
    return ExplanationRequest.objects.create(
        kind="overdue_task", unit=unit, task=task, message="Đề nghị giải trình.",
        reply_by=asked_on + timedelta(days=7), requested_by=by,
        requested_at=datetime.combine(asked_on, datetime.min.time(), HANOI).replace(hour=9),
        **answer)


def test_the_section_lists_who_was_asked_and_what_they_answered(department, other_unit, leader):
    period = ReportingPeriodFactory(year=2025, month=11)  # 15/10/2025 to 14/11/2025
    chief = UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)
    task = TaskFactory(code="3.4", lead_unit=department, title="Xây dựng Luật Phòng bệnh",
                       title_en="Drafting the Disease Prevention Law")
    other = TaskFactory(code="5.1", lead_unit=other_unit)
    _request(task, department, chief, date(2025, 10, 20), state="answered",
             reason="Chờ ý kiến thẩm định của Bộ Tư pháp", remedy="Đôn đốc thẩm định",
             expected_on=date(2025, 12, 31), answered_by=leader,
             answered_at=datetime(2025, 10, 25, 10, tzinfo=HANOI))
    _request(other, other_unit, chief, date(2025, 11, 10))
    _request(other, other_unit, chief, date(2025, 9, 1), state="withdrawn",
             ended_by=chief, ended_at=datetime(2025, 9, 2, tzinfo=HANOI))  # before the period
    data = monthly_report_data(period=period, on=date(2025, 11, 18))
    rows = data["sections"]["explanations"]
    assert [(row["task_code"], row["answered"]) for row in rows] == [("5.1", False),
                                                                      ("3.4", True)] or \
        sorted((row["task_code"], row["answered"]) for row in rows) == [("3.4", True),
                                                                        ("5.1", False)]

    vietnamese = _text(render_monthly_report_pdf(data=data, language="vi", number="12/BC-BYT",
                                                 issued_on=date(2025, 11, 20)))
    assert "IX. CÁC ĐƠN VỊ ĐƯỢC YÊU CẦU GIẢI TRÌNH" in vietnamese
    for expected in ("Vụ Tổ chức cán bộ", "Nhiệm vụ 3.4 (Xây dựng Luật Phòng bệnh), quá hạn",
                     "Chờ ý kiến thẩm định của Bộ Tư pháp", "Đôn đốc thẩm định", "31/12/2025",
                     "20/10/2025", "Bộ Nội vụ", "Chưa trả lời đến ngày chốt số liệu."):
        assert expected in vietnamese, expected

    english = _text(render_monthly_report_pdf(data=data, language="en", draft=True))
    assert "IX. UNITS ASKED TO EXPLAIN, AND THEIR ANSWERS" in english
    for expected in ("Task 3.4 (Drafting the Disease Prevention Law), overdue",
                     "Chờ ý kiến thẩm định của Bộ Tư pháp", "Not answered by the cut-off."):
        assert expected in english, expected


def test_figures_stored_before_the_section_existed_draw_without_it(department):
    period = ReportingPeriodFactory(year=2025, month=11)
    data = monthly_report_data(period=period, on=date(2025, 11, 18))
    del data["sections"]
    text = _text(render_monthly_report_pdf(data=data, language="vi", draft=True))
    assert "GIẢI TRÌNH" not in text
