"""Who may see the dashboard's pages and the lists behind them, and what each one sees."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import TaskFactory, UserFactory
from units.models import User

from .helpers import PAGES, URL, _get, section

LISTS = [reverse("dashboard_at_risk"), reverse("dashboard_reports")]


@pytest.mark.parametrize("url", PAGES + LISTS)
def test_signed_out_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES + LISTS)
def test_reporters_are_refused(client, reporter, url):
    response = _get(client, reporter, url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_unit_leader_may_open_every_page(client, leader, url):
    TaskFactory(code="1.1", lead_unit=leader.unit)
    assert _get(client, leader, url).status_code == 200


@pytest.mark.parametrize("role", [User.Role.LEADERSHIP, User.Role.SECRETARIAT, User.Role.ADMIN])
def test_roles_across_all_units_see_every_unit(client, db, department, other_unit, role):
    TaskFactory(code="1.1", lead_unit=department, title="Việc của vụ")
    TaskFactory(code="1.2", lead_unit=other_unit, title="Việc của bộ khác")
    user = UserFactory(role=role, unit=None if role != "secretariat" else department)
    response = _get(client, user)
    assert response.status_code == 200
    assert response.context["headline"]["total"] == 2
    body = _get(client, user, section("units")).content.decode()
    assert "Vụ Tổ chức cán bộ" in body and "Bộ Nội vụ" in body


def test_a_unit_leader_sees_their_units_tasks_only(client, leader, department, other_unit,
                                                   today):
    mine = TaskFactory(code="1.1", lead_unit=department, deadline=today - timedelta(days=3))
    theirs = TaskFactory(code="1.2", lead_unit=other_unit, deadline=today - timedelta(days=3))
    coordinated = TaskFactory(code="1.3", lead_unit=other_unit, coordinating_units=[department],
                              deadline=today + timedelta(days=30))
    response = _get(client, leader)
    assert response.status_code == 200
    assert response.context["headline"]["total"] == 2
    assert response.context["headline"]["classes"]["overdue"]["count"] == 1
    assert [row["unit_id"] for row in response.context["most_behind"]] == [department.pk]
    units = {row["unit_id"]: row for row in
             _get(client, leader, section("units")).context["league"].rows}
    assert set(units) == {department.pk, other_unit.pk}  # the leads of the tasks they see
    assert units[other_unit.pk]["missing"] is None  # another unit's own reports: not theirs
    compliance = _get(client, leader, section("compliance")).context["compliance"]
    assert {row["unit_id"] for row in compliance["page"].rows} == {department.pk}
    deadlines = _get(client, leader, section("deadlines")).content.decode()
    assert mine.title in deadlines and theirs.title not in deadlines
    assert coordinated.lead_unit.name in deadlines
    # Another unit's task cannot be reached through the lists either.
    listed = _get(client, leader, reverse("dashboard_reports"), {"received": "any"})
    assert {row["task"].code for row in listed.context["rows"]} <= {"1.1", "1.3"}


def test_the_navigation_offers_the_dashboard_to_whom_it_is_for(client, reporter, leader):
    link = f'href="{URL}"'
    assert link not in _get(client, reporter, reverse("home")).content.decode()
    assert link in _get(client, leader, reverse("home")).content.decode()
