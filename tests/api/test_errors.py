"""One JSON error shape for every failure under /api/, in the client's language; stale writes
refused with 409 and nothing changed; throttling."""

import uuid

import pytest
from django.test import Client

from reports.models import ProgressReport

from .conftest import bearer, submitted

REPORT = "/api/v1/progress-reports/{}/"


def shape(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    return body["error"]


def test_field_errors_are_named_with_codes_in_vietnamese_by_default(client, own_report,
                                                                    write_token):
    response = client.patch(REPORT.format(own_report.pk),
                            {"version": 1, "percent_complete": 140, "results": 12},
                            content_type="application/json", **bearer(write_token))
    assert response.status_code == 400
    error = shape(response)
    assert error["code"] == "invalid"
    assert error["fields"]["percent_complete"] == [{
        "code": "max_value", "message": "Giá trị không được lớn hơn 100."}]
    assert error["fields"]["results"][0]["code"] == "invalid"
    assert response["Content-Language"] == "vi"


def test_accept_language_en_gives_english(client, own_report, write_token):
    response = client.patch(REPORT.format(own_report.pk), {"version": 1, "percent_complete": -1},
                            content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                            **bearer(write_token))
    error = shape(response)
    assert error["fields"]["percent_complete"][0]["message"] == (
        "Ensure this value is greater than or equal to 0.")
    assert error["message"] == "Some fields are not valid: see the errors of each field."
    assert response["Content-Language"] == "en"


def test_the_browser_still_ignores_accept_language(client, reporter):
    client.force_login(reporter)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "vi"


def test_a_programme_rule_is_a_400_with_the_rule_code(client, own_report, write_token):
    response = client.patch(REPORT.format(own_report.pk), {
        "version": 1, "progress_status": "completed", "percent_complete": 80},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **bearer(write_token))
    assert response.status_code == 400
    fields = shape(response)["fields"]
    assert fields["completion_date"][0]["code"] == "rule"
    assert fields["percent_complete"] == [{
        "code": "rule", "message": "A completed task must be 100 percent complete."}]
    own_report.refresh_from_db()
    assert own_report.version == 1 and own_report.percent_complete == 40  # nothing saved


def test_submitting_an_incomplete_report_names_what_is_missing(client, own_report, write_token):
    ProgressReport.objects.filter(pk=own_report.pk).update(results="")
    response = client.post(REPORT.format(own_report.pk) + "submit/", {"version": 1},
                           content_type="application/json", **bearer(write_token))
    assert response.status_code == 400
    assert shape(response)["fields"]["results"][0]["code"] == "rule"
    own_report.refresh_from_db()
    assert own_report.state == "draft"


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "code"), [
    ("get", "/api/v1/nothing-here/", {}, 404, "not_found"),
    ("post", "/api/v1/tasks", {}, 404, "not_found"),  # no redirect that would drop the body
    ("patch", "/api/v1/outputs/1/nothing/", {}, 404, "not_found"),
    ("get", "/api/v1/tasks/999999/", {}, 404, "not_found"),
    ("get", "/api/v1/tasks/abc/", {}, 404, "not_found"),
    ("get", "/api/v1/tasks/", {"data": {"page": 99}}, 404, "not_found"),
    ("get", "/api/v1/tasks/", {"data": {"page_size": 501}}, 400, "invalid"),
    ("get", "/api/v1/tasks/", {"data": {"lead_unit": "x"}}, 400, "invalid"),
    ("get", "/api/v1/tasks/", {"data": {"overdue": "maybe"}}, 400, "invalid"),
    ("get", "/api/v1/tasks/", {"data": {"resolution": ""}}, 400, "invalid"),
    ("get", "/api/v1/tasks/", {"data": {"on": "31/12/2025"}}, 400, "invalid"),
    ("get", "/api/v1/tasks/", {"data": {"updated_since": "0001-01-01T00:00:00+23:00"}}, 400,
     "invalid"),
    ("get", "/api/v1/tasks/", {"data": {"status": "late"}}, 400, "invalid"),
    ("delete", "/api/v1/tasks/{task}/", {}, 405, "method_not_allowed"),
    ("put", "/api/v1/progress-reports/{report}/", {}, 405, "method_not_allowed"),
    ("get", "/api/v1/tasks/", {"HTTP_ACCEPT": "text/html"}, 406, "not_acceptable"),
    ("patch", "/api/v1/progress-reports/{report}/",
     {"data": "version=1", "content_type": "application/x-www-form-urlencoded"}, 415,
     "unsupported_media_type"),
    ("patch", "/api/v1/progress-reports/{report}/",
     {"data": "{not json", "content_type": "application/json"}, 400, "parse_error"),
    ("patch", "/api/v1/progress-reports/{report}/",
     {"data": [1, 2], "content_type": "application/json"}, 400, "invalid"),
])
def test_every_failure_has_the_error_shape(own_task, own_report, write_token, method, path,
                                           kwargs, status, code):
    client = Client(enforce_csrf_checks=True)  # as another system calls: no CSRF cookie
    url = path.format(task=own_task.pk, report=own_report.pk)
    response = getattr(client, method)(url, **kwargs, **bearer(write_token))
    assert response.status_code == status, response.content
    assert shape(response)["code"] == code


