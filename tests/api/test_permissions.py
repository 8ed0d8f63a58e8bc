"""Who may do what through the API: every endpoint, every role (and anonymous, a read token and a
write token), on the client's own unit's objects and on another unit's, with the expected status;
and no list ever shows an object outside the client's scope."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from reports.models import IssuedMonthlyReport, ProgressReport
from tests.factories import (
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from units.models import ApiToken, User
from units.services import api_token_issue

ROLES = ["reporter", "leader", "secretariat", "leadership", "admin", "anonymous", "read_token",
         "write_token"]
UNIT_ROLES = {"reporter", "leader", "read_token", "write_token"}  # scoped to their unit


class World:
    """Two units' worth of everything; the tokens belong to the reporter."""

    def __init__(self):
        ministry = UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")
        self.units = {"own": UnitFactory(code="BYT-TCCB", name="Vụ Tổ chức cán bộ",
                                         parent=ministry),
                      "other": UnitFactory(code="BNV", name="Bộ Nội vụ", kind="ministry")}
        own = self.units["own"]
        self.users = {
            "reporter": UserFactory(username="reporter", role=User.Role.REPORTER, unit=own),
            "leader": UserFactory(username="leader", role=User.Role.LEADER, unit=own),
            "secretariat": UserFactory(username="secretariat", role=User.Role.SECRETARIAT,
                                       unit=ministry),
            "leadership": UserFactory(username="leadership", role=User.Role.LEADERSHIP,
                                      unit=None),
            "admin": UserFactory(username="admin", role=User.Role.ADMIN, unit=None),
        }
        self.tokens = {
            "read_token": api_token_issue(user=self.users["reporter"],
                                          scope=ApiToken.Scope.READ)[1],
            "write_token": api_token_issue(user=self.users["reporter"],
                                           scope=ApiToken.Scope.WRITE)[1],
        }
        other_reporter = UserFactory(username="reporter2", role=User.Role.REPORTER,
                                     unit=self.units["other"])
        self.group = TaskGroupFactory(number=2)
        self.period = ReportingPeriodFactory(year=2025, month=11)
        ReportingPeriodFactory(year=2025, month=12)
        self.tasks = {side: TaskFactory(code=f"2.{number}", group=self.group,
                                        lead_unit=self.units[side], deadline=date(2026, 12, 31))
                      for number, side in enumerate(("own", "other"), start=1)}
        self.outputs = {side: task.outputs.get() for side, task in self.tasks.items()}
        self.reports = {
            "own": ProgressReportFactory(task=self.tasks["own"], period=self.period,
                                         created_by=self.users["reporter"]),
            "other": ProgressReportFactory(task=self.tasks["other"], period=self.period,
                                           created_by=other_reporter),
        }
        self.monthly = IssuedMonthlyReport(
            period=self.period, version=1, number="15/BC-BYT", issued_on=date(2025, 11, 20),
            data={}, sha256="0" * 64, sha256_en="1" * 64, issued_by=self.users["secretariat"])
        self.monthly.pdf.save("vi.pdf", ContentFile(b"%PDF-1.4 vi"), save=False)
        self.monthly.pdf_en.save("en.pdf", ContentFile(b"%PDF-1.4 en"), save=False)
        self.monthly.save()

    def client(self, role) -> tuple[Client, dict]:
        client = Client()
        if role in self.users:
            client.force_login(self.users[role])
            return client, {}
        if role in self.tokens:
            return client, {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[role]}"}
        return client, {}

    def set_state(self, side, state):
        report = self.reports[side]
        now = timezone.now()
        report.state = state
        report.submitted_by, report.submitted_at = self.users["reporter"], now
        if state in (ProgressReport.State.APPROVED, ProgressReport.State.RETURNED):
            report.decided_by, report.decided_at = self.users["leader"], now
        report.save()


def everyone(status, *, anonymous=401):
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


def scoped(*, own, other_for_unit_roles=404):
    """Readable by everyone signed in; another unit's object is not found for unit roles."""
    return {
        "own": everyone(own),
        "other": {role: (401 if role == "anonymous" else
                         other_for_unit_roles if role in UNIT_ROLES else own) for role in ROLES},
    }


