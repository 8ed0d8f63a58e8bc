"""Importing an annex of indicator targets in real Chromium: from the indicator list, upload,
read the preview, confirm."""

from playwright.sync_api import expect

from indicators.models import Indicator
from tests.factories import ResolutionFactory, UnitFactory, UserFactory
from tests.indicators.annex import annex_workbook
from units.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_secretariat_imports_an_annex_of_targets(live_server, browser, transactional_db):
    ResolutionFactory(number="72-NQ/TW", kind="party_resolution", issuer="Bộ Chính trị")
    UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")
    UnitFactory(code="HN", name="Ủy ban nhân dân Thành phố Hà Nội", short_name="Hà Nội",
                kind="province")
    UnitFactory(code="NA", name="Ủy ban nhân dân tỉnh Nghệ An", kind="province")
    UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)

    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("dau-moi")
    page.get_by_label("Mật khẩu").fill("r72-test")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/indicators/")
    page.get_by_role("link", name="Nhập từ phụ lục (Excel)").click()
    page.get_by_label("Phụ lục chỉ tiêu").set_input_files(
        {"name": "phu-luc-chi-tieu.xlsx", "mimeType": XLSX, "buffer": annex_workbook()})
    page.get_by_role("button", name="Kiểm tra tệp").click()

    expect(page.get_by_role("heading", name="Xem trước")).to_be_visible()
    expect(page.get_by_text("3 chỉ tiêu trong tệp: 3 tạo mới, 0 cập nhật")).to_be_visible()
    preview = page.get_by_role("table", name="Những gì sẽ được tạo mới hoặc thay đổi")
    expect(preview).to_contain_text("Tuổi thọ trung bình")
    expect(preview).to_contain_text("Mục tiêu 2030 · Ủy ban nhân dân Thành phố Hà Nội")
    assert not Indicator.objects.exists()

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("heading", name="Đã nhập")).to_be_visible()
    expect(page.get_by_text("3 chỉ tiêu được tạo, 0 được cập nhật, 0 không đổi.")).to_be_visible()
    assert Indicator.objects.count() == 3
    page.get_by_role("link", name="Xem các chỉ tiêu").click()
    expect(page.get_by_role("link", name="Tuổi thọ trung bình")).to_be_visible()
