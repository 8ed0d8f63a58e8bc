"""Values due and not submitted: the reminder job (once per unit, period and stage, in each
recipient's language) and the secretariat's list on the indicator page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.jobs import remind_missing_values
from indicators.missing import due_period_end, missing_values
from indicators.models import IndicatorValue
from tests.factories import UserFactory
from units.models import Notification, User

from .conftest import approved_value, make_indicator

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def value(indicator, end, state, *, unit=None, by):
    fields = {}
    if state != "draft":
        fields = {"submitted_by": by, "submitted_at": "2025-12-01T00:00:00+07:00"}
    return IndicatorValue.objects.create(indicator=indicator, unit=unit, period_end=end,
                                         value=Decimal("91"), state=state, created_by=by,
                                         **fields)


@pytest.fixture
def scene(indicator, provinces, reporter, leader, province_reporter):
    english = UserFactory(username="na.reporter", role=User.Role.REPORTER, unit=provinces[1],
                          language="en")
    return {"english": english, "province": province_reporter, "reporter": reporter,
            "leader": leader}


def test_the_period_due_is_the_last_one_ended():
    on = date(2025, 12, 15)
    assert due_period_end("monthly", on) == date(2025, 11, 30)
    assert due_period_end("quarterly", on) == date(2025, 9, 30)
    assert due_period_end("yearly", on) == date(2024, 12, 31)


def test_each_unit_owing_a_value_is_reminded_once_in_its_language(indicator, provinces, scene):
    november = date(2025, 11, 30)
    value(indicator, november, "submitted", by=scene["reporter"])  # the national figure
    value(indicator, november, "draft", unit=provinces[0], by=scene["province"])  # still owed

    counts = remind_missing_values(on="2025-12-03")
    assert counts == {"units": 2, "missing_values": 2, "notified": 2}
    assert not Notification.objects.filter(recipient__in=[scene["reporter"], scene["leader"]])
    vietnamese = Notification.objects.get(recipient=scene["province"])
    assert vietnamese.kind == Kind.INDICATOR_REMINDER
    assert vietnamese.subject == "Số liệu chỉ tiêu kỳ Tháng 11/2025 chưa gửi: 1"
    assert "Ủy ban nhân dân Thành phố Hà Nội" in vietnamese.body
    assert vietnamese.body.endswith("Chỉ tiêu: 1.")
    assert vietnamese.link == reverse("indicators:detail", args=[indicator.pk])
    english = Notification.objects.get(recipient=scene["english"])
    assert english.subject == "Indicator values for Month 11/2025 not submitted yet: 1"

    # Run again (the same day, or the next): nobody is told twice.
    assert remind_missing_values(on="2025-12-03")["notified"] == 0
    assert remind_missing_values(on="2025-12-04")["notified"] == 0
    # Late (15 days after the period's end): once more, with another message.
    late = remind_missing_values(on="2025-12-20")
    assert late["notified"] == 2 and remind_missing_values(on="2025-12-21")["notified"] == 0
    assert Notification.objects.get(recipient=scene["english"], key__endswith=":late").subject \
        == "Indicator values for Month 11/2025 are late: 1 from Ủy ban nhân dân tỉnh Nghệ An"


def test_a_unit_that_submitted_is_not_reminded(indicator, provinces, scene):
    november = date(2025, 11, 30)
    value(indicator, november, "submitted", by=scene["reporter"])
    value(indicator, november, "submitted", unit=provinces[0], by=scene["province"])
    approved_value(indicator, november, 93, unit=provinces[1])
    assert remind_missing_values(on="2025-12-03") == {"units": 0, "missing_values": 0,
                                                       "notified": 0}


def test_a_returned_value_is_still_missing_and_a_yearly_one_is_due_for_last_year(
        resolution, department, provinces, scene):
    yearly = make_indicator(resolution, department, code="2", frequency="yearly")
    returned = value(yearly, date(2024, 12, 31), "submitted", by=scene["reporter"])
    IndicatorValue.objects.filter(pk=returned.pk).update(
        state="returned", return_comment="Sai nguồn", decided_by=scene["leader"],
        decided_at="2025-02-01T00:00:00+07:00")
    found = [(m.indicator.code, m.unit.code, m.period_end, m.state)
             for m in missing_values(on=date(2025, 6, 1)) if m.indicator == yearly]
    assert found == [("2", department.code, date(2024, 12, 31), "returned")]


def test_the_secretariat_sees_which_units_owe_values(client, indicator, provinces, scene,
                                                     secretariat):
    november = date(2025, 11, 30)
    value(indicator, november, "submitted", by=scene["reporter"])
    client.force_login(secretariat)
    client.cookies["django_language"] = "vi"
    html = client.get(reverse("indicators:list") + "?on=15/12/2025").content.decode()
    assert "Số liệu còn thiếu của kỳ đến hạn" in html
    assert "2 số liệu đến hạn chưa được gửi, của 2 đơn vị." in html
    assert "Ủy ban nhân dân Thành phố Hà Nội" in html and "Tháng 11/2025" in html
    client.force_login(scene["province"])
    assert "Số liệu còn thiếu" not in client.get(reverse("indicators:list")).content.decode()


def test_the_list_with_missing_values_costs_the_same_for_3_and_30_indicators(
        client, resolution, department, provinces, secretariat):
    client.force_login(secretariat)

    def count(number):
        for n in range(number):
            indicator = make_indicator(resolution, department, code=f"9.{number}.{n}")
            indicator.breakdown_units.set(provinces)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("indicators:list") + "?on=15/12/2025").content.decode()
        assert "chưa được gửi" in html
        return len(queries)

    assert count(3) == count(30)


def test_the_reminder_job_reads_the_same_whatever_the_number_of_indicators(
        resolution, department, provinces, scene):
    for n in range(3):
        make_indicator(resolution, department, code=f"5.{n}").breakdown_units.set(provinces)
    with CaptureQueriesContext(connection) as few:
        missing_values(on=date(2025, 12, 15))
    for n in range(3, 30):
        make_indicator(resolution, department, code=f"5.{n}").breakdown_units.set(provinces)
    with CaptureQueriesContext(connection) as many:
        assert len(missing_values(on=date(2025, 12, 15))) == 30 * 3 + 3
    assert len(few) == len(many)


def test_the_reminders_are_scheduled(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "indicators.remind_missing_values" in schedule


def test_the_missing_list_is_drawn_again_when_a_value_is_submitted(
        client, indicator, provinces, scene, secretariat):
    """The list of missing values is kept drawn between changes, never past one."""
    client.force_login(secretariat)
    url = reverse("indicators:list") + "?on=03/12/2025"

    def missing_count():
        html = client.get(url).content.decode()
        section = html[html.index('id="missing"'):]
        return int(section.split('class="summary">')[1].split(" ")[0])

    before = missing_count()
    assert missing_count() == before  # drawn once, read again
    value(indicator, date(2025, 11, 30), "submitted", unit=provinces[0], by=scene["province"])
    assert missing_count() == before - 1
    provinces[1].name = "Ủy ban nhân dân tỉnh Nghệ An (mới)"
    provinces[1].save()
    assert "Nghệ An (mới)" in client.get(url).content.decode()
