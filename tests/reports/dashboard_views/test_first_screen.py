"""The dashboard's first screen on the hand-built programme (tests/reports/dashboard_programme):
the four classes and their change, the units most behind, what falls due this month, each
opening the tasks behind it; the filter bar; both languages."""

import re
from datetime import timedelta

from django.urls import reverse

from tests.factories import TaskFactory, UnitFactory

from ..dashboard_programme import EXPECTED
from .helpers import URL, _get, _link, section

TASKS = reverse("tasks:list")


def _codes(client, href) -> set[str]:
    return {task.code for task in client.get(href).context["page"]}


def test_the_four_classes_and_their_change_since_the_last_cut_off(
        client, leadership, programme, on_programme_day):
    response = _get(client, leadership)
    classes = response.context["headline"]["classes"]
    assert {status: entry["count"] for status, entry in classes.items()} == EXPECTED["now"]
    assert {status: entry["change"] for status, entry in classes.items()} == {
        status: EXPECTED["now"][status] - EXPECTED["before"][status]
        for status in EXPECTED["now"]}
    body = response.content.decode()
    late = body[body.index('stat-completed_late">'):]
    assert re.search(r'class="stat-change">\+1\s', late)
    assert "since 14/03/2026" not in body and "so với ngày 14/03/2026 (khi đó là 0)" in body
    href = _link(body, TASKS, status="overdue")
    assert _codes(client, href) == {"A3", "B2", "B5"}


def test_the_units_most_behind_open_their_tasks(client, leadership, programme,
                                                on_programme_day):
    response = _get(client, leadership)
    units = programme["units"]
    # overdue + at risk: D1 2 + 1, D2 1 + 1, O 0 + 1; C has neither and is left out.
    assert [(row["unit_id"], row["overdue"], row["at_risk"])
            for row in response.context["most_behind"]] == [
        (units["D1"].pk, 2, 1), (units["D2"].pk, 1, 1), (units["O"].pk, 0, 1)]
    body = response.content.decode()
    behind = body[body.index('id="most-behind"'):body.index('id="due-month"')]
    assert behind.index("Vụ D1") < behind.index("Vụ D2") < behind.index("Bộ O")
    assert "Các bộ C" not in behind
    overdue = _link(body, TASKS, lead_unit=units["D1"].pk, status="overdue", ordering="deadline")
    assert _codes(client, overdue) == {"B2", "B5"}
    at_risk = _link(body, reverse("dashboard_at_risk"), lead_unit=units["D2"].pk, at_risk="yes")
    assert [row["task"].code for row in client.get(at_risk).context["rows"]] == ["A4"]
    assert _codes(client, _link(body, TASKS, lead_unit=units["O"].pk)) == {"A5", "A6", "B3"}
    assert _link(body, section("units"), sort="-overdue")


def test_only_the_five_units_most_behind_are_named(client, leadership, today):
    for number in range(7):
        lead = UnitFactory(name=f"Sở {number}")
        for _ in range(number + 1):
            TaskFactory(lead_unit=lead, deadline=today - timedelta(days=2))
    rows = _get(client, leadership).context["most_behind"]
    assert [row["name"] for row in rows] == ["Sở 6", "Sở 5", "Sở 4", "Sở 3", "Sở 2"]


def test_what_falls_due_this_month(client, leadership, programme, on_programme_day):
    response = _get(client, leadership)
    due = response.context["due_month"]
    # In progress and due from 20/03 to 31/03: B4 (March 2026) only; A5 is due in April.
    assert due["count"] == 1 and [task.code for task in due["tasks"]] == ["B4"]
    body = response.content.decode()
    month = body[body.index('id="due-month"'):]
    assert "Nhiệm vụ B4" in month and "31/03/2026" in month and "Nhiệm vụ A5" not in month
    href = _link(body, TASKS, status="in_progress", deadline_from="20/03/2026",
                 deadline_to="31/03/2026", ordering="deadline")
    assert _codes(client, href) == {"B4"}


def test_the_first_few_due_this_month_and_a_link_to_them_all(client, leadership, today):
    days_left = (today.replace(day=28) - today).days
    if days_left < 0:  # the 29th to the 31st: too few days left to fill the month
        days_left = 0
    for number in range(7):
        TaskFactory(code=f"1.{number}", deadline=today + timedelta(days=min(number, days_left)))
    TaskFactory(code="2.1", deadline=today + timedelta(days=45))
    due = _get(client, leadership).context["due_month"]
    assert due["count"] == 7 and len(due["tasks"]) == 5
    assert [task.current_due for task in due["tasks"]] == sorted(
        task.current_due for task in due["tasks"])
    body = _get(client, leadership).content.decode()
    assert "Tất cả 7 nhiệm vụ đến hạn trong tháng này" in body


def test_the_filters_narrow_the_first_screen_and_stay_in_its_links(
        client, leadership, programme, on_programme_day):
    group = programme["groups"]["R·2"]
    response = _get(client, leadership, params={"group": group.pk})
    assert [row["name"] for row in response.context["most_behind"]] == ["Bộ O", "Vụ D1"]
    body = response.content.decode()
    assert re.search(r'<details class="filter-bar" open>', body)
    assert _link(body, TASKS, group=group.pk, status="overdue")
    for name in ("groups", "units", "deadlines", "timeline", "compliance", "clarity"):
        assert _link(body, section(name), group=group.pk)
    assert _link(body, URL, group=group.pk)  # the first screen's own tab


def test_the_filter_bar_is_folded_until_a_filter_is_on(client, leadership):
    TaskFactory(code="1.1")
    body = _get(client, leadership).content.decode()
    assert '<details class="filter-bar">' in body
    assert '<summary>Bộ lọc</summary>' in body


def test_no_empty_box_stands_for_what_is_not_tracked_yet(client, leadership, programme,
                                                         on_programme_day):
    body = _get(client, leadership).content.decode()
    main = body[body.index("<main"):].lower()
    assert main.count('class="first-panel"') == 2  # no indicator yet: no indicator panel
    assert 'id="indicators-off-track"' not in main


def test_the_first_screen_in_english(client, leadership, programme, on_programme_day):
    client.force_login(leadership)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(URL).content.decode()
    for text in ("Where the programme stands", "Units most behind", "Due this month",
                 "Completed late", "since 14/03/2026 (then 0)",
                 "task in progress due by 31/03/2026", "Filters", "Lead units"):
        assert text in body, text
