"""The demo shows explanation requests: one answered, one waiting, asked by the demo's
leadership; loading it again writes nothing more."""

from datetime import date

import pytest

from accountability.models import ExplanationRequest
from reports.demo import demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_answered_and_an_open_request_once():
    demo_load(today=date(2026, 1, 20))
    states = sorted(ExplanationRequest.objects.values_list("state", flat=True))
    assert states == ["answered", "open"]
    assert {r.requested_by.username for r in ExplanationRequest.objects.all()} == {"leadership"}
    demo_load(today=date(2026, 1, 20))
    assert ExplanationRequest.objects.count() == 2
