"""The month's report, end to end in real Chromium, in Vietnamese and in English: a reporter
writes and submits with an evidence file, the leader returns it, the reporter corrects and
resubmits, the leader approves, the report is locked, and another unit cannot reach it."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from reports.models import EvidenceFile, ProgressReport
from reports.periods import period_open
from tests.factories import TaskFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def translated(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_report_goes_from_draft_to_approved_and_locked(
        live_server, browser, lang, department, reporter, leader, other_reporter):
    def t(text):
        return translated(lang, text)

    task = TaskFactory(lead_unit=department, title="Thông tư hướng dẫn trạm y tế cấp xã")
    period = period_open(on=timezone.localdate())
    url = live_server.url + reverse("report", args=[task.pk, department.pk, period.year,
                                                    period.month])

    def sign_in(username):
        page = browser.new_context().new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        if lang == "en":
            page.get_by_role("button", name="EN").click()
        page.get_by_label(t("Username")).fill(username)
        page.get_by_label(t("Password")).fill("r72-test")
        page.get_by_role("button", name=t("Sign in")).click()
        expect(page.get_by_role("heading", name=t("My tasks this period"))).to_be_visible()
        return page

    # The reporter opens the task's report from "my tasks", fills it and submits with evidence.
    writer = sign_in("reporter")
    writer.get_by_role("link", name=t("No report yet")).click()
    expect(writer).to_have_url(url)
    writer.get_by_label(t("percent complete")).fill("60")
    writer.get_by_label(t("progress status")).select_option("on_track")
    writer.get_by_label(t("results in the period")).fill("Đã hoàn thành dự thảo lần 1.")
    writer.get_by_label(t("difficulties and obstacles")).fill("Chờ ý kiến Bộ Nội vụ.")
    writer.get_by_label(t("Evidence files")).set_input_files(
        {"name": "biên-bản-họp.pdf", "mimeType": "application/pdf", "buffer": PDF})
    writer.get_by_role("button", name=t("Submit to the leader")).click()
    expect(writer.locator("#report-state")).to_have_text(t("Submitted"))
    expect(writer.get_by_role("link", name="biên-bản-họp.pdf")).to_be_visible()
    assert EvidenceFile.objects.get().report.state == ProgressReport.State.SUBMITTED

    # The leader returns it with a comment, which the reporter then reads.
    approver = sign_in("leader")
    approver.goto(url)
    approver.get_by_label(t("Comment"), exact=True).fill("Bổ sung số liệu trạm y tế đã sắp xếp.")
    approver.get_by_role("button", name=t("Return with comment")).click()
    expect(approver.locator("#report-state")).to_have_text(t("Returned"))

    writer.reload()
    expect(writer.locator(".notice.returned")).to_contain_text(
        "Bổ sung số liệu trạm y tế đã sắp xếp.")
    writer.get_by_label(t("results in the period")).fill(
        "Đã hoàn thành dự thảo lần 1; đã sắp xếp 120 trạm y tế.")
    writer.get_by_role("button", name=t("Submit to the leader")).click()
    expect(writer.locator("#report-state")).to_have_text(t("Submitted"))

    # The leader approves; the report is locked for everyone who could edit it.
    approver.reload()
    approver.get_by_role("button", name=t("Approve")).click()
    expect(approver.locator("#report-state")).to_have_text(t("Approved"))
    writer.reload()
    expect(writer.get_by_text(t("This report is approved and locked."))).to_be_visible()
    expect(writer.get_by_role("button", name=t("Save draft"))).to_have_count(0)
    report = ProgressReport.objects.get()
    assert (report.state, report.results) == (
        ProgressReport.State.APPROVED, "Đã hoàn thành dự thảo lần 1; đã sắp xếp 120 trạm y tế.")

    # A user of another unit cannot reach it, nor the task.
    outsider = sign_in("reporter2")
    assert outsider.goto(url).status == 404
    assert outsider.goto(live_server.url + reverse("task_detail", args=[task.pk])).status == 404
