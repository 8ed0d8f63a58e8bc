"""The filters the dashboard's links add to the task list: the clarity a task lacks, its
completion dates, the lead unit's name; and the lead unit asked for by name in a programme of
thousands of units."""

import sys
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db
URL = reverse("tasks:list")


def _codes(response) -> set[str]:
    return {task.code for task in response.context["page"]}


def test_the_task_list_filters_by_the_clarity_lacking(client, secretariat):
    TaskFactory(code="1.1")
    TaskFactory(code="1.2", competent_authority="")
    TaskFactory(code="1.3", responsible_official=" ", with_output=False)
    client.force_login(secretariat)
    url = reverse("tasks:list")

    def codes(params):
        return {task.code for task in client.get(url, params).context["page"]}

    assert codes({"clarity": "authority"}) == {"1.2"}
    assert codes({"clarity": "product"}) == {"1.3"}
    assert codes({"clarity": "any"}) == {"1.2", "1.3"}
    response = client.get(url, {"clarity": "nonsense"})
    assert response.status_code == 200 and "1.1" in response.content.decode()


def test_the_task_list_filters_by_the_lead_units_name(client, secretariat):
    TaskFactory(code="1.1", lead_unit=UnitFactory(name="Sở Y tế Hà Nội", code="SYT-HN"))
    TaskFactory(code="1.2", lead_unit=UnitFactory(name="Sở Tài chính Huế", code="STC-H"))
    client.force_login(secretariat)
    response = client.get(reverse("tasks:list"), {"lead_unit_name": "y tế"})
    assert {task.code for task in response.context["page"]} == {"1.1"}
    response = client.get(reverse("tasks:list"), {"lead_unit_name": "stc-h"})
    assert {task.code for task in response.context["page"]} == {"1.2"}


def test_completion_dates_filter_and_show_as_removable_chips(client, secretariat):
    TaskFactory(code="1.1", deadline=date(2026, 3, 31), completed_on=date(2026, 3, 10))
    TaskFactory(code="1.2", deadline=date(2026, 3, 31), completed_on=date(2026, 4, 2))
    TaskFactory(code="1.3")
    client.force_login(secretariat)
    response = client.get(URL, {"completed_from": "01/03/2026", "completed_to": "31/03/2026"})
    assert _codes(response) == {"1.1"}
    body = response.content.decode()
    assert "Hoàn thành từ: 01/03/2026" in body
    response = client.get(URL, {"clarity": "product"})
    assert "Lacks" not in body
    assert "Rõ sản phẩm (rõ kết quả)" in response.content.decode()


def test_the_tasks_lacking_a_clarity_say_which(client, secretariat):
    TaskFactory(code="1.1", competent_authority="", responsible_official="")
    client.force_login(secretariat)
    body = client.get(URL, {"clarity": "any"}).content.decode()
    assert "Rõ người, Rõ thẩm quyền" in body


def test_with_thousands_of_units_the_lead_unit_is_asked_for_by_name(client, secretariat,
                                                                   monkeypatch):
    listing = sys.modules["tasks.views.listing"]
    health = UnitFactory(name="Sở Y tế Cần Thơ", code="SYT-CT")
    TaskFactory(code="1.1", lead_unit=health)
    TaskFactory(code="1.2")
    client.force_login(secretariat)
    body = client.get(URL).content.decode()
    assert '<select name="lead_unit"' in body and "Sở Y tế Cần Thơ" in body
    monkeypatch.setattr(listing, "UNIT_SELECT_LIMIT", 2)
    body = client.get(URL).content.decode()
    assert '<select name="lead_unit"' not in body
    assert 'name="lead_unit_name"' in body
    # A lead unit given by id (a dashboard link) is shown by name, and can be removed.
    response = client.get(URL, {"lead_unit": health.pk})
    assert _codes(response) == {"1.1"}
    body = response.content.decode()
    assert "Sở Y tế Cần Thơ" in body and "remove" not in body  # Vietnamese: "bỏ"
    assert 'type="hidden" name="lead_unit"' in body
