"""/api/v1/proposals/: the client's scope, filters, updated_since, ETags, the steps with 409 on a
stale version, the error shape, and a flat number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import Proposal
from tests.factories import TaskFactory
from units.models import ApiToken
from units.services import api_token_issue

from .conftest import approve

URL = "/api/v1/proposals/"


def _auth(user, scope=ApiToken.Scope.WRITE) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, scope=scope)[1]}"}


def test_the_list_is_scoped_and_filtered(client, approved, other_reporter, secretariat):
    assert client.get(URL, **_auth(other_reporter)).json()["count"] == 0
    rows = client.get(URL, {"kind": "proposal"}, **_auth(secretariat)).json()
    assert rows["count"] == 2
    assert rows["results"][0]["raised_by"]["code"] == "BYT-TCCB"
    assert client.get(URL, {"updated_since": "2999-01-01T00:00:00Z"},
                      **_auth(secretariat)).json()["count"] == 0
    refused = client.get(URL, {"older_than": "many"}, **_auth(secretariat))
    assert refused.status_code == 400 and "older_than" in refused.json()["error"]["fields"]


def test_the_steps_answer_with_the_etag_and_409_when_stale(
        client, approved, secretariat, other_leader, other_unit, reporter):
    item = Proposal.objects.filter(report=approved, kind="difficulty").get()
    path = f"{URL}{item.pk}/"
    assert client.get(path, **_auth(secretariat))["ETag"] == '"1"'
    addressed = client.post(f"{path}address/", {"version": 1, "addressee_kind": "unit",
                                                "unit": other_unit.pk},
                            content_type="application/json", **_auth(reporter))
    assert addressed.status_code == 200 and addressed["ETag"] == '"2"'
    assert addressed.json()["addressee"] == "Bộ Nội vụ"
    stale = client.post(f"{path}answer/", {"version": 1, "answer": "Đã trả lời."},
                        content_type="application/json", **_auth(other_leader))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    refused = client.post(f"{path}answer/", {"version": 2, "answer": "Đã trả lời."},
                          content_type="application/json", **_auth(secretariat))
    assert refused.status_code == 403
    answered = client.post(f"{path}answer/", {"version": 2, "answer": "Đã trả lời.",
                                              "document_number": "7/BNV",
                                              "document_date": "2025-12-01"},
                           content_type="application/json", **_auth(other_leader))
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    wrong = client.post(f"{path}handle/", {"version": 3}, content_type="application/json",
                        **_auth(other_leader))
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "invalid_state"
    closed = client.post(f"{path}close/", {"version": 3}, content_type="application/json",
                         **_auth(secretariat))
    assert closed.json()["state"] == "closed"


def test_the_list_takes_the_same_queries_for_3_items_and_30(
        client, task, period, reporter, leader, secretariat):
    def add(count):
        for number in range(count):
            approve(TaskFactory(lead_unit=task.lead_unit), period, reporter, leader,
                    proposals=f"Đề nghị {number}.")

    headers = _auth(secretariat, ApiToken.Scope.READ)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"page_size": 100}, **headers).status_code == 200
        return len(queries)

    add(3)
    count()
    few = count()
    add(27)
    assert Proposal.objects.count() == 30
    assert count() == few


@pytest.mark.parametrize("step", ["address", "split", "handle", "answer", "close", "reopen"])
def test_a_read_only_token_takes_no_step(client, approved, secretariat, step):
    item = Proposal.objects.filter(report=approved).first()
    response = client.post(f"{URL}{item.pk}/{step}/", {"version": 1},
                           content_type="application/json",
                           **_auth(secretariat, ApiToken.Scope.READ))
    assert response.status_code == 403
