"""The demo's indicators: the resolution's aims, illustrative ones flagged, values that show
every track status, loaded once."""

from datetime import date

import pytest

from indicators.models import Indicator, IndicatorValue
from indicators.selectors import indicator_list_with_series
from indicators.status import indicator_track
from reports.demo import demo_load
from units.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_indicators_show_every_status_and_load_once():
    today = date(2026, 6, 20)
    demo_load(today=today)
    count = IndicatorValue.objects.count()
    assert count > 50
    user = User.objects.get(username="leadership")
    indicators = {i.code: i for i in indicator_list_with_series(user=user)}
    statuses = {code: indicator_track(i, on=today).status for code, i in indicators.items()}
    assert set(statuses.values()) == {"on_track", "at_risk", "off_track", "no_data"}
    life = indicators["1"]
    assert (life.targets.get().value, life.is_illustrative, life.baseline_illustrative) == (
        75.5, False, True)
    assert Indicator.objects.get(code="MH1").is_illustrative
    assert {v.state for v in IndicatorValue.objects.all()} == {"approved", "submitted", "draft"}
    demo_load(today=today)
    assert IndicatorValue.objects.count() == count
