"""The register, asking from an overdue task's page, a request's page, and the home pages: who
sees what, and the same number of queries for 3 requests as for 30."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import ExplanationRequest
from tests.factories import TaskFactory

from .conftest import MESSAGE, ask

pytestmark = pytest.mark.django_db


def _requests(department, leadership, count):
    for _ in range(count):
        task = TaskFactory(lead_unit=department,
                           deadline=timezone.localdate() - timedelta(days=3))
        ask(task, leadership)


def test_the_register_lists_requests_in_as_many_queries_for_3_as_for_30(
        client, department, leadership, leader):
    client.force_login(leadership)
    counts = []
    for count in (3, 27):
        _requests(department, leadership, count)
        client.get(reverse("accountability:list"))  # the day's facts filled once for the count
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("accountability:list"), {"state": "open"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.content.decode().count('class="state state-open"') == 30
    assert counts[0] == counts[1]


def test_a_unit_sees_its_own_requests_only(client, asked, other_reporter, reporter):
    client.force_login(other_reporter)
    assert "2.3" not in client.get(reverse("accountability:list")).content.decode()
    assert client.get(reverse("accountability:detail", args=[asked.pk])).status_code == 404
    client.force_login(reporter)
    assert "2.3" in client.get(reverse("accountability:list")).content.decode()
    page = client.get(reverse("accountability:detail", args=[asked.pk])).content.decode()
    assert MESSAGE in page and 'id="send-answer"' not in page  # a reporter reads, not answers


def test_the_register_filters_by_state_and_unit(client, asked, leadership, other_unit):
    client.force_login(leadership)
    url = reverse("accountability:list")
    assert "2.3" in client.get(url, {"state": "open"}).content.decode()
    assert "2.3" not in client.get(url, {"state": "answered"}).content.decode()
    assert "2.3" not in client.get(url, {"unit": other_unit.pk}).content.decode()


def test_leadership_asks_from_the_overdue_tasks_page(client, overdue_task, leadership, leader):
    client.force_login(leadership)
    page = client.get(reverse("task_detail", args=[overdue_task.pk])).content.decode()
    assert 'id="ask-explanation"' in page
    url = reverse("accountability:new") + f"?kind=overdue_task&task={overdue_task.pk}"
    form = client.get(url).content.decode()
    assert "Vụ Tổ chức cán bộ" in form
    reply_by = (timezone.localdate() + timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(url, {"message": MESSAGE, "reply_by": reply_by})
    explanation = ExplanationRequest.objects.get()
    assert response.url == reverse("accountability:detail", args=[explanation.pk])
    page = client.get(reverse("task_detail", args=[overdue_task.pk])).content.decode()
    assert 'id="ask-explanation"' not in page  # asked already: it waits for the answer
    assert reverse("accountability:detail", args=[explanation.pk]) in page


def test_the_button_is_not_offered_to_a_unit_nor_for_a_task_on_time(
        client, overdue_task, leader, leadership, department):
    client.force_login(leader)
    page = client.get(reverse("task_detail", args=[overdue_task.pk])).content.decode()
    assert 'id="ask-explanation"' not in page
    assert client.get(reverse("accountability:new") + f"?task={overdue_task.pk}"
                      ).status_code == 403
    on_time = TaskFactory(lead_unit=department, deadline=timezone.localdate() + timedelta(9))
    client.force_login(leadership)
    page = client.get(reverse("task_detail", args=[on_time.pk])).content.decode()
    assert 'id="ask-explanation"' not in page


def test_a_refused_request_keeps_what_was_typed(client, department, leadership):
    on_time = TaskFactory(lead_unit=department, deadline=timezone.localdate() + timedelta(9))
    client.force_login(leadership)
    url = reverse("accountability:new") + f"?task={on_time.pk}"
    page = client.post(url, {"message": "Lý do chậm?", "reply_by": "31/13/2026"}
                       ).content.decode()
    assert "Lý do chậm?" in page and not ExplanationRequest.objects.exists()


def test_the_leader_answers_on_the_requests_page(client, asked, leader, leadership):
    client.force_login(leader)
    url = reverse("accountability:detail", args=[asked.pk])
    expected = (timezone.localdate() + timedelta(days=20)).strftime("%d/%m/%Y")
    client.post(url, {"action": "answer", "version": asked.version, "reason": "Thiếu kinh phí",
                      "remedy": "Đề nghị bổ sung dự toán", "expected_on": expected})
    asked.refresh_from_db()
    assert asked.state == "answered"
    # A second tab's stale answer is refused, and what it typed is kept.
    page = client.post(url, {"action": "answer", "version": 1, "reason": "Khác",
                             "remedy": "Khác", "expected_on": expected}).content.decode()
    assert 'id="send-answer"' not in page
    client.force_login(leadership)
    page = client.get(url).content.decode()
    assert "Thiếu kinh phí" in page and 'id="close-request"' in page


def test_the_units_home_lists_what_it_owes_and_the_secretariats_counts(
        client, asked, leader, reporter, secretariat):
    for user in (leader, reporter):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert 'id="waiting-explanations"' in page
        assert reverse("accountability:detail", args=[asked.pk]) in page
    client.force_login(secretariat)
    page = client.get(reverse("home")).content.decode()
    assert 'id="waiting-explanations"' in page


def test_an_indicator_off_track_offers_the_button_to_leadership(client, leadership, leader,
                                                                department):
    from indicators.models import Indicator, IndicatorTarget
    from tests.factories import ResolutionFactory
    from tests.indicators.conftest import approved_value

    indicator = Indicator.objects.create(
        resolution=ResolutionFactory(number="72-NQ/TW"), code="9", name="Tỷ lệ tiêm chủng",
        measure="%", direction="higher", frequency="yearly", baseline_value=50,
        baseline_year=2020, responsible_unit=department)
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=100)
    approved_value(indicator, timezone.localdate().replace(month=1, day=1) - timedelta(1), 50)
    url = reverse("indicators:detail", args=[indicator.pk])
    client.force_login(leader)
    assert 'id="ask-explanation"' not in client.get(url).content.decode()
    client.force_login(leadership)
    page = client.get(url).content.decode()
    assert f"kind=indicator_off_track&amp;indicator={indicator.pk}" in page
    form = client.get(reverse("accountability:new"),
                      {"kind": "indicator_off_track", "indicator": indicator.pk})
    assert "Vụ Tổ chức cán bộ" in form.content.decode()


def test_a_missing_report_offers_the_button_to_leadership(client, overdue_task, leadership,
                                                          department, reporter):
    from tests.factories import ReportingPeriodFactory

    period = ReportingPeriodFactory(year=2025, month=11)  # due long ago, never written
    url = reverse("report", args=[overdue_task.pk, department.pk, 2025, 11])
    client.force_login(reporter)
    assert 'id="ask-explanation"' not in client.get(url).content.decode()
    client.force_login(leadership)
    page = client.get(url).content.decode()
    assert 'id="ask-explanation"' in page
    ask_url = (reverse("accountability:new") + f"?kind=missing_report&task={overdue_task.pk}"
               f"&unit={department.pk}&period={period.pk}")
    response = client.post(ask_url, {"message": MESSAGE, "reply_by": timezone.localdate()
                                     .strftime("%d/%m/%Y")})
    assert response.status_code == 302
    assert ExplanationRequest.objects.get().kind == "missing_report"
    assert 'id="ask-explanation"' not in client.get(url).content.decode()


def test_an_id_out_of_range_in_the_ask_form_is_a_404(client, leadership):
    client.force_login(leadership)
    url = reverse("accountability:new")
    assert client.get(url, {"task": "9" * 30}).status_code == 404
    assert client.get(url, {"task": "-1"}).status_code == 404
    assert client.get(url, {"kind": "nonsense"}).status_code == 404
