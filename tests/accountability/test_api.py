"""/api/v1/explanation-requests/: the scope of each client, asking and answering with versions
(409 when stale), the filters, and as many queries for 3 requests as for 30."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import TaskFactory

from .conftest import MESSAGE, ask

pytestmark = pytest.mark.django_db
URL = "/api/v1/explanation-requests/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_leadership_asks_and_the_leader_answers_with_versions(overdue_task, leadership, leader):
    response = api(leadership).post(URL, {"kind": "overdue_task", "task": overdue_task.pk,
                                          "message": MESSAGE}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "open" and body["unit"]["code"] == "BYT-TCCB"
    assert response["ETag"] == '"1"'
    answer = {"version": 1, "reason": "Chậm góp ý", "remedy": "Họp tiếp thu",
              "expected_on": (timezone.localdate() + timedelta(days=30)).isoformat()}
    stale = api(leader).post(f"{URL}{body['id']}/answer/", {**answer, "version": 7},
                             format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    answered = api(leader).post(f"{URL}{body['id']}/answer/", answer, format="json")
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    closed = api(leadership).post(f"{URL}{body['id']}/close/", {"version": 2},
                                  HTTP_IF_MATCH='"2"', format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_a_unit_may_not_ask_and_reads_only_its_own(asked, reporter, other_reporter,
                                                   overdue_task):
    refused = api(reporter).post(URL, {"kind": "overdue_task", "task": overdue_task.pk,
                                       "message": MESSAGE}, format="json")
    assert refused.status_code == 403
    assert [r["id"] for r in api(reporter).get(URL).json()["results"]] == [asked.pk]
    assert api(other_reporter).get(URL).json()["results"] == []
    assert api(other_reporter).get(f"{URL}{asked.pk}/").status_code == 404
    answer = api(reporter).post(f"{URL}{asked.pk}/answer/", {
        "version": 1, "reason": "x", "remedy": "y", "expected_on": "2099-01-01"}, format="json")
    assert answer.status_code == 403


def test_a_subject_that_does_not_stand_is_refused_in_the_error_shape(department, leadership):
    on_time = TaskFactory(lead_unit=department, deadline=timezone.localdate() + timedelta(5))
    response = api(leadership).post(URL, {"kind": "overdue_task", "task": on_time.pk,
                                          "message": MESSAGE}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    missing = api(leadership).post(URL, {"kind": "overdue_task", "task": 999999,
                                         "message": MESSAGE}, format="json")
    assert missing.json()["error"]["fields"]["task"][0]["code"] == "does_not_exist"


def test_filters_and_updated_since(asked, leadership):
    client = api(leadership)
    assert client.get(URL, {"state": "open"}).json()["count"] == 1
    assert client.get(URL, {"state": "closed"}).json()["count"] == 0
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert client.get(URL, {"updated_since": later}).json()["count"] == 0
    assert client.get(URL, {"state": ""}).status_code == 400


def test_the_list_takes_as_many_queries_for_3_as_for_30(department, leadership, leader):
    client = api(leadership)
    counts = []
    for count in (3, 27):
        for _ in range(count):
            ask(TaskFactory(lead_unit=department,
                            deadline=timezone.localdate() - timedelta(days=2)), leadership)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"page_size": 100})
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.json()["count"] == 30
    assert counts[0] == counts[1]
