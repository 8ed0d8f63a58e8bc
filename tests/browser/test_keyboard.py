"""The whole report workflow with the keyboard alone, in real Chromium: a reporter signs in,
skips to the content, opens the report, fills it, saves and submits it, and the leader signs in
and approves it; only Tab, Shift+Tab, Enter, Space, arrows and typing, never the mouse. Every
element the focus passes through shows it, on screen."""

from django.utils import timezone
from playwright.sync_api import expect

from reports.models import ProgressReport
from reports.periods import period_open
from tests.factories import TaskFactory

#: The focused element, and whether the focus is visible on it (an outline or a ring at least
#: 2px wide, inside the window).
FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
        || style.boxShadow !== "none";
    const inside = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
        && box.left < innerWidth && box.top < innerHeight;
    return {html: element.outerHTML.slice(0, 120), ring, inside};
}"""


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab backwards) until the element matching `selector` has the focus,
    checking on the way that the focus is always visible."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["ring"] and focused["inside"], f"focus not visible: {focused}"
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never took the focus in {limit} presses")


def sign_in(page, url, username):
    page.goto(url + "/accounts/login/")
    # The username field has the focus when the page opens.
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type("r72-test")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nhiệm vụ của tôi trong kỳ")).to_be_visible()


def test_a_report_goes_from_draft_to_approved_with_the_keyboard_alone(
        live_server, browser, department, reporter, leader):
    task = TaskFactory(lead_unit=department, title="Thông tư hướng dẫn trạm y tế cấp xã")
    period = period_open(on=timezone.localdate())
    path = f"/tasks/{task.pk}/reports/{department.pk}/{period.year}-{period.month:02d}/"

    writer = browser.new_context().new_page()
    sign_in(writer, live_server.url, "reporter")

    # The first Tab shows the skip link; Enter takes the focus to the content.
    writer.keyboard.press("Tab")
    skip = writer.locator("a.skip")
    expect(skip).to_be_focused()
    assert writer.evaluate(FOCUSED)["inside"]
    writer.keyboard.press("Enter")
    expect(writer.locator("main")).to_be_focused()

    tab_to(writer, f'a[href="{path}"]')
    writer.keyboard.press("Enter")
    expect(writer).to_have_url(live_server.url + path)

    tab_to(writer, "#id_percent_complete")
    writer.keyboard.type("60")
    writer.keyboard.press("Tab")
    expect(writer.locator("#id_progress_status")).to_be_focused()
    writer.keyboard.press("ArrowDown")  # from "not started" to "in progress, on schedule"
    writer.keyboard.press("Tab")
    expect(writer.locator("#id_results")).to_be_focused()
    writer.keyboard.type("Đã hoàn thành dự thảo lần 1.")
    writer.keyboard.press("Tab")
    expect(writer.locator("#id_difficulties")).to_be_focused()
    writer.keyboard.type("Chờ ý kiến Bộ Nội vụ.")

    # Past the save button to submit, then back to save with Shift+Tab; Space presses it.
    tab_to(writer, "button[value=submit]")
    tab_to(writer, "button[value=save]", backwards=True)
    writer.keyboard.press("Space")
    expect(writer.locator("#report-state")).to_have_text("Dự thảo")
    report = ProgressReport.objects.get()
    assert (report.state, report.percent_complete, report.progress_status, report.results,
            report.difficulties) == (ProgressReport.State.DRAFT, 60, "on_track",
                                     "Đã hoàn thành dự thảo lần 1.", "Chờ ý kiến Bộ Nội vụ.")

    tab_to(writer, "button[value=submit]")
    writer.keyboard.press("Enter")
    expect(writer.locator("#report-state")).to_have_text("Đã trình")

    # The leader opens it from their own list and approves it.
    approver = browser.new_context().new_page()
    sign_in(approver, live_server.url, "leader")
    tab_to(approver, f'a[href="{path}"]')
    approver.keyboard.press("Enter")
    expect(approver).to_have_url(live_server.url + path)
    tab_to(approver, "button[value=approve]")
    approver.keyboard.press("Enter")
    expect(approver.locator("#report-state")).to_have_text("Đã phê duyệt")
    report.refresh_from_db()
    assert (report.state, report.decided_by) == (ProgressReport.State.APPROVED, leader)
