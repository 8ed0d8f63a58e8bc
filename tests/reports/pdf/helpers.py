"""What the tests in pdf/ share: their data, helpers and fixtures."""

import re
import subprocess
from collections import Counter
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from pypdf import PdfReader

from reports.compliance import monthly_report_data
from reports.models import ProgressReport
from reports.pdf import render_monthly_report_pdf
from tasks.deadlines import DeadlineKind
from tasks.models import Output, Resolution, Task
from tasks.rules import StatusClass, task_status_class
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


State = ProgressReport.State


CUTOFF = date(2025, 11, 14)


CLASS_LABELS = {
    "vi": {StatusClass.COMPLETED_ON_TIME: "Đã hoàn thành đúng hạn",
           StatusClass.COMPLETED_LATE: "Đã hoàn thành quá hạn",
           StatusClass.IN_PROGRESS: "Chưa hoàn thành, trong hạn",
           StatusClass.OVERDUE: "Chưa hoàn thành, quá hạn"},
    "en": {StatusClass.COMPLETED_ON_TIME: "Completed on time",
           StatusClass.COMPLETED_LATE: "Completed late",
           StatusClass.IN_PROGRESS: "In progress, within deadline",
           StatusClass.OVERDUE: "Overdue"},
}


DIACRITICS_TITLE = "Kiểm tra thế hệ trạm y tế mới, giữ vững chất lượng, đặc biệt ở mỗi xã"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, in the order it was drawn (WeasyPrint draws a table cell by cell,
    so a wrapped cell reads as one run); pdftotext separates pages with a form feed."""
    args = ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"]
    result = subprocess.run(args, input=pdf, capture_output=True, check=True)
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (wrapped cells join)."""
    return " ".join(text.split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def font_names(pdf: bytes) -> set[str]:
    """The base names of every font the pages (and the forms they draw) use."""
    names = set()

    def visit(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            # "ABCDEF+Liberation-Serif-Bold": the subset tag, then the face's name
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", ""))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Resources"):
                visit(xobject["/Resources"])

    for page in PdfReader(BytesIO(pdf)).pages:
        visit(page.get("/Resources"))
    return names


def section(text: str, start: str, end: str) -> str:
    """The text between the numbered headings `start` ("I.") and `end` ("II.")."""
    match = re.search(rf"(?m)^\s*{re.escape(start)} (.*?)^\s*{re.escape(end)} ", text, re.S)
    assert match, f"section {start} not found"
    return match.group(1)


def report(task, unit, period, state=State.SUBMITTED, day=date(2025, 11, 16), **fields):
    author = UserFactory(unit=unit)
    extra = {}
    if state != State.DRAFT:
        extra.update(submitted_at=at(day), submitted_by=author)
    if state == State.APPROVED:
        extra.update(decided_at=at(day, 15), decided_by=UserFactory(unit=unit))
    return ProgressReportFactory(task=task, unit=unit, period=period, state=state,
                                 created_by=author, **extra, **fields)


@pytest.fixture
def november():
    return ReportingPeriodFactory(year=2025, month=11)


@pytest.fixture
def scenario(november):
    return make_scenario(november)


def make_scenario(november) -> dict[str, Task]:
    """Eight tasks of 282/NQ-CP (implementing 72-NQ/TW) in three groups, led by four units."""
    byt = UnitFactory(code="BYT", name="Bộ Y tế", name_en="Ministry of Health",
                      kind=Unit.Kind.MINISTRY)
    tccb = UnitFactory(code="BYT-TCCB", name="Vụ Tổ chức cán bộ",
                       name_en="Department of Personnel and Organisation", parent=byt)
    bnv = UnitFactory(code="BNV", name="Bộ Nội vụ", name_en="Ministry of Home Affairs",
                      kind=Unit.Kind.MINISTRY)
    btc = UnitFactory(code="BTC", name="Bộ Tài chính", name_en="Ministry of Finance",
                      kind=Unit.Kind.MINISTRY)
    provinces = UnitFactory(code="UBND-TINH", name="UBND các tỉnh, thành phố trực thuộc trung ương",
                            kind=Unit.Kind.COLLECTIVE)
    provinces.members.set([UnitFactory(code="HN", name="UBND thành phố Hà Nội",
                                       kind=Unit.Kind.PROVINCE)])
    party = ResolutionFactory(number="72-NQ/TW", kind=Resolution.Kind.PARTY_RESOLUTION,
                              issuer="Bộ Chính trị", is_tracked=False,
                              issued_on=date(2025, 9, 9),
                              title="Về một số giải pháp đột phá, tăng cường bảo vệ, chăm sóc "
                                    "và nâng cao sức khỏe Nhân dân")
    programme = ResolutionFactory(number="282/NQ-CP", implements=party,
                                  title="Chương trình hành động của Chính phủ")
    one = TaskGroupFactory(resolution=programme, number=1,
                           name="Đổi mới mạnh mẽ tư duy và hành động trong lãnh đạo, chỉ đạo, "
                                "tổ chức thực hiện", name_en="Renewing thinking and action")
    two = TaskGroupFactory(resolution=programme, number=2,
                           name="Hoàn thiện thể chế; nâng cao năng lực hệ thống y tế")
    three = TaskGroupFactory(resolution=programme, number=3,
                             name="Nâng cao y đức; phát triển nhân lực y tế")
    day = DeadlineKind.DAY
    tasks = {
        # in progress; falls due in the next period
        "streamline": TaskFactory(
            group=one, code="1.1", lead_unit=tccb, coordinating_units=[bnv, provinces],
            title="Sắp xếp, tinh gọn hệ thống y tế phù hợp với mô hình chính quyền địa phương",
            deadline_kind=day, deadline=date(2025, 11, 30), deadline_text="Trước 30/11/2025"),
        # overdue since 31/10 (15 days on the cut-off)
        "stations": TaskFactory(group=one, code="1.2", lead_unit=tccb, title=DIACRITICS_TITLE,
                                deadline_kind=day, deadline=date(2025, 10, 30),
                                deadline_text="Trước 30/10/2025"),
        "circular": TaskFactory(group=two, code="2.1", lead_unit=byt,
                                title="Thông tư hướng dẫn chức năng, nhiệm vụ của trạm y tế xã",
                                deadline_kind=DeadlineKind.QUARTER, deadline=date(2025, 12, 31),
                                deadline_text="Quý IV/2025", completed_on=date(2025, 11, 1)),
        "salaries": TaskFactory(group=two, code="2.2", lead_unit=bnv,
                                title="Quy định chế độ tiền lương, phụ cấp ưu đãi nghề",
                                deadline=date(2025, 9, 30), completed_on=date(2025, 11, 5)),
        "fees": TaskFactory(group=two, code="2.3", lead_unit=btc,
                            title="Đề án miễn viện phí cơ bản trong phạm vi quyền lợi bảo hiểm",
                            deadline_kind=DeadlineKind.MONTH, deadline=date(2025, 10, 31),
                            deadline_text="Tháng 10/2025"),
        "training": TaskFactory(group=three, code="3.1", lead_unit=byt,
                                title="Đào tạo chuyên sâu về y tế cơ sở tại các trường trọng điểm",
                                deadline_kind=DeadlineKind.ONGOING, deadline=None,
                                deadline_text="Thường xuyên"),
        # monthly from 31/10/2025, the October round not done: overdue by 14 days
        "monthly": TaskFactory(group=three, code="3.2", lead_unit=byt,
                               title="Báo cáo Thường trực Ban Bí thư về chất lượng, tiến độ",
                               deadline_kind=DeadlineKind.MONTHLY, deadline=date(2025, 10, 31),
                               deadline_text="Hằng tháng"),
        "checkups": TaskFactory(group=three, code="3.3", lead_unit=provinces,
                                title="Khám sức khỏe định kỳ miễn phí ít nhất một lần mỗi năm",
                                deadline_kind=DeadlineKind.ANNUAL, deadline=date(2026, 12, 31),
                                deadline_text="Hằng năm, từ năm 2026"),
    }
    Output.objects.filter(task=tasks["circular"]).update(
        document_number="15/2025/TT-BYT", issued_on=date(2025, 11, 1))
    october = ReportingPeriodFactory(year=2025, month=10)
    report(tasks["training"], byt, october, day=date(2025, 10, 15), percent_complete=30)
    report(tasks["stations"], tccb, november, percent_complete=50,
           results="Đã khảo sát 120 trạm y tế xã.",
           difficulties="Chờ ý kiến thẩm định của Bộ Tư pháp",
           proposals="Đề nghị Văn phòng Chính phủ cho gia hạn đến 31/12/2025")
    report(tasks["streamline"], tccb, november, State.APPROVED, percent_complete=60,
           results="Đã trình Đề án sắp xếp các đơn vị sự nghiệp trực thuộc Bộ.")
    report(tasks["streamline"], bnv, november, difficulties="Thiếu biên chế để bố trí")
    report(tasks["circular"], byt, november, State.APPROVED,
           progress_status=ProgressReport.ProgressStatus.COMPLETED, percent_complete=100,
           completion_date=date(2025, 11, 1),
           results="Đã ban hành Thông tư số 15/2025/TT-BYT ngày 01/11/2025.")
    report(tasks["fees"], btc, november, State.DRAFT,
           difficulties="Một bản nháp: không được trích")
    return tasks


def build(period):
    return monthly_report_data(period=period, on=date(2025, 11, 18))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """The scenario's data, its PDFs (Vietnamese as issued, English as a draft) and what the
    database says independently; built once for the module, in a transaction rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        november = ReportingPeriodFactory(year=2025, month=11)
        make_scenario(november)
        data = build(november)
        tracked = list(Task.objects.filter(resolution__is_tracked=True)
                       .prefetch_related("occurrence_completions"))
        classes = {task.code: task_status_class(task=task, on=CUTOFF) for task in tracked}
        result = {
            "data": data,
            "counts": Counter(classes.values()),
            "overdue": sorted(code for code, status in classes.items()
                              if status == StatusClass.OVERDUE),
            "codes": sorted(classes),
            "vi": render_monthly_report_pdf(data=data, language="vi", number="12/BC-BYT",
                                            issued_on=date(2025, 11, 20)),
            "en": render_monthly_report_pdf(data=data, language="en", draft=True),
        }
        transaction.set_rollback(True)
    return result
