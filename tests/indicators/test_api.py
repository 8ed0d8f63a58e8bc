"""The indicators API: scope, filters, updated_since, ETags, 409 on stale writes, the workflow
with the browser's permissions, and query counts that do not grow with the rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import IndicatorValue
from indicators.services import indicator_value_save
from tests.api.conftest import bearer, token_for
from tests.factories import TaskFactory
from units.models import ApiToken

from .conftest import approved_value, make_indicator

pytestmark = pytest.mark.django_db
WRITE = ApiToken.Scope.WRITE


def _post(client, url, token, body, **headers):
    return client.post(url, body, content_type="application/json", **bearer(token), **headers)


def test_indicators_list_with_targets_and_track(client, indicator, reporter):
    approved_value(indicator, date(2025, 11, 30), 94.8)
    token = token_for(reporter, ApiToken.Scope.READ)
    response = client.get("/api/v1/indicators/?on=2025-12-10", **bearer(token))
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["code"] == "1" and row["targets"][0]["value"] == 95.0
    assert row["track"]["status"] in {"on_track", "at_risk"}
    assert row["track"]["latest"] == 94.8
    detail = client.get(f"/api/v1/indicators/{indicator.pk}/", **bearer(token))
    assert detail["ETag"] == f'"{indicator.version}"'


def test_indicators_give_their_breakdown_units_and_tasks_in_order(client, indicator, provinces,
                                                                  reporter):
    later = TaskFactory(code="1.10", with_output=False)
    earlier = TaskFactory(code="1.2", group=later.group, with_output=False)
    indicator.tasks.set([later, earlier])
    token = token_for(reporter, ApiToken.Scope.READ)
    units = [unit.pk for unit in sorted(provinces, key=lambda unit: unit.path)]
    row = client.get("/api/v1/indicators/", **bearer(token)).json()["results"][0]
    assert (row["breakdown_units"], row["tasks"]) == (units, [earlier.pk, later.pk])
    detail = client.get(f"/api/v1/indicators/{indicator.pk}/", **bearer(token)).json()
    assert (detail["breakdown_units"], detail["tasks"]) == (units, [earlier.pk, later.pk])


def test_indicator_filters_and_updated_since(client, indicator, resolution, department,
                                             reporter):
    make_indicator(resolution, department, code="2", frequency="yearly")
    token = token_for(reporter, ApiToken.Scope.READ)
    codes = [r["code"] for r in client.get("/api/v1/indicators/?frequency=yearly",
                                           **bearer(token)).json()["results"]]
    assert codes == ["2"]
    assert client.get("/api/v1/indicators/?updated_since=2999-01-01T00:00:00Z",
                      **bearer(token)).json()["results"] == []
    bad = client.get("/api/v1/indicators/?resolution=abc", **bearer(token))
    assert bad.status_code == 400 and "resolution" in bad.json()["error"]["fields"]


def test_a_value_goes_from_draft_to_approved_through_the_api(client, indicator, reporter,
                                                             leader):
    writer, approver = token_for(reporter, WRITE), token_for(leader, WRITE)
    created = _post(client, "/api/v1/indicator-values/", writer, {
        "indicator": indicator.pk, "period": "2025-11", "value": 93.5,
        "source_note": "Cục Phòng bệnh", "submit": True})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["state"], body["unit"], body["period"]) == ("submitted", None, "2025-11")
    assert created["ETag"] == f'"{body["version"]}"'
    again = _post(client, "/api/v1/indicator-values/", writer, {
        "indicator": indicator.pk, "period": "2025-11", "value": 1})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    url = f"/api/v1/indicator-values/{body['id']}/"
    refused = _post(client, url + "approve/", writer, {"version": body["version"]})
    assert refused.status_code == 403
    approved = _post(client, url + "approve/", approver, {"version": body["version"]})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"


def test_a_stale_write_is_409_and_nothing_changes(client, indicator, reporter, leader):
    value = indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                                 period_end=date(2025, 11, 30), expected_version=0,
                                 fields={"value": Decimal("93")}).value
    indicator_value_save(actor=leader, indicator=indicator, unit=None, period_end=value.period_end,
                         expected_version=1, fields={"value": Decimal("92")})
    token = token_for(reporter, WRITE)
    url = f"/api/v1/indicator-values/{value.pk}/"
    stale = client.patch(url, {"version": 1, "value": 99}, content_type="application/json",
                         **bearer(token))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    mismatch = client.patch(url, {"version": 2, "value": 99}, content_type="application/json",
                            HTTP_IF_MATCH='"1"', **bearer(token))
    assert mismatch.status_code == 409
    value.refresh_from_db()
    assert value.value == Decimal("92")
    fresh = client.patch(url, {"version": 2, "value": 99}, content_type="application/json",
                         HTTP_IF_MATCH='"2"', **bearer(token))
    assert fresh.status_code == 200 and fresh["ETag"] == '"3"'


def test_another_unit_cannot_write_nor_read_drafts(client, indicator, reporter, other_reporter):
    value = indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                                 period_end=date(2025, 11, 30), expected_version=0,
                                 fields={"value": Decimal("93")}).value
    approved_value(indicator, date(2025, 10, 31), 91)
    token = token_for(other_reporter, WRITE)
    listed = client.get("/api/v1/indicator-values/", **bearer(token)).json()["results"]
    assert [row["state"] for row in listed] == ["approved"]
    assert client.get(f"/api/v1/indicator-values/{value.pk}/", **bearer(token)).status_code == 404
    refused = _post(client, "/api/v1/indicator-values/", token, {
        "indicator": indicator.pk, "period": "2025-09", "value": 90})
    assert refused.status_code == 403
    wrong = _post(client, "/api/v1/indicator-values/", token_for(reporter, WRITE), {
        "indicator": indicator.pk, "period": "2025-Q3", "value": 90})
    assert wrong.status_code == 400 and "period" in wrong.json()["error"]["fields"]


def test_value_filters(client, indicator, provinces, reporter):
    approved_value(indicator, date(2025, 10, 31), 91)
    approved_value(indicator, date(2025, 10, 31), 96, unit=provinces[0])
    token = token_for(reporter, ApiToken.Scope.READ)
    national = client.get("/api/v1/indicator-values/?national=true", **bearer(token)).json()
    assert [row["unit"] for row in national["results"]] == [None]
    by_unit = client.get(f"/api/v1/indicator-values/?unit={provinces[0].pk}",
                         **bearer(token)).json()
    assert [row["value"] for row in by_unit["results"]] == [96.0]


def _count(client, url, token) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **bearer(token)).status_code == 200
    return len(queries)


def test_api_lists_take_as_many_queries_for_3_rows_as_for_30(client, resolution, department,
                                                             reporter):
    token = token_for(reporter, ApiToken.Scope.READ)

    def grow(first, count):
        for number in range(first, first + count):
            indicator = make_indicator(resolution, department, code=str(number))
            approved_value(indicator, date(2025, 10, 31), 91)

    grow(1, 3)
    client.get("/api/v1/indicators/", **bearer(token))  # the token's first use is recorded once
    few = (_count(client, "/api/v1/indicators/", token),
           _count(client, "/api/v1/indicator-values/", token))
    grow(4, 27)
    assert IndicatorValue.objects.count() == 30
    assert (_count(client, "/api/v1/indicators/", token),
            _count(client, "/api/v1/indicator-values/", token)) == few
