"""A published programme whose November report was issued, with everything that must stay
private written into it: an official's name, difficulties, proposals, results, a return comment,
a draft, markup in a title, and changes made after the report was issued."""

from datetime import date

import pytest
from django.core.cache import cache

from reports.models import ProgressReport
from reports.monthly import monthly_report_issue
from reports.services import (
    progress_report_approve,
    progress_report_return,
    progress_report_save_draft,
    progress_report_submit,
)
from tasks.models import Output
from tests.factories import (
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UserFactory,
)
from units.models import User

#: Written where the public must never read it.
SECRETS = {
    "official": "Nguyễn Văn Bí Mật",
    "difficulty": "KHÓ-KHĂN-NỘI-BỘ",
    "proposal": "ĐỀ-XUẤT-NỘI-BỘ",
    "results": "KẾT-QUẢ-NỘI-BỘ",
    "next_steps": "BƯỚC-TIẾP-NỘI-BỘ",
    "return_comment": "GÓP-Ý-TRẢ-LẠI",
    "draft": "BẢN-NHÁP-CHƯA-GỬI",
    "after_issue": "SỬA-SAU-KHI-BAN-HÀNH",
    "private_programme": "CHƯƠNG-TRÌNH-KHÔNG-CÔNG-KHAI",
    "reporter": "Trần Thị Chuyên Viên",
    "leader": "Lê Văn Lãnh Đạo",
    "secretariat": "Phạm Thư Ký",
}
SCRIPT = "<script>alert('public')</script>"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    """Issuing renders two PDFs; the public pages read the frozen figures, not the files."""
    monkeypatch.setattr("reports.monthly._render", lambda **kwargs: b"%PDF-1.7 test")


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2025, month=11)


def issue(period, number="15/BC-BYT", reason=""):
    actor = User.objects.filter(role=User.Role.SECRETARIAT).first() or UserFactory(
        role=User.Role.SECRETARIAT, unit=None, full_name=SECRETS["secretariat"])
    return monthly_report_issue(period=period, actor=actor, number=number, reason=reason)


def build_programme(*, department, period, tasks: int = 3, public: bool = True):
    """A programme with `tasks` tasks in two groups; the first titled with markup and with an
    issued circular, the second reported on with every private text, the third in draft."""
    resolution = ResolutionFactory(number=f"{tasks}/NQ-CP", is_public=public,
                                   title="Chương trình hành động thực hiện Nghị quyết 72")
    groups = [TaskGroupFactory(resolution=resolution, number=n, name=f"Nhóm {n}",
                               name_en=f"Group {n}") for n in (1, 2)]
    made = []
    for index in range(tasks):
        made.append(TaskFactory(
            group=groups[index % 2], lead_unit=department, code=f"{index % 2 + 1}.{index + 1}",
            title=f"{SCRIPT} Nhiệm vụ {index + 1}" if index == 0 else f"Nhiệm vụ {index + 1}",
            responsible_official=SECRETS["official"], deadline=date(2025, 12, 31),
            with_output=False))
    Output.objects.create(task=made[0], kind=Output.Kind.CIRCULAR, title="Thông tư hướng dẫn",
                          document_number="12/2025/TT-BYT", issued_on=date(2025, 10, 30))
    reporter = UserFactory(unit=department, role=User.Role.REPORTER,
                           full_name=SECRETS["reporter"])
    leader = UserFactory(unit=department, role=User.Role.LEADER, full_name=SECRETS["leader"])
    texts = {"percent_complete": 50, "progress_status": ProgressReport.ProgressStatus.BEHIND,
             "results": SECRETS["results"], "difficulties": SECRETS["difficulty"],
             "proposals": SECRETS["proposal"], "next_steps": SECRETS["next_steps"]}
    report = progress_report_save_draft(actor=reporter, task=made[1], unit=department,
                                        period=period, **texts)
    progress_report_submit(report=report, actor=reporter)
    progress_report_return(report=report, actor=leader, comment=SECRETS["return_comment"])
    progress_report_submit(report=report, actor=reporter)
    progress_report_approve(report=report, actor=leader)
    if tasks > 2:
        progress_report_save_draft(actor=reporter, task=made[2], unit=department, period=period,
                                   **{**texts, "results": SECRETS["draft"],
                                      "difficulties": SECRETS["draft"]})
    return resolution, made


@pytest.fixture
def programme(department, period):
    resolution, tasks = build_programme(department=department, period=period)
    private = ResolutionFactory(number="99/KH-BYT", is_public=False,
                                title=SECRETS["private_programme"])
    TaskFactory(group=TaskGroupFactory(resolution=private, name=SECRETS["private_programme"]),
                lead_unit=department, title=SECRETS["private_programme"])
    issued = issue(period)
    return {"resolution": resolution, "tasks": tasks, "private": private, "issued": issued}
