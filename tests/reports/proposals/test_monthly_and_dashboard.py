"""The open items in the monthly report (frozen with its figures, by addressee, with their age,
read back from the PDF in both languages) and on the dashboard's first screen (a count kept
fresh by the data version)."""

from datetime import timedelta
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.compliance import monthly_report_data
from reports.dashboard.cache import data_version
from reports.models import Proposal
from reports.pdf import render_monthly_report_pdf
from reports.proposals.services import proposal_address, proposal_answer


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
                    .split())


def _route(approved, reporter, secretariat, other_unit):
    difficulty, first, second = Proposal.objects.filter(report=approved).order_by("kind", "pk")
    proposal_address(item=first, actor=reporter, addressee_kind="unit", unit=other_unit)
    proposal_address(item=second, actor=secretariat, addressee_kind="authority",
                     authority="prime_minister")
    Proposal.objects.filter(pk=second.pk).update(received_at=timezone.now() - timedelta(days=45))
    return difficulty, first, second


def test_the_monthly_report_lists_the_open_items_by_addressee(
        approved, period, reporter, secretariat, other_unit, other_leader):
    difficulty, first, second = _route(approved, reporter, secretariat, other_unit)
    proposal_answer(item=difficulty, actor=secretariat, answer="Đã bố trí kinh phí.")
    data = monthly_report_data(period=period, on=timezone.localdate())
    groups = {(g["addressee_kind"], g["authority"], g["unit_name"]): g
              for g in data["open_proposals"]}
    assert set(groups) == {("unit", "", "Bộ Nội vụ"), ("authority", "prime_minister", "")}
    [old] = groups[("authority", "prime_minister", "")]["items"]
    assert (old["age_days"], old["overdue"], old["task_code"]) == (45, True, "2.5")
    assert not any(item["id"] == difficulty.pk for g in data["open_proposals"]
                   for item in g["items"])  # answered: not open

    vietnamese = _text(render_monthly_report_pdf(data=data, language="vi"))
    part = vietnamese[vietnamese.index("VIII."):]
    assert "KHÓ KHĂN, KIẾN NGHỊ CHỜ TRẢ LỜI, THEO NƠI NHẬN" in part
    assert "Thủ tướng Chính phủ (1)" in part and "Bộ Nội vụ (1)" in part
    assert "Đề nghị Chính phủ bổ sung kinh phí." in part and "45" in part
    english = _text(render_monthly_report_pdf(data=data, language="en"))
    part = english[english.index("VIII."):]
    assert "DIFFICULTIES AND PROPOSALS AWAITING AN ANSWER, BY ADDRESSEE" in part
    assert "The Prime Minister (1)" in part and "overdue" in part


def test_figures_stored_before_the_register_have_no_section(approved, period):
    data = monthly_report_data(period=period, on=timezone.localdate())
    del data["open_proposals"]
    text = _text(render_monthly_report_pdf(data=data, language="en"))
    assert "DIFFICULTIES AND PROPOSALS AWAITING AN ANSWER" not in text
    # the sections after it take its number
    assert "VIII. UNITS ASKED TO EXPLAIN, AND THEIR ANSWERS" in text


def test_the_dashboard_counts_the_open_items_and_follows_an_answer(
        client, approved, reporter, secretariat, other_unit, leadership):
    difficulty, first, second = _route(approved, reporter, secretariat, other_unit)
    client.force_login(leadership)

    def panel() -> str:
        body = client.get(reverse("dashboard")).content.decode()
        return body[body.index('id="proposals-open"'):][:600]

    assert ">3</a>" in panel() and "1 quá hạn" in panel()
    version = data_version()
    proposal_answer(item=second, actor=secretariat, answer="Thủ tướng đã cho ý kiến.")
    assert data_version() != version
    assert ">2</a>" in panel() and "0 quá hạn" in panel()
