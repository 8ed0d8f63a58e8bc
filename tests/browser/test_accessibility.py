"""Every screen passes axe-core with no serious or critical violation, in Vietnamese (the default)
and in English, as it first opens and, for forms, after a refused submission; and every id that
an ARIA attribute points at exists.

A new screen is one line in SCREENS: its path (with the ids of `world` in braces), who is signed
in, the status it answers, and optionally what to prepare first and what to do on it before it
is checked. Later screens, e.g.:
    Screen("dashboard", "/dashboard/", "leadership"),
    Screen("task list", "/tasks/", "secretariat"),
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from reports.models import ProgressReport
from reports.monthly import monthly_report_issue
from reports.periods import period_open
from reports.services import progress_report_save_draft, progress_report_submit
from tests.browser.helpers import BLOCKING_IMPACTS, axe_violations, describe, new_page
from tests.factories import TaskFactory, UserFactory
from units.models import Notification, User
from units.notifications import notify


def submit_an_incomplete_report(page):
    page.locator("#id_percent_complete").fill("150")
    page.locator("#id_results").fill("")
    page.locator("button[value=submit]").click()


def sign_in_wrongly(page):
    # An account that does not exist: no real one comes near a lockout.
    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("not-the-password")
    page.locator("form button[type=submit]").last.click()


def change_password_wrongly(page):
    page.locator("#id_old_password").fill("not-the-password")
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("different")
    page.locator("main form button[type=submit]").click()


def choose_mismatched_passwords(page):
    page.locator("#id_new_password1").fill("Một-mật-khẩu-dài-2026")
    page.locator("#id_new_password2").fill("Một-mật-khẩu-khác-2026")
    page.locator("main form button[type=submit]").click()


def return_without_comment(page):
    page.locator("button[value=return]").click()


def reissue_without_reason(page):
    page.locator(".issue-form button[type=submit]").first.click()


def issue_a_monthly_report(world):
    monthly_report_issue(period=world["period"], actor=User.objects.get(username="secretariat"),
                         number="15/BC-BYT")


def add_an_indicator(world):
    """An indicator the department reports, broken down by a province, with an approved value
    and one awaiting its leader."""
    from datetime import date
    from decimal import Decimal

    from indicators.models import Indicator, IndicatorTarget
    from indicators.services import (
        indicator_value_approve,
        indicator_value_save,
    )
    from tests.factories import ResolutionFactory, UnitFactory

    reporter = User.objects.get(username="reporter")
    leader = User.objects.get(username="leader")
    indicator = Indicator.objects.create(
        resolution=ResolutionFactory(number="72-NQ/TW"), code="3", measure="%",
        name="Tỷ lệ bao phủ tiêm chủng mở rộng", frequency="monthly",
        responsible_unit=reporter.unit, baseline_value=Decimal(90), baseline_year=2024)
    indicator.breakdown_units.set([UnitFactory(code="HN", name="UBND Hà Nội", kind="province")])
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=Decimal(95))
    values = []
    for end in (date(2025, 10, 31), date(2025, 11, 30)):
        value = indicator_value_save(actor=reporter, indicator=indicator, unit=None,
                                     period_end=end, expected_version=0,
                                     fields={"value": Decimal("91.2"), "source_note": "Nguồn"},
                                     submit=True).value
        values.append(value)
    indicator_value_approve(value=values[0], actor=leader)
    world.update(indicator=indicator.pk, submitted_value=values[1].pk)


def submit_an_empty_value(page):
    page.locator("button[value=submit]").click()


@dataclass(frozen=True)
class Screen:
    name: str
    path: str  # formatted with `world`
    user: str | None  # the username signed in; None for nobody
    status: int = 200
    then: Callable | None = None  # what to do on the page before it is checked
    before: Callable | None = None  # what to add to `world` first


SCREENS = [
    Screen("sign-in", "/accounts/login/", None),
    Screen("sign-in refused", "/accounts/login/", None, then=sign_in_wrongly),
    Screen("password reset", "/accounts/password/reset/", None),
    Screen("new password", "{password_reset}", None),
    Screen("new password refused", "{password_reset}", None, then=choose_mismatched_passwords),
    Screen("my tasks", "/", "reporter"),
    Screen("home of a unit's leader", "/", "leader"),
    Screen("home of the secretariat", "/", "secretariat", before=issue_a_monthly_report),
    Screen("home of leadership", "/", "leadership"),
    Screen("my tasks, nothing matches", "/?state=approved", "reporter"),
    Screen("report draft", "{draft_report}", "reporter"),
    Screen("report with errors", "{draft_report}", "reporter",
           then=submit_an_incomplete_report),
    Screen("report to decide", "{submitted_report}", "leader"),
    Screen("report return refused", "{submitted_report}", "leader", then=return_without_comment),
    Screen("report read only", "{submitted_report}", "reporter"),
    Screen("task", "/tasks/{task}/", "reporter"),
    Screen("notifications", "/notifications/", "reporter"),
    Screen("email preferences", "/notifications/email/", "reporter"),
    Screen("monthly reports", "/monthly-reports/", "secretariat", before=issue_a_monthly_report),
    Screen("monthly report reissue refused", "/monthly-reports/", "secretariat",
           before=issue_a_monthly_report, then=reissue_without_reason),
    Screen("monthly reports (leadership)", "/monthly-reports/", "leadership"),
    Screen("password change", "/accounts/password/change/", "reporter"),
    Screen("password change refused", "/accounts/password/change/", "reporter",
           then=change_password_wrongly),
    Screen("dashboard", "/dashboard/", "leadership"),
    Screen("indicators", "/indicators/", "reporter", before=add_an_indicator),
    Screen("indicator", "/indicators/{indicator}/", "secretariat", before=add_an_indicator),
    Screen("indicators with the values missing", "/indicators/", "secretariat",
           before=add_an_indicator),
    Screen("indicator import", "/indicators/import/", "secretariat"),
    Screen("indicator value entry refused", "/indicators/{indicator}/values/new/", "reporter",
           before=add_an_indicator, then=submit_an_empty_value),
    Screen("indicator value to decide", "/indicators/values/{submitted_value}/", "leader",
           before=add_an_indicator),
    Screen("dashboard of a unit's leader", "/dashboard/", "leader"),
    Screen("dashboard, filters open and one refused",
           "/dashboard/?status=overdue&deadline_from=31/02/2026", "leadership"),
    *(Screen(f"dashboard: {name}", f"/dashboard/{name}/", "leadership")
      for name in ("groups", "units", "deadlines", "timeline", "compliance", "clarity")),
    Screen("dashboard: at risk", "/dashboard/at-risk/?at_risk=yes", "leadership"),
    Screen("dashboard: reports missing", "/dashboard/reports/", "leader"),
    Screen("task list", "/tasks/", "reporter"),
    Screen("task list, a filter refused", "/tasks/?deadline_from=31/02/2026&status=overdue",
           "leadership"),
    Screen("resolutions", "/tasks/resolutions/", "secretariat"),
    Screen("resolution", "/tasks/resolutions/{resolution}/", "secretariat"),
    Screen("task edit", "/tasks/{task}/edit/", "secretariat"),
    Screen("deadline change", "/tasks/{task}/deadline/", "secretariat"),
    Screen("task list import", "/tasks/resolutions/{resolution}/import/", "secretariat"),
    Screen("not allowed (403)", "/monthly-reports/", "reporter", status=403),
    Screen("not found (404)", "/tasks/{missing}/", "reporter", status=404),
]


@pytest.fixture
def world(department, other_unit, reporter, leader, other_reporter, secretariat):
    """A unit with a task in draft (with a coordinating unit's report beside it) and one
    submitted, a notification; the ids the screens' paths need."""
    period = period_open(on=timezone.localdate())
    drafted = TaskFactory(lead_unit=department, coordinating_units=[other_unit],
                          title="Thông tư hướng dẫn trạm y tế cấp xã",
                          description="Hướng dẫn chức năng, nhiệm vụ của trạm y tế.")
    submitted = TaskFactory(lead_unit=department, title="Đề án sắp xếp bệnh viện tuyến tỉnh")
    fields = {"percent_complete": 40, "progress_status": ProgressReport.ProgressStatus.ON_TRACK,
              "results": "Đã dự thảo lần 1.", "difficulties": "Chờ ý kiến Bộ Nội vụ."}
    progress_report_save_draft(actor=reporter, task=drafted, unit=department, period=period,
                               **fields)
    progress_report_save_draft(actor=other_reporter, task=drafted, unit=other_unit,
                               period=period, **fields)
    report = progress_report_save_draft(actor=reporter, task=submitted, unit=department,
                                        period=period, **fields)
    progress_report_submit(report=report, actor=reporter)
    notify(recipients=[reporter], kind=Notification.Kind.REPORT_WORKFLOW, key="a11y",
           subject="Báo cáo bị trả lại", body="Bổ sung số liệu.", link=f"/tasks/{drafted.pk}/")
    UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)

    def report_path(task):
        return reverse("report", args=[task.pk, department.pk, period.year, period.month])

    reset = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(reporter.pk)),
                                                    default_token_generator.make_token(reporter)])
    return {"task": drafted.pk, "draft_report": report_path(drafted),
            "submitted_report": report_path(submitted), "missing": 999999, "period": period,
            "resolution": drafted.resolution_id,
            "password_reset": reset}


