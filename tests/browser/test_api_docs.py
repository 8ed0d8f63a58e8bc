"""The interactive API documentation works in Chromium under a strict Content-Security-Policy
(no inline script or style), from local files only."""

import re

from playwright.sync_api import expect

STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'")


def test_the_api_docs_run_under_a_strict_csp_from_local_files(live_server, page, db):
    violations, foreign = [], []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("request", lambda request: foreign.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None)

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response,
                      headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route(f"{live_server.url}/**", with_csp)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("^Programme Tracker API"))).to_be_visible()
    # Every resource is there, with its operations.
    for tag in ("tasks", "progress-reports", "units", "stats"):
        expect(page.locator(f"#operations-tag-{tag}")).to_be_visible()
    page.locator("#operations-tasks-tasks_list").click()
    expect(page.get_by_text("updated_since").first).to_be_visible()
    assert violations == []
    assert foreign == []
