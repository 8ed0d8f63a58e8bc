"""The pages and the API of units' lives cost the same number of queries for 3 units as for 30,
and for a preview of 3 holdings as of 30."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks.facts import facts_fill, facts_settle
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import Unit, UnitChange

from .lifecycle import change

pytestmark = pytest.mark.django_db

ENDED = date(2025, 3, 1)


def _units(n: int, actor) -> Unit:
    """n units, a third of them merged into the first with a successor each."""
    main = UnitFactory(code="MAIN", kind=Unit.Kind.MINISTRY)
    for i in range(n - 1):
        unit = UnitFactory(code=f"OLD{n}-{i}", kind=Unit.Kind.MINISTRY, parent=main)
        if i % 3 == 0:
            change(unit, UnitChange.Kind.MERGE, actor=actor, on=ENDED, successors=[main])
    return main


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"on": "28/02/2025"}])
def test_the_unit_list_is_flat_from_3_to_30_units(client, secretariat, params):
    client.force_login(secretariat)
    _units(3, secretariat)
    few = _count(client, reverse("unit_list"), params)
    _units(30, secretariat)
    assert Unit.objects.count() > 30
    assert _count(client, reverse("unit_list"), params) == few


def test_the_unit_page_is_flat_with_its_history(client, secretariat):
    client.force_login(secretariat)
    main = _units(3, secretariat)
    few = _count(client, reverse("unit_detail", args=[main.pk]))
    _units(30, secretariat)
    assert _count(client, reverse("unit_detail", args=[main.pk])) == few


def _preview_queries(client, n: int, kind: str, successors) -> int:
    old = UnitFactory(code=f"SPLIT{n}", kind=Unit.Kind.MINISTRY)
    for i in range(n):
        TaskFactory(lead_unit=old)
        TaskFactory(coordinating_units=[old])
        UserFactory(username=f"cv{n}-{i}", unit=old)
        UnitFactory(code=f"CHILD{n}-{i}", parent=old)
    data = {"kind": kind, "effective_on": "01/03/2025", "decision_number": "1/QĐ",
            "decision_date": "18/02/2025"}
    if successors:
        data |= {"successor": successors[0].pk,
                 "other_successors": [unit.pk for unit in successors[1:]]}
    # The per-task facts settled first, as a writer and the nightly fill leave them (their
    # upkeep is tests/reports/test_task_facts.py's): the preview's own queries.
    facts_settle()
    facts_fill(day=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("unit_change", args=[old.pk]), data)
    assert response.status_code == 200 and 'name="fingerprint"' in response.content.decode()
    return len(queries)


@pytest.mark.parametrize("kind", ["split", "dissolve"])
def test_the_preview_is_flat_from_3_to_30_of_everything_held(client, secretariat, kind):
    client.force_login(secretariat)
    successors = ([UnitFactory(code="S1", kind=Unit.Kind.MINISTRY),
                   UnitFactory(code="S2", kind=Unit.Kind.MINISTRY)] if kind == "split" else [])
    few = _preview_queries(client, 3, kind, successors)
    UnitFactory.create_batch(27, kind=Unit.Kind.MINISTRY)  # more units to choose from
    assert _preview_queries(client, 30, kind, successors) == few


def test_the_api_unit_list_is_flat_from_3_to_30_units(client, secretariat):
    client.force_login(secretariat)
    _units(3, secretariat)
    few = _count(client, "/api/v1/units/", {"page_size": 100})
    _units(30, secretariat)
    assert _count(client, "/api/v1/units/", {"page_size": 100}) == few
