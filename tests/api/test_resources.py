"""The resources: what they show, how they filter, page and sync, and the writes going through
the same services and rules as the browser."""

import datetime
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from reports.models import ProgressReport
from reports.permissions import can_view_report
from reports.selectors import report_list_visible_to
from tasks.deadlines import DeadlineKind
from tasks.models import DeadlineChange, Output, Task
from tasks.rules import StatusClass, task_status_class
from tasks.services import task_set_occurrence_completions
from tests.factories import (
    OutputFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import Unit, User

from .conftest import submitted


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.fixture
def programme(unit, department, other_unit, group):
    today = timezone.localdate()
    return {
        "late": TaskFactory(code="2.1", group=group, lead_unit=department,
                            deadline=today - timedelta(days=4),
                            title="Xây dựng cơ sở dữ liệu y tế quốc gia"),
        "due": TaskFactory(code="2.2", group=group, lead_unit=other_unit,
                           coordinating_units=[department], deadline=today + timedelta(days=9)),
        "done": TaskFactory(code="2.10", group=group, lead_unit=other_unit,
                            deadline=today - timedelta(days=4),
                            completed_on=today - timedelta(days=5)),
        "other group": TaskFactory(code="3.1", group=TaskGroupFactory(number=3),
                                   lead_unit=other_unit, deadline_kind=DeadlineKind.ONGOING,
                                   deadline=None),
    }


QUERIES = [
    {}, {"status": "overdue"}, {"status": ["completed_on_time", "in_progress"]},
    {"overdue": "false"}, {"lead_unit": "{department}"}, {"coordinating_unit": "{department}"},
    {"unit": "{unit}"}, {"q": "dữ liệu quốc gia"}, {"group": "{group}"},
    {"deadline_from": "{today}", "deadline_to": "{in_a_month}"}, {"ordering": "-code"},
    {"ordering": "deadline"},
]


@pytest.mark.parametrize("query", QUERIES, ids=[urlencode(q, doseq=True) or "all"
                                                 for q in QUERIES])
def test_the_task_list_filters_exactly_as_the_browsers(client, secretariat, programme, unit,
                                                       department, group, query):
    today = timezone.localdate()
    values = {"department": department.pk, "unit": unit.pk, "group": group.pk,
              "today": today.isoformat(), "in_a_month": (today + timedelta(days=30)).isoformat()}
    query = {name: ([v.format(**values) for v in value] if isinstance(value, list)
                    else value.format(**values)) for name, value in query.items()}
    client.force_login(secretariat)
    api = codes(client.get("/api/v1/tasks/", query))
    browser = [task.code for task in client.get("/tasks/", query).context["page"]]
    assert api == browser
    if query.get("ordering") == "-code":
        assert api == ["3.1", "2.10", "2.2", "2.1"]


def test_a_task_shows_its_status_deadline_units_outputs_and_gaps(client, secretariat, programme):
    client.force_login(secretariat)
    late = client.get(f"/api/v1/tasks/{programme['late'].pk}/").json()
    assert late["status_class"] == "overdue"
    assert late["missed_due"] == late["deadline"]["date"]
    assert late["status_on"] == timezone.localdate().isoformat()
    assert late["lead_unit"]["name"] == "Vụ Tổ chức cán bộ"
    assert late["outputs"][0]["title"] == "Thông tư hướng dẫn"
    assert late["clarity_gaps"] == []
    due = client.get(f"/api/v1/tasks/{programme['due'].pk}/",
                     {"on": (timezone.localdate() + timedelta(days=30)).isoformat()}).json()
    assert due["status_class"] == "overdue"  # on a later day, the same task is late


def test_stats_count_the_four_classes_over_the_filtered_tasks(client, secretariat, programme):
    client.force_login(secretariat)
    body = client.get("/api/v1/stats/").json()
    today = timezone.localdate()
    expected = dict.fromkeys(StatusClass.values, 0)
    for task in Task.objects.all():
        expected[task_status_class(task=task, on=today)] += 1
    assert body["counts"] == expected == {"completed_on_time": 1, "completed_late": 0,
                                          "in_progress": 2, "overdue": 1}
    assert body["total"] == 4 and body["percentages"]["in_progress"] == 50.0
    filtered = client.get("/api/v1/stats/", {"coordinating_unit": programme["due"]
                                             .coordinating_units.get().pk}).json()
    assert filtered["total"] == 1 and filtered["counts"]["in_progress"] == 1
    empty = client.get("/api/v1/stats/", {"q": "nothing matches"}).json()
    assert empty["total"] == 0 and set(empty["percentages"].values()) == {0.0}


def test_a_reporter_sees_only_their_units_tasks_in_the_counts(client, reporter, programme):
    client.force_login(reporter)
    assert client.get("/api/v1/stats/").json()["total"] == 2  # leads 2.1, coordinates 2.2


def test_updated_since_returns_only_what_changed(client, secretariat, programme):
    client.force_login(secretariat)
    mark = timezone.now()
    Task.objects.filter(pk=programme["due"].pk).update(updated_at=mark + timedelta(seconds=1))
    Task.objects.exclude(pk=programme["due"].pk).update(updated_at=mark - timedelta(hours=1))
    since = {"updated_since": mark.isoformat()}
    assert codes(client.get("/api/v1/tasks/", since)) == ["2.2"]
    utc = {"updated_since": mark.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    assert codes(client.get("/api/v1/tasks/", utc)) == ["2.2"]


def test_completing_an_occurrence_of_a_recurring_task_marks_the_task_changed(secretariat):
    task = TaskFactory(deadline_kind=DeadlineKind.ANNUAL, deadline=date(2025, 12, 31))
    Task.objects.filter(pk=task.pk).update(updated_at=timezone.now() - timedelta(days=3))
    task.refresh_from_db()
    before = task.updated_at
    task_set_occurrence_completions(task=task, actor=secretariat,
                                    completed_dates=[date(2025, 12, 20)])
    task.refresh_from_db()
    assert task.updated_at > before


def test_pages_are_stable_and_sized_by_the_client(client, secretariat, group, department):
    for number in range(7):
        TaskFactory(code=f"4.{number + 1}", group=group, lead_unit=department,
                    deadline=date(2026, 6, 30))
    client.force_login(secretariat)
    seen = []
    url = "/api/v1/tasks/?ordering=deadline&page_size=3"
    while url:
        body = client.get(url).json()
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(f"4.{n + 1}" for n in range(7)) and len(seen) == 7


def test_the_secretariat_creates_a_task_through_the_service(client, secretariat, group,
                                                            department, other_unit):
    client.force_login(secretariat)
    response = client.post("/api/v1/tasks/", {
        "group": group.pk, "code": " 5.1 ", "title": "Xây dựng Thông tư về trạm y tế xã",
        "lead_unit": department.pk, "coordinating_units": [other_unit.pk],
        "competent_authority": "minister", "responsible_official": "Thứ trưởng",
        "deadline_text": "Quý IV/2026",
        "outputs": [{"kind": "circular", "title": "Thông tư"}]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "5.1"
    assert body["deadline"] == {"kind": "quarter", "date": "2026-12-31", "text": "Quý IV/2026",
                                "display": "Quý IV/2026"}
    assert body["original_deadline"]["date"] == "2026-12-31"
    task = Task.objects.get(code="5.1")
    assert task.history.first().history_user == secretariat
    assert [o.title for o in task.outputs.all()] == ["Thông tư"]


def test_a_task_refuses_an_unreadable_deadline_and_a_lead_that_also_coordinates(
        client, secretariat, group, department):
    client.force_login(secretariat)
    response = client.post("/api/v1/tasks/", {
        "group": group.pk, "code": "5.2", "title": "Nhiệm vụ", "lead_unit": department.pk,
        "coordinating_units": [department.pk], "deadline_text": "sớm"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) <= {"deadline_text", "coordinating_units"} and fields
    assert not Task.objects.filter(code="5.2").exists()


def test_a_deadline_changes_only_by_decision_and_the_original_stays(client, secretariat,
                                                                    programme):
    client.force_login(secretariat)
    url = f"/api/v1/tasks/{programme['late'].pk}/change-deadline/"
    missing = client.post(url, {"deadline_text": "Quý II/2027"},
                          content_type="application/json")
    assert missing.status_code == 400
    assert {"decision_number", "decision_date", "decision_authority"} <= set(
        missing.json()["error"]["fields"])
    done = client.post(url, {"deadline_text": "Quý II/2027", "decision_number": "12/QĐ-TTg",
                             "decision_date": "2026-01-05", "decision_authority": "prime_minister",
                             "reason": "Điều chỉnh lộ trình"}, content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert body["deadline"]["date"] == "2027-06-30"
    assert body["original_deadline"]["date"] == programme["late"].original_deadline.isoformat()
    assert body["deadline_changes"][0]["decision_number"] == "12/QĐ-TTg"
    assert DeadlineChange.objects.get().changed_by == secretariat
    # task_update never touches the deadline: a PATCH with one is ignored field by field.
    patched = client.patch(f"/api/v1/tasks/{programme['late'].pk}/",
                           {"title": "Tên mới", "deadline_text": "Năm 2030"},
                           content_type="application/json")
    assert patched.status_code == 200 and patched.json()["deadline"]["date"] == "2027-06-30"


def test_the_secretariat_adds_changes_and_issues_outputs(client, secretariat, programme):
    client.force_login(secretariat)
    task = programme["due"]
    added = client.post("/api/v1/outputs/", {"task": task.pk, "kind": "decree",
                                             "title": "Nghị định"},
                        content_type="application/json")
    assert added.status_code == 201 and added.json()["position"] == 1
    output_id = added.json()["id"]
    client.patch(f"/api/v1/outputs/{output_id}/", {"title": "Nghị định sửa đổi"},
                 content_type="application/json")
    issued = client.post(f"/api/v1/outputs/{output_id}/issue/",
                         {"document_number": "15/2026/NĐ-CP", "issued_on": "2026-03-01"},
                         content_type="application/json")
    assert issued.status_code == 200
    output = Output.objects.get(pk=output_id)
    assert output.title == "Nghị định sửa đổi" and output.document_number == "15/2026/NĐ-CP"
    assert codes_of(client.get("/api/v1/outputs/", {"task": task.pk, "issued": "true"})) == [
        output_id]


def codes_of(response):
    return [row["id"] for row in response.json()["results"]]


def test_a_report_goes_through_the_whole_workflow(client, reporter, leader, secretariat,
                                                  department, period, group):
    task = TaskFactory(group=group, lead_unit=department, deadline=date(2025, 12, 31))
    output = task.outputs.get()
    client.force_login(reporter)
    created = client.post("/api/v1/progress-reports/", {
        "task": task.pk, "unit": department.pk, "period": "2025-11", "percent_complete": 100,
        "progress_status": "completed", "completion_date": "2025-11-10",
        "results": "Đã ban hành Thông tư.",
        "outputs": [{"output": output.pk, "status": "issued",
                     "document_number": "20/2025/TT-BYT", "issued_on": "2025-11-08"}]},
        content_type="application/json")
    assert created.status_code == 201, created.content
    report = created.json()
    assert report["state"] == "draft" and report["version"] == 1 and created["ETag"] == '"1"'
    assert report["outputs"][0]["status"] == "issued" and report["is_lead_report"]
    url = f"/api/v1/progress-reports/{report['id']}/"
    submitted_ = client.post(url + "submit/", {"version": 1}, content_type="application/json")
    assert submitted_.json()["state"] == "submitted"
    client.force_login(leader)
    returned = client.post(url + "return/", {"version": 2, "comment": "Bổ sung số liệu."},
                           content_type="application/json")
    assert returned.json()["state"] == "returned"
    assert returned.json()["return_comment"] == "Bổ sung số liệu."
    client.force_login(reporter)
    client.post(url + "submit/", {"version": 3}, content_type="application/json")
    client.force_login(leader)
    approved = client.post(url + "approve/", {"version": 4}, content_type="application/json")
    assert approved.json()["state"] == "approved"
    task.refresh_from_db()
    assert task.completed_on == date(2025, 11, 10)  # as in the browser, the task is completed
    assert task.outputs.get().document_number == "20/2025/TT-BYT"
    client.force_login(secretariat)
    reopened = client.post(url + "reopen/", {"version": 5, "reason": "Sửa ngày hoàn thành."},
                           content_type="application/json")
    assert reopened.json()["state"] == "draft"
    task.refresh_from_db()
    assert task.completed_on is None
    steps = [h.history_change_reason for h in ProgressReport.history.filter(id=report["id"])]
    assert len([step for step in steps if step]) == 6


def test_returning_needs_a_comment_named_as_the_apis_field(client, own_report, leader):
    submitted(own_report, leader)
    client.force_login(leader)
    response = client.post(f"/api/v1/progress-reports/{own_report.pk}/return/",
                           {"version": 1, "comment": " "}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["comment"]


def test_an_output_of_another_task_is_refused(client, reporter, own_report, other_task):
    client.force_login(reporter)
    response = client.patch(f"/api/v1/progress-reports/{own_report.pk}/", {
        "version": 1, "outputs": [{"output": other_task.outputs.get().pk, "status": "drafting"}]},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["outputs.0.output"][0]["code"] == "does_not_exist"
    own_report.refresh_from_db()
    assert own_report.version == 1


def test_the_lead_reads_its_coordinating_units_reports_and_they_only_their_own(
        client, reporter, other_reporter, department, other_unit, period):
    task = TaskFactory(lead_unit=department, coordinating_units=[other_unit])
    lead = ProgressReportFactory(task=task, unit=department, period=period, created_by=reporter)
    helper = ProgressReportFactory(task=task, unit=other_unit, period=period,
                                   created_by=other_reporter)
    client.force_login(reporter)
    assert set(codes_of(client.get("/api/v1/progress-reports/"))) == {lead.pk, helper.pk}
    client.force_login(other_reporter)
    assert codes_of(client.get("/api/v1/progress-reports/")) == [helper.pk]
    assert client.get(f"/api/v1/progress-reports/{lead.pk}/").status_code == 404


def test_the_report_scope_selector_agrees_with_the_permission_everywhere(db):
    """report_list_visible_to (the API's lists) and can_view_report (the browser) agree for every
    user and report, collective leads included."""
    ministry = UnitFactory(code="M", kind="ministry")
    department = UnitFactory(code="M-D", parent=ministry)
    province = UnitFactory(code="P", kind="province")
    provinces = UnitFactory(code="ALL-P", kind="collective")
    provinces.members.set([province])
    period = ReportingPeriodFactory()
    author = UserFactory(role=User.Role.SECRETARIAT, unit=ministry)
    tasks = [TaskFactory(lead_unit=department, coordinating_units=[province]),
             TaskFactory(lead_unit=provinces, coordinating_units=[department]),
             TaskFactory(lead_unit=province)]
    for task in tasks:
        for unit in {task.lead_unit, *task.coordinating_units.all()}:
            body = province if unit.is_collective else unit
            ProgressReport.objects.get_or_create(task=task, unit=body, period=period,
                                                 defaults={"created_by": author})
    users = [UserFactory(role=role, unit=unit) for role in (User.Role.REPORTER, User.Role.LEADER)
             for unit in Unit.objects.exclude(kind="collective")]
    users.append(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    reports = list(ProgressReport.objects.select_related("task__lead_unit", "unit"))
    for user in users:
        visible = set(report_list_visible_to(user=user).values_list("pk", flat=True))
        assert visible == {r.pk for r in reports if can_view_report(user, r)}, user.unit


def test_periods_are_read_by_their_key(client, reporter, period):
    ReportingPeriodFactory(year=2025, month=12)
    client.force_login(reporter)
    assert client.get("/api/v1/periods/2025-11/").json()["ends_on"] == "2025-11-14"
    assert client.get("/api/v1/periods/2024-01/").status_code == 404
    assert [p["key"] for p in client.get("/api/v1/periods/").json()["results"]] == [
        "2025-12", "2025-11"]


def test_the_monthly_report_pdf_can_be_asked_for_as_pdf(client, secretariat, period):
    from django.core.files.base import ContentFile

    from reports.models import IssuedMonthlyReport

    report = IssuedMonthlyReport(period=period, version=1, number="1/BC", data={},
                                 issued_on=date(2025, 11, 20), sha256="0" * 64,
                                 sha256_en="1" * 64, issued_by=secretariat)
    report.pdf.save("vi.pdf", ContentFile(b"%PDF-1.4 vi"), save=False)
    report.pdf_en.save("en.pdf", ContentFile(b"%PDF-1.4 en"), save=False)
    report.save()
    client.force_login(secretariat)
    url = f"/api/v1/monthly-reports/{report.pk}/pdf/"
    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).endswith(b"vi")
    assert client.get(url, {"lang": "de"}).status_code == 400
    missing = client.get("/api/v1/monthly-reports/999/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.fixture
def leadership_user(db):
    return UserFactory(username="leadership", role=User.Role.LEADERSHIP, unit=None)


def test_units_are_scoped_and_filtered(client, reporter, unit, department, other_unit):
    child = UnitFactory(code="BYT-TCCB-1", parent=department)
    client.force_login(reporter)
    assert codes_of(client.get("/api/v1/units/")) == [department.pk, child.pk]
    assert client.get(f"/api/v1/units/{unit.pk}/").status_code == 404
    client.force_login(UserFactory(role=User.Role.LEADERSHIP, unit=None))
    assert codes_of(client.get("/api/v1/units/", {"under": department.pk})) == [
        department.pk, child.pk]
    assert codes_of(client.get("/api/v1/units/", {"parent": unit.pk})) == [department.pk]
    assert codes_of(client.get("/api/v1/units/", {"q": "nội vụ"})) == [other_unit.pk]


def test_outputs_of_tasks_outside_the_scope_are_not_listed(client, reporter, own_task,
                                                          other_task):
    OutputFactory(task=other_task)
    client.force_login(reporter)
    assert codes_of(client.get("/api/v1/outputs/")) == [own_task.outputs.get().pk]
