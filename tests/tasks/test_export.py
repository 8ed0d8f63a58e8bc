"""Exporting task lists: headers in the user's language, dates dd/mm/yyyy, cells that cannot run
as formulas, and a file that imports back without any change."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from tasks.deadlines import DeadlineKind
from tasks.exchange.cells import neutralise, restore
from tasks.exchange.importing import import_apply, import_plan
from tasks.exchange.reading import table_read
from tasks.facts import facts_fill, facts_settle
from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tasks.services import task_create
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import Unit, User

from .appendix import appendix_workbook
from .test_import import WITHIN_GROUP

pytestmark = pytest.mark.django_db

TRICKY = "=HYPERLINK(\"http://example.com\",\"bấm\")"


@pytest.fixture
def resolution(db):
    reference_load()
    return Resolution.objects.get(number="282/NQ-CP")


@pytest.fixture
def actor(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)


@pytest.fixture
def programme(resolution, actor):
    """The appendix imported, plus tasks whose text would run as formulas, with line breaks
    typed in a browser, units sharing a name, and deadlines with nothing written."""
    with override("vi"):
        plan = import_plan(resolution=resolution,
                           table=table_read(content=appendix_workbook(), name="a.xlsx"),
                           options=WITHIN_GROUP)
    import_apply(plan=plan, actor=actor, reason="Nhập")
    group = resolution.groups.get(number=6)
    twin_a = Unit.objects.create(code="SYT-A", name="Sở Y tế", kind="provincial_department")
    Unit.objects.create(code="SYT-B", name="Sở Y tế", kind="provincial_department")
    task_create(actor=actor, group=group, code="6.1", title=TRICKY, lead_unit=twin_a,
                deadline_text="Hằng quý, từ quý I/2026",
                coordinating_units=Unit.objects.filter(code__in=["BTC", "TT-LIENQUAN"]),
                outputs=[("other", "- Danh mục dịch vụ\n+ phụ lục"), ("report", "@Báo cáo")],
                competent_authority="prime_minister", responsible_official="-Vụ trưởng",
                description="Dòng một\r\nDòng hai", title_en="Private health care")
    task_create(actor=actor, group=group, code="6.2", title="Huy động nguồn lực xã hội hóa",
                lead_unit=Unit.objects.get(code="BYT"), deadline_text="")
    undated = TaskFactory(group=group, code="6.3", lead_unit=Unit.objects.get(code="BTC"),
                          deadline_kind=DeadlineKind.QUARTER, deadline=date(2026, 6, 30),
                          deadline_text="")
    TaskFactory(group=group, code="6.4", lead_unit=Unit.objects.get(code="BTC"),
                deadline_kind=DeadlineKind.MONTHLY, deadline=date(2026, 1, 31),
                deadline_text="")
    return undated


def export(client, user, file_format, lang="vi", **query):
    client.force_login(user)
    client.cookies["django_language"] = lang
    response = client.get(reverse("tasks:export"), {"format": file_format, **query},
                          HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response


def reimport(resolution, content, name):
    with override("vi"):
        plan = import_plan(resolution=resolution, table=table_read(content=content, name=name))
    return plan


@pytest.mark.parametrize("file_format,lang", [("xlsx", "vi"), ("csv", "vi"), ("xlsx", "en"),
                                               ("csv", "en")])
def test_an_export_imports_back_without_any_change(client, resolution, programme, actor,
                                                   file_format, lang):
    response = export(client, actor, file_format, lang, resolution=resolution.pk)
    plan = reimport(resolution, response.content, f"x.{file_format}")
    assert plan.errors == []
    counts = plan.counts()
    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 0, 13), [
        row.changes for row in plan.rows if row.changes]
    before = Task.history.count()
    import_apply(plan=plan, actor=actor, reason="Nhập lại")
    assert Task.history.count() == before


def test_headers_follow_the_language_and_dates_read_dd_mm_yyyy(client, resolution, programme,
                                                               actor):
    sheet = load_workbook(io.BytesIO(export(client, actor, "xlsx", "vi").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[:9] == ("Nghị quyết", "Mã nhiệm vụ", "Nhóm nhiệm vụ", "Nhiệm vụ",
                          "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả, sản phẩm",
                          "Cấp có thẩm quyền", "Thời hạn hoàn thành")
    due = sheet.cell(row=4, column=13)
    assert due.number_format == "DD/MM/YYYY" and due.value.date() == date(2025, 11, 30)

    english = load_workbook(io.BytesIO(export(client, actor, "xlsx", "en").content)).active
    assert [cell.value for cell in english[3]][:4] == ["Resolution", "Task code", "Task group",
                                                       "Task"]
    text = export(client, actor, "csv", "vi").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[1] == "2.2")
    assert row[8] == "30/10/2025" and row[12] == "30/10/2025"


def test_no_exported_cell_can_run_as_a_formula(client, resolution, programme, actor):
    sheet = load_workbook(io.BytesIO(export(client, actor, "xlsx").content)).active
    risky = [cell for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@"))]
    assert {cell.value for cell in risky} >= {TRICKY, "-Vụ trưởng",
                                              "- Danh mục dịch vụ\n+ phụ lục\n@Báo cáo"}
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate

    text = export(client, actor, "csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))] == []
    assert "'" + TRICKY in cells and "'-Vụ trưởng" in cells


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-", "@x", "\tx", "'=x", "''", "'a", "a",
                                  ""])
def test_the_formula_protection_is_undone_exactly(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_export_follows_the_task_lists_filters_and_scope(client, resolution, programme,
                                                             department):
    reporter = UserFactory(role=User.Role.REPORTER, unit=Unit.objects.get(code="BTC"))
    text = export(client, reporter, "csv").content.decode("utf-8-sig")
    codes = {row[1] for row in csv.reader(io.StringIO(text))}
    assert {"6.1", "6.3", "6.4", "2.3"} <= codes  # led or coordinated by Bộ Tài chính
    assert "1.1" not in codes

    secretariat = UserFactory(role=User.Role.SECRETARIAT)
    text = export(client, secretariat, "csv", group=resolution.groups.get(number=6).pk,
                  q="Huy động").content.decode("utf-8-sig")
    assert [row[1] for row in csv.reader(io.StringIO(text))][1:] == ["6.2"]


def test_a_large_export_is_prepared_by_a_job(client, settings, resolution, programme, actor,
                                             django_capture_on_commit_callbacks):
    settings.TASK_EXPORT_INLINE_ROWS = 2
    client.force_login(actor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("tasks:export"), {"format": "xlsx"})
    job_url = response.url
    page = client.get(job_url).content.decode()
    assert "Tải về" in page
    download = client.get(job_url + "download/")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
                .iter_rows(values_only=True))
    assert len(rows) == 3 + 13
    # Someone else's file is not found.
    client.force_login(UserFactory(role=User.Role.SECRETARIAT))
    assert client.get(job_url).status_code == 404
    assert client.get(job_url + "download/").status_code == 404


def test_the_export_costs_the_same_for_3_and_30_tasks(client, secretariat):
    collective = UnitFactory(kind="collective")
    collective.members.set([UnitFactory(), UnitFactory()])

    def add(count):
        for index in range(count):
            TaskFactory(lead_unit=collective if index % 2 else UnitFactory(),
                        coordinating_units=[UnitFactory()],
                        deadline_kind=DeadlineKind.ANNUAL if index % 3 else DeadlineKind.DAY)

    client.force_login(secretariat)

    def count():
        # The per-task facts settled first, as a writer and the nightly fill leave them (their
        # upkeep is tests/reports/test_task_facts.py's): the export's own queries.
        facts_settle()
        facts_fill(day=timezone.localdate())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("tasks:export"), {"format": "xlsx"}).status_code == 200
        return len(queries)

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_the_template_imports_once_filled(client, resolution, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("tasks:import_template", args=[resolution.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]][:4] == ["Mã nhiệm vụ", "Nhóm nhiệm vụ", "Nhiệm vụ",
                                                     "Cơ quan chủ trì"]
    guide = [row[1] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "Quý IV/2025" in guide and "Thủ tướng Chính phủ" in guide
    units = [row[0] for row in workbook.worksheets[2].iter_rows(values_only=True)]
    assert "TT-UBNDTINH" in units
    sheet.append(["2.10", "2", "Ban hành Thông tư", "BYT", "BNV; BTC", "Thông tư",
                  "Bộ trưởng", "Quý I/2026"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = reimport(resolution, buffer.getvalue(), "mau.xlsx")
    assert plan.errors == [] and [row.code for row in plan.rows] == ["2.10"]
