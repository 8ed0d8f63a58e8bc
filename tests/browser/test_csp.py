"""The Content-Security-Policy in a real Chromium: the pages and htmx run under it with no
violation, and the browser does enforce it (inline code is refused)."""

from playwright.sync_api import expect

from tests.factories import TaskFactory, TaskGroupFactory

# Recorded from the first script of every page (Playwright's init scripts are not subject to the
# page's policy): each violation the browser reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def test_pages_run_their_scripts_under_the_policy_without_a_violation(live_server, page,
                                                                      reporter, department):
    first, second = TaskGroupFactory(name="Nhóm một"), TaskGroupFactory(name="Nhóm hai")
    TaskFactory(title="Việc của nhóm một", lead_unit=department, group=first)
    TaskFactory(title="Việc của nhóm hai", lead_unit=department, group=second)
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Tên đăng nhập").fill("reporter")
    page.get_by_label("Mật khẩu").fill("r72-test")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#results").get_by_text("Việc của nhóm hai")).to_be_visible()

    # htmx runs: the filter replaces the list in place (an XHR and a swap under the policy).
    page.get_by_label("Nhóm nhiệm vụ").select_option(str(first.pk))
    expect(page.locator("#results").get_by_text("Việc của nhóm hai")).to_have_count(0)
    expect(page.locator("#results").get_by_text("Việc của nhóm một")).to_be_visible()
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    # htmx injected no <style> of its own.
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()

    assert page.evaluate("window.__violations") == []
    assert not [line for line in console if "Content Security Policy" in line], console

    # And the browser does enforce it: inline code is refused and reported.
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true";
        document.body.appendChild(script);
        document.body.setAttribute("style", "background: red");
    }""")
    page.wait_for_function("window.__violations.length >= 2")
    assert page.evaluate("window.__inlineRan") is None
    directives = " ".join(page.evaluate("window.__violations"))
    assert "script-src" in directives and "style-src" in directives
