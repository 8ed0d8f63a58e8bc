"""A ministry's appendix names a body the system does not know: in real Chromium the
secretariat reads it as a known unit from the preview, then confirms the import."""

from playwright.sync_api import expect

from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tests.factories import UserFactory
from tests.tasks.appendices import ROMAN_TASKS, roman_appendix
from units.models import UnitAlias, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_unknown_body_is_mapped_in_the_preview_then_imported(live_server, browser,
                                                                 transactional_db):
    reference_load()
    resolution = Resolution.objects.get(number="282/NQ-CP")
    UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)
    (title, _lead, *rest), *others = ROMAN_TASKS[0][1]
    tasks = [(1, [(title, "Bộ Giáo dục Đào tạo", *rest), *others]), *ROMAN_TASKS[1:]]

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("dau-moi")
    page.get_by_label("Mật khẩu").fill("r72-test")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/tasks/resolutions/{resolution.pk}/import/")
    page.get_by_label("Tệp danh mục nhiệm vụ").set_input_files(
        {"name": "phu-luc-bo.xlsx", "mimeType": XLSX, "buffer": roman_appendix(tasks)})
    page.get_by_label("Đánh số trong từng nhóm").check()
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_role("heading", name="Đơn vị không tìm thấy")).to_be_visible()
    choice = page.get_by_label("Hiểu “Bộ Giáo dục Đào tạo” là")
    expect(choice.locator("option:checked")).to_have_text("Bộ Giáo dục và Đào tạo (BGDDT)")
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)

    page.get_by_role("button", name="Hiểu là đơn vị này").click()

    expect(page.get_by_text(
        "Từ nay “Bộ Giáo dục Đào tạo” được hiểu là Bộ Giáo dục và Đào tạo.")).to_be_visible()
    expect(page.get_by_text("Tệp có 9 nhiệm vụ: 9 tạo mới, 0 cập nhật, 0 không đổi.")
           ).to_be_visible()
    assert UnitAlias.objects.get(text="Bộ Giáo dục Đào tạo").unit.code == "BGDDT"
    page.get_by_role("button", name="Xác nhận nhập").click()

    expect(page.get_by_role("heading", name="Đã nhập")).to_be_visible()
    task = Task.objects.get(resolution=resolution, code="1.1")
    assert task.lead_unit.code == "BGDDT"
    assert task.group.number == 1
