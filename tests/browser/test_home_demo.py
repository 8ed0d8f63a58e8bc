"""The demo as a newcomer meets it, in a real Chromium: each demo account signs in on a freshly
seeded demo and finds, at the top of the home page, what it must do now; one click opens the
form where it is done. In Vietnamese and in English."""

from django.utils import timezone
from playwright.sync_api import expect

from reports.demo import DEMO_PASSWORD, demo_load

#: What each account finds first, and the form it lands on: (panel, link text, a field of
#: the form), in each language.
FIRST = {
    "reporter": ("#to-write", {"vi": "Sửa báo cáo bị trả lại", "en": "Correct the returned report"},
                 "#id_results"),
    "leader": ("#to-decide", {"vi": "Phê duyệt hoặc trả lại", "en": "Approve or return"},
               "button[value=approve]"),
    "secretariat": ("#monthly-now", {"vi": "Ban hành báo cáo", "en": "Issue the report"},
                    "#issue-current input[name=number]"),
}
SIGN_IN = {"vi": ("Tên đăng nhập", "Mật khẩu", "Đăng nhập"),
           "en": ("Username", "Password", "Sign in")}


def _sign_in(page, url, username, language):
    page.goto(f"{url}/accounts/login/")
    if language == "en":
        page.get_by_role("button", name="EN").click()
    name, password, button = SIGN_IN[language]
    page.get_by_label(name).fill(username)
    page.get_by_label(password).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()


def test_each_demo_account_finds_what_to_do_first_and_one_click_opens_its_form(
        live_server, browser):
    demo_load(today=timezone.localdate())
    for language in ("vi", "en"):
        for username, (panel, link, field) in FIRST.items():
            context = browser.new_context()
            page = context.new_page()
            _sign_in(page, live_server.url, username, language)
            expect(page.locator("#waiting")).to_be_visible()
            # The first panel of the page is the one that says what to do now.
            first_panel = page.locator("#waiting > section").first
            expect(first_panel).to_have_attribute("id", panel[1:])
            action = first_panel.locator(".todo-action").first
            expect(action).to_contain_text(link[language])
            expect(page.locator("#waiting-count")).to_be_visible()
            action.click()
            expect(page.locator(field)).to_be_visible()
            if username == "reporter":  # the report returned, its form open to correct it
                expect(page.locator("#id_results")).to_be_editable()
            context.close()

    # leadership reads the dashboard's first screen, every class there
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, live_server.url, "leadership", "vi")
    expect(page.locator("#first-screen .class-cards")).to_be_visible()
    expect(page.locator("#first-screen .stat-overdue .stat-number")).not_to_have_text("0")
    expect(page.locator("#first-screen .stat-risk .stat-number")).not_to_have_text("0")
    context.close()
