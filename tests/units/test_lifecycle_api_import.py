"""A unit's life seen from outside: the API's dates, successors and `on`; searching by a former
name; an imported file naming a body that ended reads it as its successor."""

from datetime import date

import pytest

from tasks.exchange.matching import UnitIndex
from tasks.models import Resolution, Task
from tasks.reference import reference_load
from tests.factories import UnitFactory, UserFactory
from tests.tasks.appendix import simple_workbook
from tests.tasks.test_import import HEADER, plan_of, run_import
from units.models import Unit, UnitChange, User

from .lifecycle import change

pytestmark = pytest.mark.django_db

MERGED = date(2025, 3, 1)


@pytest.fixture
def merged(secretariat):
    old = UnitFactory(code="BKHDT-TEST", name="Bộ Kế hoạch Thử nghiệm", kind=Unit.Kind.MINISTRY)
    new = UnitFactory(code="BTC-TEST", name="Bộ Tài chính Thử nghiệm", kind=Unit.Kind.MINISTRY)
    change(old, UnitChange.Kind.MERGE, actor=secretariat, on=MERGED, successors=[new])
    return old, new


def _by_code(response) -> dict:
    assert response.status_code == 200
    return {row["code"]: row for row in response.json()["results"]}


def test_each_unit_shows_its_dates_and_successors(client, secretariat, merged):
    old, new = merged
    client.force_login(secretariat)
    rows = _by_code(client.get("/api/v1/units/"))
    assert rows[old.code]["valid_to"] == "2025-03-01" and rows[old.code]["valid_from"] is None
    assert rows[old.code]["successors"] == [new.pk]
    assert rows[new.code]["successors"] == [] and rows[new.code]["valid_to"] is None
    assert client.get(f"/api/v1/units/{old.pk}/").json()["successors"] == [new.pk]


def test_on_gives_the_units_existing_that_day(client, secretariat, merged):
    old, new = merged
    client.force_login(secretariat)
    before = _by_code(client.get("/api/v1/units/", {"on": "2025-02-28"}))
    after = _by_code(client.get("/api/v1/units/", {"on": "2025-03-01"}))
    assert old.code in before and new.code in before
    assert old.code not in after and new.code in after
    refused = client.get("/api/v1/units/", {"on": "28/02/2025"})
    assert refused.status_code == 400 and "on" in refused.json()["error"]["fields"]


def test_a_search_finds_a_unit_by_its_former_name(client, secretariat, merged):
    old, new = merged
    client.force_login(secretariat)
    found = _by_code(client.get("/api/v1/units/", {"q": "Kế hoạch Thử"}))
    assert set(found) == {old.code, new.code}  # the old unit, and its successor by alias
    assert set(_by_code(client.get("/api/v1/units/", {"q": "Kế hoạch Thử",
                                                     "on": "2025-03-01"}))) == {new.code}


def test_the_admin_finds_a_unit_by_its_former_name(client, merged):
    old, new = merged
    client.force_login(UserFactory(username="root", role=User.Role.ADMIN, unit=None,
                                   is_staff=True, is_superuser=True))
    admin_client = client
    page = admin_client.get("/admin/units/unit/", {"q": "Kế hoạch Thử"}).content.decode()
    assert new.code in page
    changes = admin_client.get("/admin/units/unitchange/", {"q": "Kế hoạch"}).content.decode()
    assert "176/2025/QH15" in changes


def test_an_import_naming_the_ended_body_reads_it_as_its_successor(db):
    reference_load()
    resolution = Resolution.objects.get(number="282/NQ-CP")
    actor = UserFactory(username="dau-moi", role=User.Role.SECRETARIAT)
    old = UnitFactory(code="BYT-DA", name="Ban Quản lý Dự án Thử nghiệm", kind="agency")
    new = Unit.objects.get(code="BYT-KCB")
    change(old, UnitChange.Kind.MERGE, actor=actor, on=MERGED, successors=[new])
    rows = [["1.1", "1", "Nhiệm vụ cũ", "Ban Quản lý Dự án Thử nghiệm", "Bộ Y tế",
             "Báo cáo", "Chính phủ", "Năm 2026"]]
    content = simple_workbook(HEADER, rows)

    run_import(resolution, actor, content)
    task = Task.objects.get(resolution=resolution, code="1.1")
    assert task.lead_unit == new
    read = UnitIndex.load().read("Ban Quản lý Dự án Thử nghiệm")
    assert read.found == [new] and read.notes[0].is_former_name
    assert "01/03/2025" in read.notes[0].message and new.name in read.notes[0].message
    with_code = plan_of(resolution, simple_workbook(HEADER, [[*rows[0][:3], "BYT-DA",
                                                             *rows[0][4:]]]))
    assert with_code.unknown_units == {"BYT-DA": [2]}  # the ended unit's code matches nothing


def test_an_ended_unit_is_not_matched_by_its_code(db):
    old = UnitFactory(code="XYZ-OLD", name="Cục Cũ", valid_to=MERGED)
    UnitFactory(code="XYZ-NEW", name="Cục Mới")
    index = UnitIndex.load()
    assert index.read("XYZ-OLD").found == [] and index.read("Cục Cũ").found == []
    assert [u.code for u in index.read("Cục Mới").found] == ["XYZ-NEW"]
    assert old.pk not in index.units
