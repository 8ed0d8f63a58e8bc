"""A value's workflow through the services, both ways: who may enter, submit, approve, return
and reopen; another unit and the wrong role refused; a stale edit refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import NotAllowed, WrongState
from indicators.models import IndicatorValue
from indicators.services import (
    StaleValueError,
    indicator_value_approve,
    indicator_value_reopen,
    indicator_value_return,
    indicator_value_save,
    indicator_value_submit,
)
from indicators.status import indicator_track

pytestmark = pytest.mark.django_db
NOV = date(2025, 11, 30)
FIELDS = {"value": Decimal("93.5"), "source_note": "Báo cáo của Cục Phòng bệnh",
          "is_final": False, "evidence_link": "https://example.org/so-lieu"}


def _draft(indicator, actor, unit=None, **extra):
    return indicator_value_save(actor=actor, indicator=indicator, unit=unit, period_end=NOV,
                                expected_version=0, fields={**FIELDS, **extra}).value


def test_the_responsible_unit_enters_submits_and_its_leader_approves(indicator, reporter,
                                                                     leader, secretariat):
    value = _draft(indicator, reporter)
    assert (value.state, value.unit, value.version) == ("draft", None, 1)
    value = indicator_value_submit(value=value, actor=reporter, expected_version=1)
    assert value.state == "submitted"
    value = indicator_value_approve(value=value, actor=leader)
    assert value.state == "approved" and value.is_locked
    # Approved: locked for its authors.
    with pytest.raises(WrongState):
        indicator_value_save(actor=reporter, indicator=indicator, unit=None, period_end=NOV,
                             expected_version=value.version, fields={"value": Decimal(1)})
    # Every step is in the history, with who took it and why.
    reasons = list(value.history.order_by("history_date").values_list("history_change_reason",
                                                                        "history_user__username"))
    assert [user for _reason, user in reasons] == ["reporter", "reporter", "leader"]
    assert all(reason for reason, _user in reasons)


def test_a_revision_keeps_the_approved_value_in_the_history(indicator, reporter, leader,
                                                            secretariat):
    value = _draft(indicator, reporter)
    indicator_value_submit(value=value, actor=reporter)
    value = indicator_value_approve(value=value, actor=leader)
    with pytest.raises(ValidationError):
        indicator_value_reopen(value=value, actor=secretariat, reason=" ")
    value = indicator_value_reopen(value=value, actor=secretariat, reason="Số liệu chính thức")
    assert value.state == "draft"
    # Reopened, it no longer counts.
    indicator.refresh_from_db()
    assert indicator_track(indicator, on=date(2025, 12, 15)).status == "no_data"
    value = indicator_value_save(actor=reporter, indicator=indicator, unit=None, period_end=NOV,
                                 expected_version=value.version,
                                 fields={"value": Decimal("94.1"), "is_final": True},
                                 submit=True).value
    value = indicator_value_approve(value=value, actor=leader)
    approved = sorted(value.history.filter(state="approved").values_list("value", flat=True))
    assert approved == [Decimal("93.500"), Decimal("94.100")]


def test_a_returned_value_carries_the_comment_and_goes_back_to_its_authors(indicator, reporter,
                                                                           leader):
    value = indicator_value_submit(value=_draft(indicator, reporter), actor=reporter)
    with pytest.raises(ValidationError):
        indicator_value_return(value=value, actor=leader, comment="")
    value = indicator_value_return(value=value, actor=leader, comment="Thiếu nguồn")
    assert (value.state, value.return_comment) == ("returned", "Thiếu nguồn")
    value = indicator_value_submit(value=value, actor=reporter)
    assert value.state == "submitted"


def test_submitting_needs_the_source(indicator, reporter):
    saved = indicator_value_save(actor=reporter, indicator=indicator, unit=None, period_end=NOV,
                                 expected_version=0, fields={**FIELDS, "source_note": ""},
                                 submit=True)
    assert saved.value.state == "draft"
    assert "source_note" in saved.submit_errors.message_dict


def test_another_unit_and_the_wrong_role_are_refused(indicator, reporter, leader, other_reporter,
                                                     secretariat, province_reporter):
    with pytest.raises(NotAllowed):
        _draft(indicator, other_reporter)
    with pytest.raises(NotAllowed):
        _draft(indicator, secretariat)  # the secretariat reopens; it does not enter figures
    with pytest.raises(NotAllowed):
        _draft(indicator, province_reporter)  # a province enters its own value, not the nation's
    value = indicator_value_submit(value=_draft(indicator, reporter), actor=reporter)
    with pytest.raises(NotAllowed):
        indicator_value_approve(value=value, actor=reporter)  # a reporter never approves
    with pytest.raises(NotAllowed):
        indicator_value_approve(value=value, actor=secretariat)
    value = indicator_value_approve(value=value, actor=leader)
    with pytest.raises(NotAllowed):
        indicator_value_reopen(value=value, actor=leader, reason="Sửa")
    assert IndicatorValue.objects.get().state == "approved"


def test_a_province_enters_its_own_value_and_its_leader_approves(indicator, provinces,
                                                                 province_reporter,
                                                                 province_leader, leader):
    value = _draft(indicator, province_reporter, unit=provinces[0])
    value = indicator_value_submit(value=value, actor=province_reporter)
    with pytest.raises(NotAllowed):
        indicator_value_approve(value=value, actor=leader)  # not the province's leader
    assert indicator_value_approve(value=value, actor=province_leader).state == "approved"
    with pytest.raises(NotAllowed):
        _draft(indicator, province_reporter, unit=provinces[1])


def test_a_unit_outside_the_breakdown_is_refused(indicator, other_unit, reporter):
    with pytest.raises(ValidationError):
        _draft(indicator, reporter, unit=other_unit)


def test_a_stale_edit_is_refused_and_the_current_value_returned(indicator, reporter, leader):
    value = _draft(indicator, reporter)
    indicator_value_save(actor=leader, indicator=indicator, unit=None, period_end=NOV,
                         expected_version=1, fields={"value": Decimal("92")})
    with pytest.raises(StaleValueError) as refused:
        indicator_value_save(actor=reporter, indicator=indicator, unit=None, period_end=NOV,
                             expected_version=1, fields={"value": Decimal("99")})
    assert refused.value.current.value == Decimal("92")
    value.refresh_from_db()
    assert value.value == Decimal("92")
    # A second "new" value for the same period is stale too: someone entered it first.
    with pytest.raises(StaleValueError):
        _draft(indicator, reporter)


def test_a_period_the_indicator_is_not_measured_in_is_refused(indicator, reporter):
    with pytest.raises(ValidationError) as refused:
        indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                             period_end=date(2025, 11, 15), expected_version=0, fields=FIELDS)
    assert "period" in refused.value.message_dict
    with pytest.raises(ValidationError):
        indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                             period_end=date(2099, 1, 31), expected_version=0, fields=FIELDS)


def test_an_evidence_link_is_a_web_address_or_nothing(indicator, reporter):
    with pytest.raises(ValidationError) as refused:
        _draft(indicator, reporter, evidence_link="javascript:alert(1)")
    assert "evidence_link" in refused.value.message_dict