def only(allowed: dict, *, default=403, anonymous=401):
    return {role: (anonymous if role == "anonymous" else allowed.get(role, default))
            for role in ROLES}


SECRETARIAT_WRITES = only({"secretariat": 200, "admin": 200})
SUBMITTED, APPROVED = ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED

# name: (method, path, body, state the report is put in first, {side: {role: status}})
ENDPOINTS = {
    "units detail": ("get", "/units/{unit}/", None, None, scoped(own=200)),
    "tasks detail": ("get", "/tasks/{task}/", None, None, scoped(own=200)),
    "outputs detail": ("get", "/outputs/{output}/", None, None, scoped(own=200)),
    "reports detail": ("get", "/progress-reports/{report}/", None, None, scoped(own=200)),
    "resolutions detail": ("get", "/resolutions/{resolution}/", None, None,
                           {"own": everyone(200)}),
    "groups detail": ("get", "/task-groups/{group}/", None, None, {"own": everyone(200)}),
    "periods detail": ("get", "/periods/2025-11/", None, None, {"own": everyone(200)}),
    "stats": ("get", "/stats/", None, None, {"own": everyone(200)}),
    "monthly reports": ("get", "/monthly-reports/", None, None, {"own": only(
        {"secretariat": 200, "leadership": 200, "admin": 200})}),
    "monthly report detail": ("get", "/monthly-reports/{monthly}/", None, None, {"own": only(
        {"secretariat": 200, "leadership": 200, "admin": 200})}),
    "monthly report pdf": ("get", "/monthly-reports/{monthly}/pdf/", None, None, {"own": only(
        {"secretariat": 200, "leadership": 200, "admin": 200})}),
    **{f"{name} list": ("get", f"/{name}/", None, None, {"own": everyone(200)})
       for name in ("units", "tasks", "outputs", "progress-reports", "resolutions",
                    "task-groups", "periods")},
    "create task": ("post", "/tasks/", lambda w, side: {
        "group": w.group.pk, "code": "9.1", "title": "Nhiệm vụ mới",
        "lead_unit": w.units[side].pk, "deadline_text": "Quý IV/2026"}, None,
        {"own": only({"secretariat": 201, "admin": 201})}),
    "change task": ("patch", "/tasks/{task}/", lambda w, side: {"title": "Tên mới"}, None,
                    {"own": SECRETARIAT_WRITES, "other": SECRETARIAT_WRITES}),
    "change deadline": ("post", "/tasks/{task}/change-deadline/", lambda w, side: {
        "deadline_text": "Quý II/2027", "decision_number": "12/QĐ-TTg",
        "decision_date": "2026-01-05", "decision_authority": "prime_minister"}, None,
        {"own": SECRETARIAT_WRITES, "other": SECRETARIAT_WRITES}),
    "add output": ("post", "/outputs/", lambda w, side: {
        "task": w.tasks[side].pk, "kind": "decree", "title": "Nghị định"}, None,
        {"own": only({"secretariat": 201, "admin": 201}),
         "other": only({"secretariat": 201, "admin": 201})}),
    "change output": ("patch", "/outputs/{output}/", lambda w, side: {"title": "Thông tư"},
                      None, {"own": SECRETARIAT_WRITES, "other": SECRETARIAT_WRITES}),
    "issue output": ("post", "/outputs/{output}/issue/", lambda w, side: {
        "document_number": "05/2026/TT-BYT", "issued_on": "2026-02-01"}, None,
        {"own": SECRETARIAT_WRITES, "other": SECRETARIAT_WRITES}),
    # A task another unit leads is not in a unit role's scope: "no such task" (400).
    "create report": ("post", "/progress-reports/", lambda w, side: {
        "task": w.tasks[side].pk, "unit": w.units[side].pk, "period": "2025-12",
        "results": "Đã triển khai."}, None,
        {"own": only({"reporter": 201, "leader": 201, "write_token": 201}),
         "other": only({"reporter": 400, "leader": 400, "write_token": 400})}),
    "change report": ("patch", "/progress-reports/{report}/", lambda w, side: {
        "version": 1, "percent_complete": 70}, None,
        {"own": only({"reporter": 200, "leader": 200, "write_token": 200}),
         "other": only({"reporter": 404, "leader": 404, "write_token": 404})}),
    "submit report": ("post", "/progress-reports/{report}/submit/",
                      lambda w, side: {"version": 1}, None,
                      {"own": only({"reporter": 200, "leader": 200, "write_token": 200}),
                       "other": only({"reporter": 404, "leader": 404, "write_token": 404})}),
    "approve report": ("post", "/progress-reports/{report}/approve/",
                       lambda w, side: {"version": 1}, SUBMITTED,
                       {"own": only({"leader": 200}),
                        "other": only({"reporter": 404, "leader": 404, "write_token": 404})}),
    "return report": ("post", "/progress-reports/{report}/return/",
                      lambda w, side: {"version": 1, "comment": "Bổ sung số liệu."}, SUBMITTED,
                      {"own": only({"leader": 200}),
                       "other": only({"reporter": 404, "leader": 404, "write_token": 404})}),
    "reopen report": ("post", "/progress-reports/{report}/reopen/",
                      lambda w, side: {"version": 1, "reason": "Sửa số liệu."}, APPROVED,
                      {"own": only({"secretariat": 200, "admin": 200}),
                       "other": only({"secretariat": 200, "admin": 200, "reporter": 404,
                                      "leader": 404, "write_token": 404})}),
}

