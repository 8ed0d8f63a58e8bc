"""Importing in the browser: upload, preview, confirm; large files as jobs with a progress bar."""

import os
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from core.jobs import purge_file_jobs, sweep_file_jobs
from core.models import FileJob
from tasks.models import DeadlineChange, Resolution, Task
from tasks.reference import reference_load
from tests.factories import UserFactory
from units.models import User

from .appendix import appendix_workbook, simple_workbook
from .test_import import HEADER

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def resolution(db):
    reference_load()
    return Resolution.objects.get(number="282/NQ-CP")


@pytest.fixture
def secretariat(db):
    return UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)


def upload(client, resolution, content, name="phu-luc.xlsx", **fields):
    return client.post(reverse("tasks:import", args=[resolution.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type=XLSX), **fields})


def rows(count, start=1, deadline="Quý IV/2025"):
    return [[f"3.{n}", "3", f"Nhiệm vụ đào tạo số {n}", "Bộ Y tế", "Bộ Giáo dục và Đào tạo",
             "Chương trình đào tạo", "Bộ trưởng", deadline] for n in range(start, start + count)]


def test_upload_preview_confirm(client, resolution, secretariat):
    client.force_login(secretariat)
    response = upload(client, resolution, appendix_workbook(), number_within_group="on")
    job = FileJob.objects.get()
    assert response.url == reverse("tasks:import_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Tệp có 9 nhiệm vụ: 9 tạo mới, 0 cập nhật, 0 không đổi." in page
    assert "Sắp xếp, tinh gọn hệ thống y tế" in page
    assert not Task.objects.exists()  # nothing written before confirming

    confirmed = client.post(reverse("tasks:import_confirm", args=[job.pk]))
    assert confirmed.url == response.url
    assert Task.objects.filter(resolution=resolution).count() == 9
    page = client.get(response.url).content.decode()
    assert "Đã tạo 9 nhiệm vụ, cập nhật 0, 0 không đổi." in page
    assert Task.objects.get(code="1.1").history.earliest().history_user == secretariat

    # The same file again changes nothing, and there is nothing to confirm.
    again = upload(client, resolution, appendix_workbook(), number_within_group="on")
    page = client.get(again.url).content.decode()
    assert "Tệp không thay đổi gì" in page
    assert reverse("tasks:import_confirm", args=[FileJob.objects.first().pk]) not in page


def test_a_file_with_errors_lists_them_all_and_writes_nothing(client, resolution, secretariat):
    client.force_login(secretariat)
    bad = [*rows(2), ["3.9", "3", "Việc", "Bộ Vô Danh", "", "", "", "Quý V/2025"]]
    response = upload(client, resolution, simple_workbook(HEADER, bad))
    page = client.get(response.url).content.decode()
    assert "lỗi: chưa nhập được gì cho đến khi sửa hết lỗi" in page
    assert "Không tìm thấy đơn vị &quot;Bộ Vô Danh&quot;" in page
    assert "Quý V/2025" in page
    assert "Đơn vị không tìm thấy" in page
    job = FileJob.objects.get()
    assert [error["row"] for error in job.report["errors"]] == [4, 4]
    # Confirming anyway writes nothing.
    client.post(reverse("tasks:import_confirm", args=[job.pk]))
    assert not Task.objects.exists()


def test_a_file_that_cannot_be_read_says_why(client, resolution, secretariat):
    client.force_login(secretariat)
    response = upload(client, resolution, b"\xd0\xcf\x11\xe0" + b"\0" * 64, name="cu.xls")
    page = client.get(response.url).content.decode()
    assert "Đây là tệp Excel định dạng cũ (.xls)" in page
    empty = upload(client, resolution, b"", name="rong.xlsx")
    assert empty.status_code == 400


def test_a_preview_made_stale_by_an_edit_is_not_written(client, resolution, secretariat):
    client.force_login(secretariat)
    job_url = upload(client, resolution, simple_workbook(HEADER, rows(2))).url
    client.post(job_url + "confirm/")
    changed = rows(2)
    changed[0][2] = "Tên mới"
    job_url = upload(client, resolution, simple_workbook(HEADER, changed)).url
    # Someone edits the task between the preview and the confirmation.
    task = Task.objects.get(code="3.1")
    Task.objects.filter(pk=task.pk).update(title="Tên do người khác sửa")

    response = client.post(job_url + "confirm/", follow=True)
    assert "Các nhiệm vụ đã thay đổi kể từ khi xem trước" in response.content.decode()
    assert Task.objects.get(code="3.1").title == "Tên do người khác sửa"
    # The new preview shows the change against what is there now; confirming it writes it.
    assert "Tên do người khác sửa" in response.content.decode()
    client.post(job_url + "confirm/")
    assert Task.objects.get(code="3.1").title == "Tên mới"


def test_deadline_changes_in_a_file_need_the_decision(client, resolution, secretariat):
    client.force_login(secretariat)
    client.post(upload(client, resolution, simple_workbook(HEADER, rows(1))).url + "confirm/")
    job_url = upload(client, resolution,
                     simple_workbook(HEADER, rows(1, deadline="Quý II/2026"))).url
    page = client.get(job_url).content.decode()
    assert "Quý IV/2025 → Quý II/2026" in page

    refused = client.post(job_url + "confirm/", {"decision_number": "12/QĐ-TTg"})
    assert refused.status_code == 400
    assert 'value="12/QĐ-TTg"' in refused.content.decode()
    assert Task.objects.get().deadline == date(2025, 12, 31)

    client.post(job_url + "confirm/", {"decision_number": "12/QĐ-TTg",
                                       "decision_date": "02/01/2026",
                                       "decision_authority": "prime_minister"})
    task = Task.objects.get()
    assert (task.deadline, task.original_deadline) == (date(2026, 6, 30), date(2025, 12, 31))
    assert DeadlineChange.objects.get().decision_number == "12/QĐ-TTg"


def test_imports_belong_to_whoever_uploaded_them(client, resolution, secretariat):
    client.force_login(secretariat)
    job_url = upload(client, resolution, simple_workbook(HEADER, rows(1))).url
    client.force_login(UserFactory(username="dau-moi-2", role=User.Role.SECRETARIAT))
    assert client.get(job_url).status_code == 404
    assert client.post(job_url + "confirm/").status_code == 404
    assert not Task.objects.exists()


def test_a_large_file_is_checked_and_written_by_jobs(client, settings, resolution, secretariat,
                                                     django_capture_on_commit_callbacks):
    settings.TASK_IMPORT_INLINE_ROWS = 3
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job_url = upload(client, resolution, simple_workbook(HEADER, rows(10))).url
    job = FileJob.objects.get()
    assert job.state == FileJob.State.QUEUED
    page = client.get(job_url).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    for callback in queued:  # the worker runs the job
        callback()
    progress = client.get(reverse("tasks:file_job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    assert "10 tạo mới" in client.get(job_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url + "confirm/")
    assert Task.objects.count() == 10
    job.refresh_from_db()
    assert (job.state, job.report["outcome"]["create"]) == (FileJob.State.DONE, 10)


def test_the_preview_costs_the_same_for_3_and_30_rows(client, resolution, secretariat):
    client.force_login(secretariat)

    def count(number):
        job_url = upload(client, resolution, simple_workbook(HEADER, rows(number))).url
        with CaptureQueriesContext(connection) as queries:
            page = client.get(job_url).content.decode()
        assert f"Tệp có {number} nhiệm vụ" in page
        return len(queries)

    assert count(3) == count(30)


def test_the_upload_page_costs_the_same_whatever_was_imported(client, resolution, secretariat):
    client.force_login(secretariat)
    url = reverse("tasks:import", args=[resolution.pk])
    upload(client, resolution, simple_workbook(HEADER, rows(3)))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        upload(client, resolution, simple_workbook(HEADER, rows(30)))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_task_list_links_to_create_import_and_export(client, resolution, secretariat,
                                                         department):
    client.force_login(secretariat)
    page = client.get(reverse("tasks:list"), {"resolution": resolution.pk, "q": "y tế"})
    html = page.content.decode()
    assert reverse("tasks:task_new", args=[resolution.pk]) in html
    assert reverse("tasks:import", args=[resolution.pk]) in html
    export = reverse("tasks:export")
    assert f"{export}?resolution={resolution.pk}&amp;q=y+t%E1%BA%BF&amp;format=xlsx" in html

    reporter = UserFactory(role=User.Role.REPORTER, unit=department)
    client.force_login(reporter)
    html = client.get(reverse("tasks:list"), {"resolution": resolution.pk}).content.decode()
    assert reverse("tasks:import", args=[resolution.pk]) not in html
    assert reverse("tasks:task_new", args=[resolution.pk]) not in html
    assert f"{reverse('tasks:export')}?resolution={resolution.pk}&amp;format=csv" in html


def test_a_job_queued_while_the_broker_is_down_waits_and_is_queued_again_when_it_is_back(
        client, settings, resolution, secretariat, django_capture_on_commit_callbacks):
    """The real app pointed at a port where nothing listens (no mock: a refused connection),
    then back on the test broker."""
    settings.TASK_IMPORT_INLINE_ROWS = 1
    original, eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:6390/0", False
    app._pool = app.amqp._producer_pool = None
    try:
        client.force_login(secretariat)
        with django_capture_on_commit_callbacks(execute=True):
            job_url = upload(client, resolution, simple_workbook(HEADER, rows(5))).url
        job = FileJob.objects.get()
        assert (job.state, job.progress) == (FileJob.State.QUEUED, 0)
        waiting = "Dịch vụ xử lý nền đang bận hoặc không phản hồi"
        assert waiting not in client.get(job_url).content.decode()  # just queued
        FileJob.objects.update(queued_at=timezone.now() - timedelta(minutes=3))
        page = client.get(job_url).content.decode()
        assert waiting in page and 'hx-trigger="every 1s"' in page  # still followed
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_file_jobs()["queued_again"] == 1  # still down: waits on
        assert FileJob.objects.get().state == FileJob.State.QUEUED
    finally:
        app.conf.broker_url, app.conf.task_always_eager = original, eager
        app._pool = app.amqp._producer_pool = None
    FileJob.objects.update(queued_at=timezone.now() - timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_file_jobs()["queued_again"] == 1
    job = FileJob.objects.get()
    assert job.state == FileJob.State.CHECKED and job.report["counts"]["create"] == 5
    assert "Nhiệm vụ đào tạo số 5" in client.get(job_url).content.decode()


@pytest.mark.parametrize("state, progress, minutes, queued_again", [
    (FileJob.State.QUEUED, 0, 1, False),      # queued a minute ago: a worker may take it yet
    (FileJob.State.QUEUED, 0, 3, True),
    (FileJob.State.CHECKING, 40, 3, False),   # a worker has it
    (FileJob.State.CHECKED, 100, 3, False),   # waits for the user, not for a worker
    (FileJob.State.APPLYING, 0, 3, True),     # confirmed, not yet taken up
    (FileJob.State.FAILED, 0, 3, False),
])
def test_only_jobs_still_waiting_for_a_worker_are_queued_again(
        secretariat, resolution, state, progress, minutes, queued_again,
        django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("core.filejobs.queue_after_commit",
                        lambda job, job_id: queued.append((job.name, job_id)))
    job = FileJob.objects.create(kind=FileJob.Kind.TASK_IMPORT, created_by=secretariat,
                                 params={"resolution": resolution.pk}, state=state,
                                 progress=progress,
                                 queued_at=timezone.now() - timedelta(minutes=minutes))
    assert sweep_file_jobs()["queued_again"] == int(queued_again)
    expected = {FileJob.State.QUEUED: "tasks.check_task_import",
                FileJob.State.APPLYING: "tasks.apply_task_import"}.get(state)
    assert queued == ([(expected, job.pk)] if queued_again else [])


def test_a_job_whose_worker_died_ends_as_failed_rather_than_wait_for_ever(
        client, secretariat, resolution, settings):
    settings.CELERY_TASK_TIME_LIMIT = 30 * 60
    now = timezone.now()

    def job(minutes_ago):
        return FileJob.objects.create(
            kind=FileJob.Kind.TASK_IMPORT, created_by=secretariat,
            params={"resolution": resolution.pk},
            state=FileJob.State.CHECKING, progress=40, queued_at=now - timedelta(hours=1),
            taken_up_at=now - timedelta(minutes=minutes_ago))

    abandoned, working = job(minutes_ago=36), job(minutes_ago=20)
    assert sweep_file_jobs() == {"queued_again": 0, "abandoned": 1}
    abandoned.refresh_from_db(), working.refresh_from_db()
    assert (abandoned.state, working.state) == (FileJob.State.FAILED, FileJob.State.CHECKING)
    client.force_login(secretariat)
    page = client.get(reverse("tasks:import_job", args=[abandoned.pk])).content.decode()
    assert "Xử lý không thành công" in page and 'hx-trigger="every 1s"' not in page


def test_old_imports_and_exports_are_purged_with_their_files(client, resolution, secretariat):
    client.force_login(secretariat)
    upload(client, resolution, simple_workbook(HEADER, rows(1)))
    upload(client, resolution, simple_workbook(HEADER, rows(1)))
    old, recent = FileJob.objects.order_by("pk")
    FileJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    path = old.source.path
    assert purge_file_jobs() == {"deleted": 1}
    assert list(FileJob.objects.all()) == [recent]
    assert not os.path.exists(path) and os.path.exists(recent.source.path)