MISSING_REFERENCES = """() => {
    const missing = [];
    for (const name of ["aria-describedby", "aria-labelledby", "aria-controls",
                        "aria-errormessage"]) {
        for (const element of document.querySelectorAll(`[${name}]`)) {
            for (const id of element.getAttribute(name).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) {
                    missing.push(`${element.id || element.tagName} ${name}=${id}`);
                }
            }
        }
    }
    return missing;
}"""


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_no_serious_or_critical_violation(live_server, browser, world, screen):
    if screen.before:
        screen.before(world)
    user = User.objects.get(username=screen.user) if screen.user else None
    for language in ("vi", "en"):
        # axe is injected as a script: a Content-Security-Policy must not stop the check itself.
        page = new_page(browser, live_server, user=user, language=language, bypass_csp=True)
        response = page.goto(live_server.url + screen.path.format(**world))
        assert response.status == screen.status
        if screen.then:
            screen.then(page)
            page.wait_for_load_state()
        assert page.evaluate("document.documentElement.lang") == language

        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{language}:\n{describe(blocking)}"
        assert page.evaluate(MISSING_REFERENCES) == [], language
        page.context.close()


ERRORS_OF_FIELDS = """() => [...document.querySelectorAll("#error-summary a")].map(link => {
    const field = document.getElementById(link.hash.slice(1));
    const described = (field.getAttribute("aria-describedby") || "").split(/\\s+/)
        .map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent.trim());
    return {field: field.id, invalid: field.getAttribute("aria-invalid"), link: link.textContent,
            described: described};
})"""