CASES = [(name, side) for name, spec in ENDPOINTS.items() for side in spec[4]]


@pytest.mark.parametrize(("name", "side"), CASES, ids=[f"{n} ({s})" for n, s in CASES])
def test_every_role_gets_the_expected_status(db, name, side):
    method, path, body, state, expected = ENDPOINTS[name]
    world = World()
    url = "/api/v1" + path.format(
        unit=world.units[side].pk, task=world.tasks[side].pk, output=world.outputs[side].pk,
        report=world.reports[side].pk, resolution=world.group.resolution_id,
        group=world.group.pk, monthly=world.monthly.pk)
    actual = {}
    for role in ROLES:
        with transaction.atomic():
            if state:
                world.set_state(side, state)
            client, headers = world.client(role)
            if body is None:
                response = getattr(client, method)(url, **headers)
            else:
                response = getattr(client, method)(url, body(world, side),
                                                   content_type="application/json", **headers)
            actual[role] = response.status_code
            wanted_type = ("application/pdf" if name == "monthly report pdf"
                           and response.status_code == 200 else "application/json")
            assert response["Content-Type"] == wanted_type, (role, response.content)
            transaction.set_rollback(True)
    assert actual == expected[side]


LISTS = {
    "/units/": lambda w: {"own": {w.units["own"].pk}},
    "/tasks/": lambda w: {"own": {w.tasks["own"].pk}},
    "/outputs/": lambda w: {"own": {w.outputs["own"].pk}},
    "/progress-reports/": lambda w: {"own": {w.reports["own"].pk}},
}


@pytest.mark.parametrize("path", list(LISTS))
def test_no_list_shows_an_object_outside_the_clients_scope(db, path):
    world = World()
    from units.models import Unit

    everything = {
        "/units/": set(Unit.objects.values_list("pk", flat=True)),
        "/tasks/": {task.pk for task in world.tasks.values()},
        "/outputs/": {output.pk for output in world.outputs.values()},
        "/progress-reports/": {report.pk for report in world.reports.values()},
    }[path]
    for role in ROLES:
        if role == "anonymous":
            continue
        client, headers = world.client(role)
        response = client.get(f"/api/v1{path}", {"page_size": 500}, **headers)
        assert response.status_code == 200
        found = {row["id"] for row in response.json()["results"]}
        wanted = LISTS[path](world)["own"] if role in UNIT_ROLES else everything
        assert found == wanted, role
