"""The trajectory and the track status, against figures computed by hand."""

from datetime import date

import pytest

from indicators.periods import period_label, period_parse, recent_periods
from indicators.trajectory import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    Observation,
    Point,
    expected_on,
    forecast_on,
    track_status,
)

# Life expectancy: 74.0 at the end of 2024, a milestone of 75.0 at the end of 2026, 75.5 by 2030.
LIFE = [Point(2024, 74.0, "baseline"), Point(2026, 75.0, "milestone"), Point(2030, 75.5)]
# Out-of-pocket share: 40 % at the end of 2024, at most 30 % by the end of 2030.
OOP = [Point(2024, 40.0, "baseline"), Point(2030, 30.0)]


def test_expected_value_is_linear_between_points():
    # 31/12/2024 → 31/12/2026 is 730 days; 31/12/2025 is 365 days in: halfway, 74.5.
    assert expected_on(LIFE, date(2025, 12, 31)) == pytest.approx(74.5)
    assert expected_on(LIFE, date(2026, 12, 31)) == pytest.approx(75.0)
    # 2026 → 2030 is 1,461 days; 31/12/2028 is 731 days in: 75 + 0.5 × 731/1461.
    assert expected_on(LIFE, date(2028, 12, 31)) == pytest.approx(75.0 + 0.5 * 731 / 1461)
    # Before the baseline there is no expectation; after the last target, the target stands.
    assert expected_on(LIFE, date(2024, 6, 30)) is None
    assert expected_on(LIFE, date(2035, 1, 1)) == 75.5


def test_expected_value_going_down():
    # 40 → 30 over 2,191 days; 31/12/2027 is 1,095 days in.
    assert expected_on(OOP, date(2027, 12, 31)) == pytest.approx(40 - 10 * 1095 / 2191)


def test_forecast_is_the_least_squares_line():
    observations = [Observation(date(2025, 1, 31), 10.0), Observation(date(2025, 3, 31), 14.0)]
    # 59 days between them: 4 per 59 days; 31/05/2025 is 61 days after the second.
    assert forecast_on(observations, date(2025, 5, 31)) == pytest.approx(14 + 4 * 61 / 59)
    assert forecast_on(observations[:1], date(2025, 5, 31)) is None


def test_on_track_when_close_to_the_path_and_the_trend_reaches_the_target():
    values = [Observation(date(2025, 12, 31), 74.5), Observation(date(2026, 12, 31), 75.0)]
    track = track_status(points=LIFE, observations=values, on=date(2027, 1, 15),
                         direction="at_least", tolerance=0.05)
    assert track.status == ON_TRACK
    assert track.expected == pytest.approx(75.0)
    assert track.target == Point(2030, 75.5)
    # The trend: +0.5 a year → 75.0 + 0.5 × 1461/365 ≈ 77.0 by the end of 2030.
    assert track.forecast == pytest.approx(75.0 + 0.5 * 1461 / 365)


def test_at_risk_when_close_to_the_path_but_the_trend_falls_short():
    # 74.4 then 74.45: within 5 % of 75.0, but the trend reaches only ≈ 74.65 by 2030.
    values = [Observation(date(2025, 12, 31), 74.4), Observation(date(2026, 12, 31), 74.45)]
    track = track_status(points=LIFE, observations=values, on=date(2027, 1, 15),
                         direction="higher", tolerance=0.05)
    assert (track.gap_ok, track.forecast_ok, track.status) == (True, False, AT_RISK)


def test_off_track_when_far_behind_and_the_trend_falls_short():
    values = [Observation(date(2025, 12, 31), 60.0), Observation(date(2026, 12, 31), 60.5)]
    track = track_status(points=LIFE, observations=values, on=date(2027, 1, 15),
                         direction="higher", tolerance=0.05)
    # 60.5 is below 75.0 × 0.95 = 71.25, and the trend reaches only ≈ 62.5.
    assert (track.gap_ok, track.forecast_ok, track.status) == (False, False, OFF_TRACK)


