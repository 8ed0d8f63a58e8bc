"""Plans cascade in the API: a task's `implements` and `implemented_by`, the `implements` and
`include_plans` filters, and writing the link through the services' rule."""

import pytest

from tests.cascade_world import cascade_world
from tests.factories import UserFactory
from units.models import ApiToken, User

from .conftest import bearer, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return cascade_world()


@pytest.fixture
def office(db):
    user = UserFactory(username="dau-moi", role=User.Role.SECRETARIAT, unit=None)
    return bearer(token_for(user, ApiToken.Scope.WRITE))


def test_a_task_shows_what_it_implements_and_what_implements_it(client, world, office):
    parent = client.get(f"/api/v1/tasks/{world['parent'].pk}/", **office).json()
    assert parent["implements"] is None
    assert parent["implemented_by"] == sorted([world["late"].pk, world["early"].pk])
    child = client.get(f"/api/v1/tasks/{world['late'].pk}/", **office).json()
    assert child["implements"] == world["parent"].pk and child["implemented_by"] == []


def test_a_unit_sees_only_the_implementing_tasks_in_its_scope(client, world):
    reporter = UserFactory(role=User.Role.REPORTER, unit=world["first"])
    headers = bearer(token_for(reporter, ApiToken.Scope.READ))
    parent = client.get(f"/api/v1/tasks/{world['parent'].pk}/", **headers).json()
    assert parent["implemented_by"] == [world["late"].pk]


def test_tasks_filter_by_the_task_they_implement_and_by_a_programme_with_its_plans(
        client, world, office):
    url = "/api/v1/tasks/"
    found = client.get(url, {"implements": world["parent"].pk}, **office).json()["results"]
    assert {row["id"] for row in found} == {world["late"].pk, world["early"].pk}
    alone = client.get(url, {"resolution": world["programme"].pk}, **office).json()["results"]
    both = client.get(url, {"resolution": world["programme"].pk, "include_plans": "true"},
                      **office).json()["results"]
    assert (len(alone), len(both)) == (3, 5)
    assert client.get(url, {"include_plans": "maybe"}, **office).status_code == 400


def test_the_link_is_written_under_the_rule(client, world, office):
    url = f"/api/v1/tasks/{world['early'].pk}/"
    moved = client.patch(url, {"implements": world["other"].pk}, content_type="application/json",
                         **office)
    assert moved.status_code == 200 and moved.json()["implements"] == world["other"].pk
    wrong = client.patch(f"/api/v1/tasks/{world['other'].pk}/",
                         {"implements": world["parent"].pk}, content_type="application/json",
                         **office)
    assert wrong.status_code == 400
    assert "implements" in wrong.json()["error"]["fields"]
    world["other"].refresh_from_db()
    assert world["other"].implements is None
