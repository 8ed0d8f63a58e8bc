"""The dashboard in real Chromium, in Vietnamese and in English: on a 1366 by 768 screen its
first screen shows the four classes, the units most behind and this month's deadlines without
scrolling; leadership opens it from the navigation, goes on to the lead units, sorts them, and
follows a number to the tasks behind it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.browser.helpers import new_page
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import User

SCREEN = {"width": 1366, "height": 768}
#: Names as long as real ones: the first screen must hold them too.
UNITS = ["Bộ Y tế", "Bộ Nội vụ", "Bộ Tài chính", "Bộ Giáo dục và Đào tạo",
         "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Bảo hiểm xã hội Việt Nam",
         "Bộ Khoa học và Công nghệ"]


def translated(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


def _a_programme_behind():
    """Seven units with tasks overdue, each more than the next; a dozen tasks due this month
    and more next month; long titles."""
    today = timezone.localdate()
    units = [UnitFactory(code=f"U{number}", name=name, kind="ministry")
             for number, name in enumerate(UNITS)]
    for number, unit in enumerate(units):
        for late in range(len(units) - number):
            TaskFactory(lead_unit=unit, deadline=today - timedelta(days=5 + late),
                        title="Xây dựng Đề án đổi mới cơ chế hoạt động, cơ chế tài chính "
                              "đối với các đơn vị sự nghiệp y tế công lập")
    last_day = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    for number in range(12):
        TaskFactory(lead_unit=units[number % 7],
                    deadline=min(today + timedelta(days=number), last_day),
                    title="Ban hành Thông tư hướng dẫn chức năng, nhiệm vụ, quyền hạn và "
                          "cơ cấu tổ chức của Trạm Y tế xã, phường, đặc khu")
    for number in range(5):
        TaskFactory(lead_unit=units[0], deadline=last_day + timedelta(days=10 + number))
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


def _within_the_screen(locator):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["y"] >= 0 and box["x"] >= 0, box
    assert box["y"] + box["height"] <= SCREEN["height"], box
    assert box["x"] + box["width"] <= SCREEN["width"], box


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_screen_answers_without_scrolling(live_server, browser, lang,
                                                    transactional_db):
    def t(text):
        return translated(lang, text)

    user = _a_programme_behind()
    page = new_page(browser, live_server, user=user, language=lang)
    page.set_viewport_size(SCREEN)
    page.goto(f"{live_server.url}{reverse('dashboard')}")
    assert page.evaluate("window.scrollY") == 0

    classes = page.locator(".class-cards")
    for status in ("completed_on_time", "completed_late", "in_progress", "overdue"):
        card = classes.locator(f".stat-{status}")
        expect(card.locator(".stat-change")).to_be_visible()
        _within_the_screen(card)
    expect(classes.locator(".stat-overdue .stat-number")).to_have_text("28")

    behind = page.get_by_role("region", name=t("Units most behind"))
    expect(behind.locator("tbody tr")).to_have_count(5)
    expect(behind.locator("tbody tr").first.locator("th")).to_have_text("Bộ Y tế")
    _within_the_screen(behind.locator("tbody tr").last)
    _within_the_screen(behind.get_by_role("link", name=t("Every lead unit")))

    month = page.get_by_role("region", name=t("Due this month"))
    expect(month.locator(".stat-number")).to_have_text("12")
    expect(month.locator(".due-lines li")).to_have_count(5)
    _within_the_screen(month.locator(".due-lines li").last)
    _within_the_screen(month.locator(".more a").first)

    # The filters are folded, and open on demand.
    filters = page.locator("details.filter-bar")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_role("combobox", name=t("Lead unit"))).to_be_hidden()
    filters.locator("summary").click()
    expect(page.get_by_role("combobox", name=t("Lead unit"))).to_be_visible()

    # The bell is drawn, not a character of an emoji font.
    bell = page.get_by_role("link", name=re.compile(t("Notifications").split(",")[0]))
    expect(bell.locator("svg")).to_be_visible()
    assert bell.locator("svg").bounding_box()["width"] >= 16


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_leadership_reads_the_dashboard_and_follows_a_number(live_server, browser, lang,
                                                             transactional_db):
    def t(text):
        return translated(lang, text)

    today = timezone.localdate()
    health = UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")
    home_affairs = UnitFactory(code="BNV", name="Bộ Nội vụ", kind="ministry")
    for number in range(3):
        TaskFactory(code=f"1.{number + 1}", lead_unit=health,
                    deadline=today - timedelta(days=5 + number))
    TaskFactory(code="2.1", lead_unit=home_affairs, deadline=today + timedelta(days=20))
    TaskFactory(code="2.2", lead_unit=home_affairs, deadline=today - timedelta(days=40),
                completed_on=today - timedelta(days=45))
    UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)

    page = browser.new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    if lang == "en":
        page.get_by_role("button", name="EN").click()
    page.get_by_label(t("Username")).fill("leadership")
    page.get_by_label(t("Password")).fill("r72-test")
    page.get_by_role("button", name=t("Sign in")).click()

    page.get_by_role("navigation", name=t("Main navigation")).get_by_role(
        "link", name=t("Dashboard")).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('dashboard')}")
    expect(page.get_by_role("heading", name=t("Dashboard"), level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=t("Where the programme stands"))).to_be_visible()
    expect(page.locator(".stat-overdue .stat-number").first).to_have_text("3")

    # The charts are on the page of the groups, drawn on the server, in the page's own font.
    tabs = page.get_by_role("navigation", name=t("Pages of the dashboard"))
    tabs.get_by_role("link", name=t("Task groups")).click()
    chart = page.get_by_role("img", name=t("Tasks by status class on %(date)s") % {
        "date": today.strftime("%d/%m/%Y")})
    expect(chart).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(2)
    fonts = page.evaluate("""() => [getComputedStyle(document.querySelector("svg.chart text"))
        .fontFamily, getComputedStyle(document.body).fontFamily]""")
    assert fonts[0] == fonts[1], fonts

    # The league table sorts on the server, by the URL: most overdue first, then as asked.
    tabs.get_by_role("link", name=t("Lead units")).click()
    expect(page).to_have_url(re.compile(r"/dashboard/units/"))
    league = page.locator("table.league")
    expect(league.locator("tbody tr")).to_have_count(2)
    expect(league.locator("tbody tr").first.locator("th")).to_have_text("Bộ Y tế")
    expect(league.locator("th[aria-sort=descending]")).to_contain_text(t("Overdue"))
    league.get_by_role("link", name=t("Overdue")).click()
    expect(page).to_have_url(re.compile(r"sort=overdue"))
    expect(page.locator("table.league tbody tr").first.locator("th")).to_have_text("Bộ Nội vụ")
    page.locator("table.league").get_by_role("link", name=t("Tasks"), exact=True).click()
    expect(page).to_have_url(re.compile(r"sort=-tasks"))
    expect(page.locator("table.league tbody tr").first.locator("th")).to_have_text("Bộ Y tế")

    # A number opens the tasks behind it: the same number of them.
    page.locator("table.league tbody tr").first.locator("td").nth(3).get_by_role(
        "link").click()
    expect(page).to_have_url(re.compile(r"/tasks/\?.*status=overdue"))
    with translation.override(lang):
        list_heading = translation.pgettext("page", "Tasks")
    expect(page.get_by_role("heading", name=list_heading, level=1)).to_be_visible()
    expect(page.locator("table.tasks tbody tr")).to_have_count(3)

    # The filters are in the address: the filtered dashboard can be bookmarked, its filter bar
    # open, and its pages keep them.
    page.goto(f"{live_server.url}{reverse('dashboard')}?lead_unit={home_affairs.pk}")
    expect(page.locator(".stat-overdue .stat-number").first).to_have_text("0")
    expect(page.get_by_role("combobox", name=t("Lead unit"))).to_have_value(str(home_affairs.pk))
    page.get_by_role("navigation", name=t("Pages of the dashboard")).get_by_role(
        "link", name=t("Lead units")).click()
    expect(page).to_have_url(re.compile(rf"/dashboard/units/\?lead_unit={home_affairs.pk}"))
    expect(page.locator("table.league tbody tr")).to_have_count(1)
    assert not errors, errors
