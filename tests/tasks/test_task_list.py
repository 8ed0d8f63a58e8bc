"""The task list: scoped to the user, filtered by the URL, status classes as of today."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tasks.deadlines import DeadlineKind, period_end
from tasks.facts import facts_fill
from tests.factories import TaskFactory, TaskGroupFactory, UnitFactory, UserFactory
from units.models import User

URL = reverse("tasks:list")


def _codes(response) -> set[str]:
    return {task.code for task in response.context["page"]}


@pytest.fixture
def today():
    return timezone.localdate()


def test_signing_in_is_required(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_reporter_sees_the_tasks_of_their_unit_and_not_another_units(
        client, reporter, department, other_unit):
    TaskFactory(code="1.1", lead_unit=department)
    TaskFactory(code="1.2", lead_unit=other_unit, coordinating_units=[department])
    TaskFactory(code="1.3", lead_unit=other_unit)
    client.force_login(reporter)
    response = client.get(URL)
    assert response.status_code == 200
    assert _codes(response) == {"1.1", "1.2"}
    assert "1.3" not in response.content.decode()


def test_leadership_sees_every_unit(client, department, other_unit):
    TaskFactory(code="1.1", lead_unit=department)
    TaskFactory(code="1.3", lead_unit=other_unit)
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    assert _codes(client.get(URL)) == {"1.1", "1.3"}


def test_filter_by_status_shows_the_overdue_tasks_with_their_days(client, secretariat, today):
    TaskFactory(code="late", deadline=today - timedelta(days=4))
    TaskFactory(code="due", deadline=today + timedelta(days=2))
    TaskFactory(code="done", deadline=today - timedelta(days=4),
                completed_on=today - timedelta(days=5))
    client.force_login(secretariat)
    response = client.get(URL, {"status": "overdue"})
    assert _codes(response) == {"late"}
    assert "Quá hạn 4 ngày" in response.content.decode()
    assert _codes(client.get(URL, {"overdue": "false"})) == {"due", "done"}
    assert _codes(client.get(URL, {"status": ["completed_on_time", "in_progress"]})) == {
        "due", "done"}


def test_filters_by_group_units_and_words(client, secretariat, unit, department, other_unit):
    group = TaskGroupFactory(number=2)
    TaskFactory(code="2.1", group=group, lead_unit=department,
                title="Xây dựng cơ sở dữ liệu y tế quốc gia")
    TaskFactory(code="2.2", group=group, lead_unit=other_unit, coordinating_units=[department])
    TaskFactory(code="3.1", lead_unit=other_unit)
    client.force_login(secretariat)
    assert _codes(client.get(URL, {"group": group.pk})) == {"2.1", "2.2"}
    assert _codes(client.get(URL, {"lead_unit": department.pk})) == {"2.1"}
    assert _codes(client.get(URL, {"coordinating_unit": department.pk})) == {"2.2"}
    # A ministry's list includes what its departments lead and coordinate.
    assert _codes(client.get(URL, {"unit": unit.pk})) == {"2.1", "2.2"}
    assert _codes(client.get(URL, {"q": "dữ liệu quốc gia"})) == {"2.1"}
    response = client.get(URL, {"coordinating_unit": department.pk})
    assert "Vụ Tổ chức cán bộ" in response.content.decode()  # the filter shows the unit's name


def test_the_deadline_range_counts_a_recurring_task_by_the_occurrence_now_due(
        client, secretariat, today):
    this_month_end = period_end(DeadlineKind.MONTH, today)
    TaskFactory(code="monthly", deadline_kind=DeadlineKind.MONTHLY,
                deadline=date(2025, 9, 30))
    TaskFactory(code="old", deadline=date(2025, 9, 30))
    client.force_login(secretariat)
    response = client.get(URL, {"deadline_from": today.strftime("%d/%m/%Y"),
                                "deadline_to": this_month_end.strftime("%d/%m/%Y")})
    assert _codes(response) == {"monthly"}


def test_ordering_by_deadline_is_stable(client, secretariat, today):
    for number in range(5):
        TaskFactory(code=f"1.{number}", deadline=today + timedelta(days=10 - number))
    client.force_login(secretariat)
    page = client.get(URL, {"ordering": "deadline"}).context["page"]
    assert [task.code for task in page] == ["1.4", "1.3", "1.2", "1.1", "1.0"]
    page = client.get(URL, {"ordering": "-code"}).context["page"]
    assert [task.code for task in page] == ["1.4", "1.3", "1.2", "1.1", "1.0"]


def test_pages_follow_each_other_in_order_with_every_task_once(client, secretariat, today):
    group = TaskGroupFactory()
    for number in range(60):
        TaskFactory(group=group, code=f"1.{number:02d}",
                    deadline=today + timedelta(days=60 - number))
    client.force_login(secretariat)
    pages = [client.get(URL, {"ordering": "deadline", "page": page}) for page in (1, 2)]
    codes = [task.code for response in pages for task in response.context["page"]]
    assert codes == [f"1.{number:02d}" for number in reversed(range(60))]
    assert "60 nhiệm vụ" in pages[1].content.decode()


def test_a_filter_that_cannot_be_read_is_named_in_vietnamese(client, secretariat):
    TaskFactory(code="1.1")
    client.force_login(secretariat)
    response = client.get(URL, {"deadline_from": "31/02/2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hạn từ" in body and "Nhập một ngày hợp lệ." in body
    assert _codes(response) == {"1.1"}  # the rest of the filters still apply


@pytest.mark.parametrize("role", [User.Role.REPORTER, User.Role.SECRETARIAT])
def test_queries_do_not_grow_with_the_number_of_tasks(client, department, role):
    user = UserFactory(role=role, unit=department)
    client.force_login(user)

    def count_queries(params):
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL, params).status_code == 200
        return len(context.captured_queries)

    def add(count):
        for _ in range(count):
            lead = UnitFactory(parent=department)
            TaskFactory(lead_unit=lead, coordinating_units=[department],
                        deadline=date(2025, 1, 1))
        # The new tasks' facts are computed once (the work of the tasks changed, whoever reads
        # first); what is counted is the list reading them.
        facts_fill(day=timezone.localdate())

    add(3)
    params = {"status": "overdue", "ordering": "deadline", "coordinating_unit": department.pk}
    small, small_filtered = count_queries({}), count_queries(params)
    add(27)
    assert count_queries({}) == small
    assert count_queries(params) == small_filtered


def test_the_filter_form_is_kept_while_tasks_change_and_drawn_again_when_its_choices_do(
        client, secretariat, today, monkeypatch):
    from tasks.views import listing

    monkeypatch.setattr(listing, "UNIT_SELECT_LIMIT", 0)  # a national programme's units
    drawn = []
    render = listing.render_to_string
    monkeypatch.setattr(listing, "render_to_string", lambda name, *args, **kwargs: (
        drawn.append(name), render(name, *args, **kwargs))[1])
    task = TaskFactory(code="1.1", deadline=today + timedelta(days=3))
    client.force_login(secretariat)

    def groups():
        body = client.get(reverse("tasks:list")).content.decode()
        return body.split('name="group"', 1)[1].split("</select>", 1)[0]

    assert task.group.name in groups() and len(drawn) == 1
    assert task.title in client.get(reverse("tasks:list")).content.decode()
    task.__class__.objects.filter(pk=task.pk).update(title="Một tiêu đề khác")  # not a choice
    assert "Một tiêu đề khác" in client.get(reverse("tasks:list")).content.decode()
    assert len(drawn) == 1  # the form kept, the rows read afresh
    type(task.group).objects.filter(pk=task.group_id).update(name="Nhóm đã đổi tên")
    assert "Nhóm đã đổi tên" in groups() and len(drawn) == 2