def test_lower_is_better():
    # Expected at the end of 2025: 40 − 10 × 365/2191 ≈ 38.33; allowance 5 % → up to ≈ 40.25.
    good = [Observation(date(2025, 6, 30), 39.0), Observation(date(2025, 12, 31), 38.0)]
    track = track_status(points=OOP, observations=good, on=date(2026, 1, 1), direction="lower",
                         tolerance=0.05)
    assert track.status == ON_TRACK
    worse = [Observation(date(2025, 6, 30), 41.0), Observation(date(2025, 12, 31), 42.0)]
    track = track_status(points=OOP, observations=worse, on=date(2026, 1, 1),
                         direction="at_most", tolerance=0.05)
    assert (track.gap_ok, track.forecast_ok, track.status) == (False, False, OFF_TRACK)


def test_a_single_value_is_judged_on_the_gap_alone():
    one = [Observation(date(2025, 12, 31), 74.2)]
    track = track_status(points=LIFE, observations=one, on=date(2026, 1, 1),
                         direction="higher", tolerance=0.05)
    assert (track.forecast, track.status) == (None, ON_TRACK)
    far = [Observation(date(2025, 12, 31), 50.0)]
    assert track_status(points=LIFE, observations=far, on=date(2026, 1, 1), direction="higher",
                        tolerance=0.05).status == OFF_TRACK


def test_a_target_already_met_is_on_track_whatever_the_trend():
    values = [Observation(date(2025, 6, 30), 80.0), Observation(date(2025, 12, 31), 76.0)]
    track = track_status(points=LIFE, observations=values, on=date(2026, 1, 1),
                         direction="at_least", tolerance=0.0)
    assert track.status == ON_TRACK


def test_no_data_without_an_approved_value_by_the_date_or_without_a_target():
    later = [Observation(date(2026, 12, 31), 75.0)]
    assert track_status(points=LIFE, observations=[], on=date(2026, 1, 1), direction="higher",
                        tolerance=0.05).status == NO_DATA
    assert track_status(points=LIFE, observations=later, on=date(2026, 1, 1),
                        direction="higher", tolerance=0.05).status == NO_DATA
    assert track_status(points=[Point(2024, 74.0, "baseline")], observations=later,
                        on=date(2027, 1, 1), direction="higher",
                        tolerance=0.05).status == NO_DATA


def test_before_the_trajectory_begins_the_forecast_decides():
    points = [Point(2030, 100.0)]
    rising = [Observation(date(2025, 1, 31), 50.0), Observation(date(2025, 12, 31), 70.0)]
    assert track_status(points=points, observations=rising, on=date(2026, 1, 1),
                        direction="higher", tolerance=0.05).status == ON_TRACK
    flat = [Observation(date(2025, 1, 31), 50.0), Observation(date(2025, 12, 31), 51.0)]
    assert track_status(points=points, observations=flat, on=date(2026, 1, 1),
                        direction="higher", tolerance=0.05).status == AT_RISK


def test_the_next_target_is_the_one_judged():
    points = [Point(2024, 10.0, "baseline"), Point(2026, 50.0), Point(2030, 90.0)]
    values = [Observation(date(2026, 12, 31), 55.0)]
    # 2026's target of 50 is met: on track, against 2026's target.
    track = track_status(points=points, observations=values, on=date(2027, 1, 1),
                         direction="higher", tolerance=0.05)
    assert (track.status, track.target.year) == (ON_TRACK, 2026)
    values = [Observation(date(2027, 12, 31), 55.0)]
    track = track_status(points=points, observations=values, on=date(2028, 1, 1),
                         direction="higher", tolerance=0.05)
    # Against 2030's 90: expected 50 + 40 × 365/1461 ≈ 59.99 at the end of 2027; 55 is below
    # 59.99 × 0.95 ≈ 56.99, and a single value has no forecast: off track.
    assert track.target.year == 2030
    assert track.expected == pytest.approx(50 + 40 * 365 / 1461)
    assert track.status == OFF_TRACK


def test_periods_are_written_as_the_programme_writes_them():
    assert period_parse("quarterly", "2025-Q4") == date(2025, 12, 31)
    assert period_parse("monthly", "2024-02") == date(2024, 2, 29)
    assert period_parse("yearly", "2025") == date(2025, 12, 31)
    assert period_parse("monthly", "2025-Q4") is None
    assert period_label("quarterly", date(2025, 12, 31)) == "Quý IV/2025"
    assert recent_periods("quarterly", today=date(2026, 2, 3), count=3) == [
        date(2026, 3, 31), date(2025, 12, 31), date(2025, 9, 30)]
