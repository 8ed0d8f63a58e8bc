"""The public progress page in real Chromium, without signing in, in Vietnamese and in English:
no serious or critical axe-core violation, readable on a phone (nothing wider than the screen),
printed without its controls; the markup in a title stays text."""

import pytest
from django.core.cache import cache

from tests.browser.helpers import BLOCKING_IMPACTS, axe_violations, describe, new_page
from tests.factories import ReportingPeriodFactory
from tests.public.conftest import SCRIPT, SECRETS, build_programme, issue

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def published(transactional_db, department, monkeypatch):
    monkeypatch.setattr("reports.monthly._render", lambda **kwargs: b"%PDF-1.7 test")
    cache.clear()
    period = ReportingPeriodFactory(year=2025, month=11)
    resolution, _tasks = build_programme(department=department, period=period)
    issue(period)
    yield resolution
    cache.clear()


@pytest.mark.parametrize("path", ["/public/", "/public/{id}/2025-11/", "/public/data/",
                                  "/cong-khai/{id}/"])
def test_the_public_pages_pass_axe_in_both_languages(live_server, browser, published, path):
    for language in ("vi", "en"):
        page = new_page(browser, live_server, language=language, bypass_csp=True)
        response = page.goto(live_server.url + path.format(id=published.pk))
        assert response.status == 200
        assert page.evaluate("document.documentElement.lang") == language
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{language}:\n{describe(blocking)}"
        page.context.close()


def test_the_period_page_reads_on_a_phone_and_prints_without_its_controls(
        live_server, browser, published):
    page = new_page(browser, live_server, language="en")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/public/{published.pk}/2025-11/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(published.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    text = page.inner_text("main")
    assert "Overdue" in text and "12/2025/TT-BYT" in text
    assert f"{SCRIPT} Nhiệm vụ 1" in text  # drawn as text, never run
    assert dialogs == []
    for secret in SECRETS.values():
        assert secret not in page.content()

    page.emulate_media(media="print")
    assert not page.locator("header.topbar").is_visible()
    assert not page.locator(".downloads").is_visible()
    assert page.locator("#status-title").is_visible()
    page.context.close()


def test_the_language_switch_works_without_signing_in(live_server, browser, published):
    page = new_page(browser, live_server)
    page.goto(f"{live_server.url}/public/{published.pk}/2025-11/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "/public/" in page.url
    page.context.close()
