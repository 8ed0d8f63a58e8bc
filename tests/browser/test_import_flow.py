"""Importing a programme's appendix in real Chromium: upload, read the preview, confirm."""

from playwright.sync_api import expect

from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tests.factories import UserFactory
from tests.tasks.appendix import appendix_workbook
from units.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_secretariat_imports_the_appendix(live_server, browser, transactional_db):
    reference_load()
    resolution = Resolution.objects.get(number="282/NQ-CP")
    UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("dau-moi")
    page.get_by_label("Mật khẩu").fill("r72-test")
    page.get_by_role("button", name="Đăng nhập").click()

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Quản lý chương trình").click()
    page.get_by_role("link", name="282/NQ-CP").click()
    page.get_by_role("link", name="Nhập danh mục nhiệm vụ").click()
    page.get_by_label("Tệp danh mục nhiệm vụ").set_input_files(
        {"name": "phu-luc-282.xlsx", "mimeType": XLSX, "buffer": appendix_workbook()})
    page.get_by_label("Đánh số trong từng nhóm").check()
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_role("heading", name="Xem trước")).to_be_visible()
    summary = "Tệp có 9 nhiệm vụ: 9 tạo mới, 0 cập nhật, 0 không đổi."
    expect(page.get_by_text(summary)).to_be_visible()
    preview = page.get_by_role("table", name="Những gì sẽ được tạo mới hoặc thay đổi")
    expect(preview).to_contain_text("Sắp xếp, tinh gọn hệ thống y tế")
    expect(preview).to_contain_text("Hằng năm, từ năm 2026")
    assert not Task.objects.exists()

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("heading", name="Đã nhập")).to_be_visible()
    expect(page.get_by_text("Đã tạo 9 nhiệm vụ, cập nhật 0, 0 không đổi.")).to_be_visible()
    assert Task.objects.filter(resolution=resolution).count() == 9

    page.get_by_role("link", name="Xem các nhiệm vụ").click()
    expect(page.get_by_role("cell", name="1.1", exact=True)).to_be_visible()