def test_a_refused_report_announces_its_errors_and_takes_the_focus(live_server, browser, world):
    page = new_page(browser, live_server, user=User.objects.get(username="reporter"),
                    language="en")
    page.goto(live_server.url + world["draft_report"])
    page.locator("#id_percent_complete").fill("150")
    page.locator("#id_completion_date").fill("31/02/2026")
    page.locator("button[value=save]").click()

    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    fields = page.evaluate(ERRORS_OF_FIELDS)
    assert [f["field"] for f in fields] == ["id_percent_complete", "id_completion_date"]
    for field in fields:
        # Invalid, and described by its own message, which the summary repeats.
        assert field["invalid"] == "true"
        message = field["described"][-1]
        assert message and message in field["link"]
    assert fields[0]["described"][-1] == "Percent complete must be between 0 and 100."
    # The typed text is still there, and the summary's link leads to the field.
    expect(page.locator("#id_percent_complete")).to_have_value("150")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_percent_complete")).to_be_focused()

    # A submit that lacks the results saves the draft and says what is missing, the same way.
    page.locator("#id_percent_complete").fill("50")
    page.locator("#id_completion_date").fill("")
    page.locator("#id_results").fill("")
    page.locator("button[value=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    fields = page.evaluate(ERRORS_OF_FIELDS)
    assert [(f["field"], f["invalid"]) for f in fields] == [("id_results", "true")]
    assert fields[0]["described"] == ["Describe the results achieved in the period."]


def test_a_refused_sign_in_announces_it_and_takes_the_focus(live_server, browser, world):
    page = new_page(browser, live_server)
    page.goto(live_server.url + "/accounts/login/")
    sign_in_wrongly(page)
    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(re.compile("tên đăng nhập", re.IGNORECASE))
    for field in ("#id_username", "#id_password"):
        expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
        expect(page.locator(field)).to_have_attribute("aria-describedby", "error-summary")
