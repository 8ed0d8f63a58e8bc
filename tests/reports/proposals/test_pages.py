"""The inbox, the register and an item's page: who sees what, the steps as forms, a stale step
showing both versions, a flat number of queries for 3 items and 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Proposal
from reports.proposals.services import proposal_address
from tests.factories import TaskFactory

from .conftest import approve


def _addressed(task, period, reporter, leader, unit, count):
    items = []
    for number in range(count):
        item_task = TaskFactory(lead_unit=task.lead_unit)
        report = approve(item_task, period, reporter, leader,
                         proposals=f"Đề nghị số {number}.")
        item = Proposal.objects.get(report=report)
        items.append(proposal_address(item=item, actor=reporter, addressee_kind="unit",
                                      unit=unit))
    return items


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["proposal_inbox", "proposal_register"])
def test_the_lists_take_the_same_queries_for_3_items_and_30(
        client, task, period, reporter, leader, other_unit, other_leader, name):
    _addressed(task, period, reporter, leader, other_unit, 3)
    client.force_login(other_leader)
    url = reverse(name)
    client.get(url)
    few = _count(client, url)
    _addressed(task, period, reporter, leader, other_unit, 27)
    assert _count(client, url + "?page=1") == few


def test_the_inbox_lists_what_is_addressed_to_the_unit_and_no_other(
        client, task, period, reporter, leader, other_unit, other_leader, other_reporter):
    [item] = _addressed(task, period, reporter, leader, other_unit, 1)
    client.force_login(other_leader)
    assert "Đề nghị số 0." in client.get(reverse("proposal_inbox")).content.decode()
    client.force_login(reporter)  # raised it: in the register, not in the inbox
    assert "Đề nghị số 0." not in client.get(reverse("proposal_inbox")).content.decode()
    assert "Đề nghị số 0." in client.get(reverse("proposal_register")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "waiting-proposals" not in home
    client.force_login(other_reporter)
    assert 'id="waiting-proposals"' in client.get(reverse("home")).content.decode()


def test_another_unit_cannot_read_an_item(client, approved, db):
    from tests.factories import UnitFactory, UserFactory

    stranger = UserFactory(role="reporter", unit=UnitFactory())
    item = Proposal.objects.filter(report=approved).first()
    client.force_login(stranger)
    assert client.get(reverse("proposal", args=[item.pk])).status_code == 404
    assert "Thiếu kinh phí" not in client.get(reverse("proposal_register")).content.decode()


def test_the_register_filters_by_state_and_addressee(
        client, approved, secretariat, other_unit, reporter):
    items = list(Proposal.objects.filter(report=approved).order_by("pk"))
    proposal_address(item=items[1], actor=reporter, addressee_kind="unit", unit=other_unit)
    client.force_login(secretariat)
    page = client.get(reverse("proposal_register"), {"addressee_unit": other_unit.pk}).content
    assert "Bộ Nội vụ hướng dẫn".encode() in page and "Thiếu kinh phí".encode() not in page
    page = client.get(reverse("proposal_register"), {"addressee_kind": "none"}).content
    assert "Thiếu kinh phí".encode() in page
    page = client.get(reverse("proposal_register"), {"state": "closed"}).content.decode()
    assert "Thiếu kinh phí" not in page


def test_an_item_is_answered_on_its_page_and_a_stale_form_shows_both_versions(
        client, approved, secretariat):
    item = Proposal.objects.filter(report=approved, kind="difficulty").get()
    client.force_login(secretariat)
    url = reverse("proposal", args=[item.pk])
    page = client.get(url).content.decode()
    assert 'id="step-address"' in page and 'id="step-answer"' in page
    response = client.post(url, {"action": "address", "version": 1,
                                  "addressee_kind": "authority", "authority": "government"})
    assert response.status_code == 302
    stale = client.post(url, {"action": "answer", "version": 1, "answer": "Câu trả lời của tôi"})
    body = stale.content.decode()
    assert stale.status_code == 200
    assert 'id="their-version"' in body and "Chính phủ" in body
    assert "Câu trả lời của tôi" in body  # what was typed is kept
    item.refresh_from_db()
    assert item.state == "received"
    answered = client.post(url, {"action": "answer", "version": 2, "answer": "Đã trả lời.",
                                 "document_number": "5/VPCP", "document_date": "01/12/2025"})
    assert answered.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.answer_document_date.day) == ("answered", 1)


def test_a_unit_may_not_take_a_step_it_is_not_offered(client, approved, other_reporter):
    item = Proposal.objects.filter(report=approved, kind="difficulty").get()
    client.force_login(other_reporter)
    assert client.post(reverse("proposal", args=[item.pk]),
                       {"action": "close", "version": 1}).status_code == 404
