"""The dashboard in real Chromium, in Vietnamese and in English: leadership opens it from the
navigation, reads the figures and charts, sorts the league table, and follows a number to the
tasks behind it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import User


def translated(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


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

    page.get_by_role("navigation").get_by_role("link", name=t("Dashboard")).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('dashboard')}")
    expect(page.get_by_role("heading", name=t("Dashboard"), level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=t("Where the programme stands"))).to_be_visible()
    overdue_card = page.locator(".stat-overdue").first
    expect(overdue_card.locator(".stat-number")).to_have_text("3")
    # The charts are images with a name, drawn on the server.
    chart = page.get_by_role("img", name=t("Tasks by status class on %(date)s") % {
        "date": today.strftime("%d/%m/%Y")})
    expect(chart).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(4)

    # The league table sorts on the server, by the URL: most overdue first, then as asked.
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

    # The filters are in the address: the filtered dashboard can be bookmarked.
    page.goto(f"{live_server.url}{reverse('dashboard')}?lead_unit={home_affairs.pk}")
    expect(page.locator(".stat-overdue .stat-number").first).to_have_text("0")
    expect(page.get_by_role("combobox", name=t("Lead unit"))).to_have_value(str(home_affairs.pk))
    assert not errors, errors
