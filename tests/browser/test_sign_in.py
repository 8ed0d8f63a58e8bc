"""Signing in, in a real Chromium: the home page then lists the user's tasks."""

from datetime import date

from playwright.sync_api import expect

from tests.factories import TaskFactory


def test_a_reporter_signs_in_sees_their_tasks_and_switches_language(
        live_server, page, reporter, department, other_unit):
    TaskFactory(title="Thông tư hướng dẫn chức năng trạm y tế cấp xã", lead_unit=department,
                deadline_kind="quarter", deadline=date(2025, 12, 31), deadline_text="Quý IV/2025")
    TaskFactory(title="Nhiệm vụ của Bộ Nội vụ", lead_unit=other_unit)

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Tên đăng nhập").fill("reporter")
    page.get_by_label("Mật khẩu").fill("r72-wrong")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_be_visible()
    # the form keeps what was typed
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("reporter")

    page.get_by_label("Mật khẩu").fill("r72-test")
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Nhiệm vụ của tôi trong kỳ")).to_be_visible()
    # the list of my tasks, under what waits for me (which names the same task first)
    tasks = page.locator("#results")
    expect(tasks.get_by_text("Thông tư hướng dẫn chức năng trạm y tế cấp xã")).to_be_visible()
    expect(tasks.get_by_text("Quý IV/2025")).to_be_visible()
    expect(tasks.get_by_text("Chưa hoàn thành, quá hạn")).to_be_visible()
    expect(page.get_by_text("Nhiệm vụ của Bộ Nội vụ")).to_have_count(0)

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="My tasks this period")).to_be_visible()
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()


def test_choosing_a_filter_updates_the_list_and_the_address(live_server, page, reporter,
                                                          department):
    from tests.factories import TaskGroupFactory

    first, second = TaskGroupFactory(name="Nhóm một"), TaskGroupFactory(name="Nhóm hai")
    TaskFactory(title="Việc của nhóm một", lead_unit=department, group=first)
    TaskFactory(title="Việc của nhóm hai", lead_unit=department, group=second)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("reporter")
    page.get_by_label("Mật khẩu").fill("r72-test")
    page.get_by_role("button", name="Đăng nhập").click()
    tasks = page.locator("#results")  # the list of my tasks, under what waits for me
    expect(tasks.get_by_text("Việc của nhóm hai")).to_be_visible()

    page.get_by_label("Nhóm nhiệm vụ").select_option(str(first.pk))

    expect(tasks.get_by_text("Việc của nhóm hai")).to_have_count(0)
    expect(tasks.get_by_text("Việc của nhóm một")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/?group={first.pk}&state=")
