"""The indicator list is drawn once and read again until what it shows changes: an approved
value, a target, a unit's name; never past such a change."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import IndicatorTarget

from .conftest import approved_value

pytestmark = pytest.mark.django_db

URL = reverse("indicators:list") + "?on=15/12/2025"


def _row(client, code="72-NQ/TW · 1") -> str:
    html = client.get(URL).content.decode()
    return html[html.index(code):].split("</tr>")[0]


def test_the_list_shows_each_change_at_once(client, reporter, indicator, department):
    client.force_login(reporter)
    assert "—" in _row(client)  # no value yet
    assert _row(client) == _row(client)
    approved_value(indicator, date(2025, 11, 30), "93,5".replace(",", "."))
    assert "93,5" in _row(client)
    IndicatorTarget.objects.filter(indicator=indicator).update(value=Decimal("97"))
    assert "97 %" in _row(client)
    department.name = "Cục Y tế dự phòng (đổi tên)"
    department.save()
    assert "Cục Y tế dự phòng (đổi tên)" in _row(client)
