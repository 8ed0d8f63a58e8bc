"""An explanation request in real Chromium: leadership asks the lead unit of an overdue task to
explain, from the task's page; the unit's leader finds it on the home page and answers; leadership
reads the answer."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import ExplanationRequest
from tests.browser.helpers import new_page
from tests.factories import TaskFactory, UnitFactory, UserFactory
from units.models import Notification, User


def test_leadership_asks_the_leader_answers_and_leadership_reads_it(live_server, browser,
                                                                    transactional_db):
    unit = UnitFactory(code="BYT-KHTC", name="Vụ Kế hoạch - Tài chính")
    task = TaskFactory(code="4.2", lead_unit=unit,
                       title="Xây dựng Đề án đổi mới cơ chế tài chính của bệnh viện công lập",
                       deadline=timezone.localdate() - timedelta(days=12))
    chief = UserFactory(username="lanh-dao", role=User.Role.LEADERSHIP, unit=None)
    leader = UserFactory(username="lanh-dao-vu", role=User.Role.LEADER, unit=unit)

    page = new_page(browser, live_server, user=chief)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    page.get_by_role("link", name="Yêu cầu giải trình", exact=True).click()
    expect(page.locator("#ask-unit")).to_have_text("Vụ Kế hoạch - Tài chính")
    page.get_by_label("Nội dung đơn vị cần giải trình").fill(
        "Đề nghị giải trình lý do chậm trình Đề án.")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.locator("#explanation-state")).to_have_text("Đang chờ trả lời")
    explanation = ExplanationRequest.objects.get()
    assert Notification.objects.filter(recipient=leader, kind="explanation").count() == 1

    answering = new_page(browser, live_server, user=leader)
    answering.goto(f"{live_server.url}/")
    answering.locator("#waiting-explanations").get_by_role("link", name="Nhiệm vụ 4.2").click()
    answering.get_by_label("Lý do").fill("Chờ ý kiến thẩm định của Bộ Tài chính.")
    answering.get_by_label("Giải pháp khắc phục").fill("Đã làm việc trực tiếp với Bộ Tài chính.")
    expected = (timezone.localdate() + timedelta(days=40)).strftime("%d/%m/%Y")
    answering.get_by_label("Thời hạn dự kiến mới").fill(expected)
    answering.get_by_role("button", name="Gửi nội dung giải trình").click()
    expect(answering.locator("#explanation-state")).to_have_text("Đã trả lời")

    page.goto(f"{live_server.url}/accountability/")
    page.get_by_role("link", name="Nhiệm vụ 4.2").click()
    answer = page.locator("#explanation-answer")
    expect(answer).to_contain_text("Chờ ý kiến thẩm định của Bộ Tài chính.")
    expect(answer).to_contain_text(expected)
    expect(page.get_by_role("button", name="Chấp nhận giải trình và kết thúc")).to_be_visible()
    explanation.refresh_from_db()
    assert explanation.answered_by == leader
