"""Every hostile payload typed where the public page shows it (a task's title, a group's name, a
unit's name, an output's title and number) comes out as text: escaped in the page, data in the
JSON, never a formula in the CSV."""

import csv
import html
import io
from datetime import date

import pytest

from tasks.models import Output
from tests.factories import (
    ReportingPeriodFactory,
    ResolutionFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
)
from tests.hostile import PAYLOADS
from tests.public.conftest import issue


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_a_hostile_text_is_text_on_the_public_page_and_in_its_data(client, db, payload):
    period = ReportingPeriodFactory(year=2025, month=11)
    resolution = ResolutionFactory(number="282/NQ-CP", is_public=True)
    group = TaskGroupFactory(resolution=resolution, number=1, name=f"{payload} nhóm")
    unit = UnitFactory(name=f"{payload} đơn vị")
    task = TaskFactory(group=group, lead_unit=unit, title=f"{payload} nhiệm vụ",
                       deadline=date(2025, 12, 31), with_output=False)
    Output.objects.create(task=task, kind=Output.Kind.CIRCULAR, title=f"{payload} thông tư",
                          document_number=f"{payload} số", issued_on=date(2025, 11, 1))
    issue(period)

    page = client.get(f"/public/{resolution.pk}/2025-11/").content.decode()
    for text in ("nhóm", "đơn vị", "nhiệm vụ", "thông tư", "số"):
        assert html.escape(f"{payload} {text}") in page, text  # as typed, escaped
    if "<" in payload or '"' in payload:
        assert payload not in page

    data = client.get(f"/public/{resolution.pk}/2025-11.json").json()
    assert data["groups"][0]["name"] == f"{payload} nhóm"
    assert data["outputs_issued"][0]["document_number"] == f"{payload} số"

    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/public/{resolution.pk}/2025-11.csv").content.decode("utf-8-sig"))))
    for row in rows:
        for column in ("resolution", "group_name", "group_name_en"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), row[column]
