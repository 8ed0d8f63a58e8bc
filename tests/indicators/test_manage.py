"""The secretariat defines indicators and their targets in the browser; others are refused; a
stale edit is refused with the other version shown."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import NotAllowed
from indicators.models import Indicator, IndicatorTarget
from indicators.services import indicator_target_set, indicator_update
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_the_secretariat_creates_an_indicator_with_its_tasks(client, resolution, department,
                                                             secretariat):
    task = TaskFactory(code="5.2")
    task.resolution.implements = resolution
    task.resolution.save()
    client.force_login(secretariat)
    response = client.post(reverse("indicators:create"), {
        "resolution": resolution.pk, "code": "4", "name": "Tỷ lệ người dân có sổ sức khỏe điện tử",
        "measure": "%", "direction": "at_least", "frequency": "monthly",
        "responsible_unit": department.pk, "baseline_value": "20,5", "baseline_year": "2024",
        "tasks": [task.pk]})
    indicator = Indicator.objects.get(code="4")
    assert response.status_code == 302
    assert indicator.baseline_value == Decimal("20.5")
    assert list(indicator.tasks.all()) == [task]
    assert indicator.history.first().history_user == secretariat


def test_a_task_of_an_unrelated_programme_is_refused(resolution, department, secretariat):
    from indicators.services import indicator_create

    with pytest.raises(ValidationError) as refused:
        indicator_create(actor=secretariat, resolution=resolution, code="9", name="X",
                         measure="%", responsible_unit=department, tasks=[TaskFactory()])
    assert "tasks" in refused.value.message_dict


def test_others_may_not_define_indicators(client, indicator, reporter, leader):
    for user in (reporter, leader):
        client.force_login(user)
        assert client.get(reverse("indicators:edit", args=[indicator.pk])).status_code == 403
        assert client.post(reverse("indicators:target_add", args=[indicator.pk]),
                           {"kind": "target", "year": "2045", "value": "99"}).status_code == 403
    with pytest.raises(NotAllowed):
        indicator_target_set(actor=leader, indicator=indicator, year=2045, value=Decimal(99))
    assert not indicator.targets.filter(year=2045).exists()


def test_targets_are_set_replaced_and_removed(client, indicator, provinces, secretariat):
    client.force_login(secretariat)
    url = reverse("indicators:target_add", args=[indicator.pk])
    client.post(url, {"kind": "milestone", "year": "2027", "value": "92,5"})
    client.post(url, {"kind": "target", "year": "2027", "value": "93"})
    client.post(url, {"kind": "target", "year": "2030", "value": "98", "unit": provinces[0].pk})
    national = indicator.targets.filter(unit=None, year=2027).get()
    assert (national.kind, national.value) == ("target", Decimal("93"))
    assert indicator.targets.get(unit=provinces[0]).value == Decimal("98")
    with pytest.raises(ValidationError):
        indicator_target_set(actor=secretariat, indicator=indicator, year=2026,
                             value=Decimal(1), kind=IndicatorTarget.Kind.BASELINE)
    client.post(reverse("indicators:target_remove", args=[national.pk]))
    assert not indicator.targets.filter(year=2027).exists()
    indicator.refresh_from_db()
    assert indicator.version == 5  # each change of a target is a change of the indicator


def test_a_stale_edit_of_an_indicator_shows_the_other_version(client, indicator, secretariat):
    indicator_update(actor=secretariat, indicator=indicator, expected_version=1,
                     name="Tỷ lệ tiêm chủng đầy đủ")
    client.force_login(secretariat)
    response = client.post(reverse("indicators:edit", args=[indicator.pk]), {
        "version": "1", "code": "1", "name": "Tên của tôi", "measure": "%",
        "direction": "higher", "frequency": "monthly",
        "responsible_unit": indicator.responsible_unit_id})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tỷ lệ tiêm chủng đầy đủ" in html and "Tên của tôi" in html
    indicator.refresh_from_db()
    assert indicator.name == "Tỷ lệ tiêm chủng đầy đủ"