def test_a_server_fault_is_json_under_the_api_and_html_elsewhere(db, settings, monkeypatch):
    from tasks.api import stats as tasks_api

    def broken(*args, **kwargs):
        raise RuntimeError("a fault")

    monkeypatch.setattr(tasks_api, "task_status_counts", broken)
    from tests.factories import UserFactory
    from units.models import User

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    response = client.get("/api/v1/stats/")
    assert response.status_code == 500
    error = shape(response)
    assert error["code"] == "server_error" and "a fault" not in error["message"]
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_stale_version_is_a_409_and_changes_nothing(client, own_report, write_token):
    url = REPORT.format(own_report.pk)
    first = client.patch(url, {"version": 1, "results": "Bản thứ nhất."},
                         content_type="application/json", **bearer(write_token))
    assert first.status_code == 200 and first.json()["version"] == 2
    assert first["ETag"] == '"2"'
    stale = client.patch(url, {"version": 1, "results": "Bản cũ ghi đè."},
                         content_type="application/json", **bearer(write_token))
    assert stale.status_code == 409
    assert shape(stale)["code"] == "stale"
    own_report.refresh_from_db()
    assert own_report.results == "Bản thứ nhất." and own_report.version == 2


def test_if_match_is_checked_too(client, own_report, write_token):
    url = REPORT.format(own_report.pk)
    assert client.get(url, **bearer(write_token))["ETag"] == '"1"'
    refused = client.patch(url, {"version": 1, "percent_complete": 50},
                           content_type="application/json", HTTP_IF_MATCH='"7"',
                           **bearer(write_token))
    assert refused.status_code == 409
    done = client.patch(url, {"version": 1, "percent_complete": 50},
                        content_type="application/json", HTTP_IF_MATCH='"1"',
                        **bearer(write_token))
    assert done.status_code == 200 and done["ETag"] == '"2"'


def test_a_workflow_step_on_a_stale_version_is_refused(client, own_report, leader):
    submitted(own_report, leader)
    client.force_login(leader)
    url = REPORT.format(own_report.pk)
    assert client.post(url + "approve/", {"version": 5},
                       content_type="application/json").status_code == 409
    own_report.refresh_from_db()
    assert own_report.state == "submitted"
    approved = client.post(url + "approve/", {"version": 1}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"


def test_a_step_the_state_does_not_allow_is_a_409_not_a_403(client, own_report, leader):
    client.force_login(leader)
    response = client.post(REPORT.format(own_report.pk) + "approve/", {"version": 1},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    error = shape(response)
    assert error["code"] == "invalid_state" and "draft" in error["message"]


def test_changing_a_submitted_report_is_a_409_and_only_the_unit_writes_it(
        client, own_report, reporter, leader, secretariat):
    submitted(own_report, leader)
    url = REPORT.format(own_report.pk)
    client.force_login(reporter)
    changed = client.patch(url, {"version": 1, "percent_complete": 80},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert changed.status_code == 409
    error = shape(changed)
    assert error["code"] == "invalid_state" and "submitted" in error["message"]
    client.force_login(secretariat)
    refused = client.post(url + "submit/", {"version": 1}, content_type="application/json")
    assert refused.status_code == 403 and shape(refused)["code"] == "permission_denied"
    own_report.refresh_from_db()
    assert (own_report.state, own_report.version) == ("submitted", 1)


def test_a_second_report_for_the_same_task_unit_and_period_is_a_409(client, own_report,
                                                                      write_token):
    response = client.post("/api/v1/progress-reports/", {
        "task": own_report.task_id, "unit": own_report.unit_id, "period": "2025-11"},
        content_type="application/json", **bearer(write_token))
    assert response.status_code == 409 and shape(response)["code"] == "conflict"
    assert ProgressReport.objects.count() == 1


@pytest.fixture
def throttled(settings):
    """Low rates, and a cache key prefix of this test's own: other test runs sharing the Redis
    server count nothing here (and nothing is flushed)."""
    rates = {"token": "3/minute", "user": "3/minute", "anon": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}"}}


def test_tokens_are_throttled_each_on_its_own(client, throttled, reporter, read_token,
                                              write_token):
    for _ in range(3):
        assert client.get("/api/v1/units/", **bearer(read_token)).status_code == 200
    refused = client.get("/api/v1/units/", **bearer(read_token))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert shape(refused)["code"] == "throttled"
    assert client.get("/api/v1/units/", **bearer(write_token)).status_code == 200


def test_anonymous_requests_and_bad_tokens_are_throttled_by_address(client, throttled, db):
    assert client.get("/api/v1/units/").status_code == 401
    assert client.get("/api/v1/units/", **bearer("pt_00000000_guess")).status_code == 401
    response = client.get("/api/v1/units/", **bearer("pt_00000000_guess-again"))
    assert response.status_code == 429
    assert shape(response)["code"] == "throttled"
