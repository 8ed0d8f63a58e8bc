"""The indicator import in the browser: upload → preview → confirm, the template, who may, and
what the pages cost."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.models import FileJob
from indicators.models import Indicator, IndicatorTarget
from tests.factories import UnitFactory

from .annex import annex_workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def annex_units(unit):
    return [unit, UnitFactory(code="HN", name="Ủy ban nhân dân Thành phố Hà Nội",
                              short_name="Hà Nội", kind="province"),
            UnitFactory(code="NA", name="Ủy ban nhân dân tỉnh Nghệ An", kind="province")]


def upload(client, resolution, content, name="phu-luc-chi-tieu.xlsx"):
    return client.post(reverse("indicators:import"), {
        "resolution": resolution.pk, "file": SimpleUploadedFile(name, content, XLSX)})


def rows(count):
    return [[n, f"2.{n}", f"Chỉ tiêu số {n}", "%", f"{50 + n % 40},5 (2024)", f"≥ {90 + n % 9}%",
             None, "Ít nhất", "Hằng năm", "Bộ Y tế", "Cục Thống kê", None]
            for n in range(1, count + 1)]


def test_upload_preview_confirm_then_import_again(client, resolution, annex_units, secretariat):
    client.force_login(secretariat)
    response = upload(client, resolution, annex_workbook())
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "3 chỉ tiêu trong tệp: 3 tạo mới, 0 cập nhật" in page
    assert "Tuổi thọ trung bình" in page and "75,5" in page and "Hà Nội" in page
    assert not Indicator.objects.exists()  # nothing written before the confirmation
    job = FileJob.objects.get(kind=FileJob.Kind.INDICATOR_IMPORT)
    done = client.post(reverse("indicators:import_confirm", args=[job.pk]), follow=True)
    assert "Đã nhập các chỉ tiêu." in done.content.decode()
    assert Indicator.objects.filter(resolution=resolution).count() == 3

    again = client.get(upload(client, resolution, annex_workbook()).url).content.decode()
    assert "0 tạo mới, 0 cập nhật" in again and "3 không đổi" in again
    assert "Xác nhận nhập" not in again  # nothing to write
    assert Indicator.objects.count() == 3


def test_the_preview_says_an_existing_code_is_updated_not_duplicated(
        client, resolution, annex_units, secretariat, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(secretariat)
    client.cookies["django_language"] = "en"
    first = upload(client, resolution, annex_workbook(rows(2)))
    client.post(reverse("indicators:import_confirm", args=[first.url.split("/")[-2]]))
    edited = rows(2)
    edited[0][5] = "≥ 99%"
    page = client.get(upload(client, resolution, annex_workbook(edited)).url).content.decode()
    assert "0 to create, 1 to update (an indicator of the same code exists: it is updated, " \
           "not duplicated)" in page
    assert "Target 2030" in page


def test_a_bad_file_lists_every_error_and_writes_nothing(client, resolution, annex_units,
                                                         secretariat):
    client.force_login(secretariat)
    bad = rows(3)
    bad[0][4] = "nhiều"
    bad[2][9] = "Bộ Không Có"
    page = client.get(upload(client, resolution, annex_workbook(bad)).url).content.decode()
    assert "2 lỗi: chưa nhập được gì cho đến khi sửa hết lỗi" in page
    assert "<td>7</td><td>2.1</td><td>Giá trị cơ sở &quot;nhiều&quot; không phải là một số" in page
    assert "<td>9</td><td>2.3</td><td>Không tìm thấy đơn vị &quot;Bộ Không Có&quot;" in page
    assert "Xác nhận nhập" not in page
    job = FileJob.objects.get()
    client.post(reverse("indicators:import_confirm", args=[job.pk]))
    assert not Indicator.objects.exists() and not IndicatorTarget.objects.exists()


def test_a_file_that_is_not_an_annex_says_why(client, resolution, secretariat):
    client.force_login(secretariat)
    response = upload(client, resolution, b"\xd0\xcf\x11\xe0old excel", name="cu.xls")
    assert "tệp Excel định dạng cũ (.xls)" in client.get(response.url).content.decode()


def test_the_template_has_the_annex_columns_and_imports_back(client, resolution, annex_units,
                                                             secretariat):
    client.force_login(secretariat)
    client.post(reverse("indicators:import_confirm", args=[
        upload(client, resolution, annex_workbook()).url.split("/")[-2]]))
    response = client.get(reverse("indicators:import_template", args=[resolution.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[3]]
    assert header[:5] == ["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính",
                          "Giá trị cơ sở (năm)"]
    assert "Mục tiêu 2030" in header and "Mục tiêu 2045" in header
    page = client.get(upload(client, resolution, response.content).url).content.decode()
    assert "3 không đổi" in page  # what it holds is what is stored


@pytest.mark.parametrize("who", ["reporter", "leader", "other_reporter"])
def test_only_the_secretariat_imports(client, resolution, annex_units, secretariat, who,
                                      request):
    client.force_login(secretariat)
    job_url = upload(client, resolution, annex_workbook()).url
    job = FileJob.objects.get()
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("indicators:import")).status_code == 403
    assert upload(client, resolution, annex_workbook()).status_code == 403
    assert client.get(reverse("indicators:import_template",
                              args=[resolution.pk])).status_code == 403
    assert client.get(job_url).status_code == 403
    assert client.post(reverse("indicators:import_confirm", args=[job.pk])).status_code == 403
    assert not Indicator.objects.exists() and FileJob.objects.count() == 1


def test_an_import_belongs_to_whoever_uploaded_it(client, resolution, annex_units, secretariat):
    from tests.factories import UserFactory
    from units.models import User

    client.force_login(secretariat)
    job_url = upload(client, resolution, annex_workbook()).url
    client.force_login(UserFactory(username="dau-moi-2", role=User.Role.SECRETARIAT))
    assert client.get(job_url).status_code == 404
    assert client.get(reverse("indicators:import")).status_code == 200


def test_the_list_offers_the_import_to_the_secretariat_only(client, secretariat, reporter):
    client.force_login(secretariat)
    assert reverse("indicators:import") in client.get(reverse("indicators:list")).content.decode()
    client.force_login(reporter)
    assert reverse("indicators:import") not in client.get(
        reverse("indicators:list")).content.decode()


def test_a_large_file_is_checked_and_written_by_jobs(client, settings, resolution, annex_units,
                                                     secretariat,
                                                     django_capture_on_commit_callbacks):
    settings.INDICATOR_IMPORT_INLINE_ROWS = 5
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job_url = upload(client, resolution, annex_workbook(rows(12))).url
    job = FileJob.objects.get()
    assert job.state == FileJob.State.QUEUED
    page = client.get(job_url).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    for callback in queued:  # the worker runs the job
        callback()
    assert "12 tạo mới" in client.get(job_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url + "confirm/")
    job.refresh_from_db()
    assert (job.state, job.report["outcome"]["create"]) == (FileJob.State.DONE, 12)
    assert Indicator.objects.count() == 12
    assert "12 chỉ tiêu được tạo" in client.get(job_url).content.decode()


def test_the_preview_costs_the_same_for_3_and_30_indicators(client, resolution, annex_units,
                                                            secretariat):
    client.force_login(secretariat)

    def count(number):
        job_url = upload(client, resolution, annex_workbook(rows(number))).url
        with CaptureQueriesContext(connection) as queries:
            page = client.get(job_url).content.decode()
        assert f"{number} chỉ tiêu trong tệp" in page
        return len(queries)

    assert count(3) == count(30)


def test_the_upload_page_costs_the_same_whatever_was_imported(client, resolution, annex_units,
                                                              secretariat):
    client.force_login(secretariat)
    upload(client, resolution, annex_workbook(rows(3)))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("indicators:import"))
    for _ in range(4):
        upload(client, resolution, annex_workbook(rows(30)))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("indicators:import"))
    assert len(many) == len(few)
