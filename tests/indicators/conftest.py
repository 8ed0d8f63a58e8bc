"""Indicators to test with: one whose national figure the department enters (the `reporter`
and `leader` of the root conftest), broken down by two provinces."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from tests.factories import ResolutionFactory, UnitFactory, UserFactory
from units.models import User


@pytest.fixture
def resolution(db):
    return ResolutionFactory(number="72-NQ/TW", kind="party_resolution", issuer="Bộ Chính trị")


@pytest.fixture
def provinces(db):
    return [UnitFactory(code="HN", name="Ủy ban nhân dân Thành phố Hà Nội", kind="province"),
            UnitFactory(code="NA", name="Ủy ban nhân dân tỉnh Nghệ An", kind="province")]


def make_indicator(resolution, responsible, *, code="1", **fields) -> Indicator:
    defaults = {"name": f"Tỷ lệ tiêm chủng {code}", "measure": "%", "direction": "higher",
                "frequency": "monthly", "baseline_value": Decimal("90"), "baseline_year": 2024}
    indicator = Indicator.objects.create(resolution=resolution, code=code,
                                         responsible_unit=responsible,
                                         **{**defaults, **fields})
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=Decimal("95"))
    return indicator


@pytest.fixture
def indicator(resolution, department, provinces):
    indicator = make_indicator(resolution, department)
    indicator.breakdown_units.set(provinces)
    return indicator


def approved_value(indicator, on: date, value, *, unit=None, by=None) -> IndicatorValue:
    by = by or UserFactory(username="maker", role=User.Role.LEADER, unit=indicator.responsible_unit)
    return IndicatorValue.objects.create(
        indicator=indicator, unit=unit, period_end=on, value=Decimal(str(value)),
        source_note="Tổng cục Thống kê", state="approved", created_by=by, submitted_by=by,
        submitted_at="2025-01-01T00:00:00+07:00", decided_by=by,
        decided_at="2025-01-01T00:00:00+07:00")


@pytest.fixture
def province_reporter(provinces):
    return UserFactory(username="hn.reporter", role=User.Role.REPORTER, unit=provinces[0])


@pytest.fixture
def province_leader(provinces):
    return UserFactory(username="hn.leader", role=User.Role.LEADER, unit=provinces[0])
