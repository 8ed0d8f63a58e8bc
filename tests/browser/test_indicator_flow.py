"""An indicator's value, end to end in real Chromium, in Vietnamese and in English: the
responsible unit's reporter enters and submits a figure, its leader approves it, and the
indicator's page counts it in its track status and its approved values."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from indicators.periods import period_label, recent_periods
from tests.factories import ResolutionFactory

from .helpers import new_page


def translated(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_value_is_entered_submitted_and_approved(live_server, browser, lang, department,
                                                   reporter, leader):
    def t(text):
        return translated(lang, text)

    resolution = ResolutionFactory(number="72-NQ/TW", kind="party_resolution")
    indicator = Indicator.objects.create(
        resolution=resolution, code="3", name="Tỷ lệ bao phủ tiêm chủng mở rộng", measure="%",
        direction="higher", frequency="monthly", responsible_unit=department,
        baseline_value=Decimal("90"), baseline_year=2024)
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=Decimal("95"))
    last_month = recent_periods("monthly", today=date.today(), count=2)[1]
    with translation.override(lang):
        label = period_label("monthly", last_month)

    writer = new_page(browser, live_server, user=reporter, language=lang)
    writer.goto(live_server.url + reverse("indicators:list"))
    writer.get_by_role("link", name="Tỷ lệ bao phủ tiêm chủng mở rộng").click()
    expect(writer.locator("#track-status")).to_have_text(t("No data"))
    writer.get_by_role("link", name=t("Enter a value")).click()
    writer.get_by_label(t("period")).select_option(label=label)
    writer.get_by_label(t("value")).fill("99,5" if lang == "vi" else "99.5")
    writer.get_by_label(t("source of the figure")).fill("Hệ thống thông tin tiêm chủng")
    writer.get_by_label(t("link to the evidence")).fill("https://example.org/tiem-chung")
    writer.get_by_role("button", name=t("Submit to the leader")).click()
    expect(writer.locator("#value-state")).to_have_text(t("Submitted"))
    value = IndicatorValue.objects.get()
    assert (value.value, value.state) == (Decimal("99.5"), "submitted")

    approver = new_page(browser, live_server, user=leader, language=lang)
    approver.goto(live_server.url + reverse("indicators:value", args=[value.pk]))
    approver.get_by_role("button", name=t("Approve")).click()
    expect(approver.locator("#value-state")).to_have_text(t("Approved"))
    expect(approver.get_by_text(t("This figure is approved and locked."))).to_be_visible()

    writer.goto(live_server.url + reverse("indicators:detail", args=[indicator.pk]))
    expect(writer.locator("#track-status")).to_have_text(t("On track"))
    expect(writer.locator("#approved-values")).to_contain_text(label)
    expect(writer.locator("svg.indicator-chart")).to_be_visible()
