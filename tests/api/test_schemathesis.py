"""schemathesis against the live schema: every operation with generated valid and invalid
requests, every check (no server error, every response as the schema describes it, invalid data
refused, valid data accepted, authentication enforced, unknown methods refused...).

The API is served on a loopback port from the test database, with a token for a unit leader and
one for the programme secretariat; each resource is exercised by the role that may write it (the
secretariat for the programme, the leader for units and reports), reads and writes alike, so an
object one operation creates is read back by the same client. Path ids are drawn most of the time
from the objects that exist (in every workflow state), so the operations reach their logic rather
than a 404. Bounded: SCHEMATHESIS_MAX_EXAMPLES examples per operation and phase (6 by default),
a fixed seed; about two minutes on two cores.

Then once more against the site as `make run` serves it: config.settings.local on a fresh SQLite
file with the demo data, runserver in its own process, fewer examples
(SCHEMATHESIS_SQLITE_MAX_EXAMPLES, 3 by default): what SQLite refuses that PostgreSQL takes
(integers past 64 bits, a second writer) must not be a server error either.
"""

import json
import logging
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.servers.basehttp import ThreadedWSGIServer
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test.testcases import QuietWSGIRequestHandler
from django.utils import timezone

from reports.models import IssuedMonthlyReport, ProgressReport
from tests.factories import (
    OutputFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    TaskGroupFactory,
    UnitFactory,
    UserFactory,
)
from tests.local_sqlite import Server as LocalServer
from tests.local_sqlite import migrated, run
from units.models import ApiToken, User
from units.services import api_token_issue

HERE = Path(__file__).parent
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))

# Which token exercises which resources, and the objects their path ids are drawn from.
SECRETARIAT_RESOURCES = {"resolutions": "resolutions", "task-groups": "groups", "tasks": "tasks",
                         "outputs": "outputs", "stats": None, "monthly-reports": "monthly",
                         "proposals": "proposals", "explanation-requests": "explanations"}
LEADER_RESOURCES = {"units": "units", "periods": "periods", "progress-reports": "reports",
                    "indicators": "indicators", "indicator-values": "indicator_values"}

# A valid-looking body may name an object that does not exist or break a programme rule: a 400
# is right then, and the hook in schemathesis_hooks.py checks that every such 400 is about that.
CHECKS = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
"""


class Server(ThreadedWSGIServer):
    # server_close() waits for every request thread, so each has closed its database connection
    # before the test database is flushed or dropped.
    daemon_threads = False
    block_on_close = True


class RequestHandler(QuietWSGIRequestHandler):
    # Headers and body go out in separate writes: without this, each response on a kept-alive
    # connection waits for the client's delayed acknowledgement (about 40 ms).
    disable_nagle_algorithm = True


@pytest.fixture
def api_server(transactional_db):
    """The application on a loopback port: a thread per client connection (HTTP keep-alive),
    which keeps one database connection for as long (pytest-django's live_server would open one
    per request) and closes it when the client goes."""
    database = connections.settings["default"]  # what new connections are made from
    max_age = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 600
    server = Server(("127.0.0.1", 0), RequestHandler, ipv6=False)
    server.set_app(get_wsgi_application())

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    database["CONN_MAX_AGE"] = max_age


@pytest.fixture
def world(transactional_db):
    """Two ministries and a department, tasks with outputs, reports in every state, periods, an
    issued monthly report; the tokens; and the ids of what exists."""
    ministry = UnitFactory(code="BYT", name="Bộ Y tế", kind="ministry")
    department = UnitFactory(code="BYT-TCCB", name="Vụ Tổ chức cán bộ", parent=ministry)
    other = UnitFactory(code="BNV", name="Bộ Nội vụ", kind="ministry")
    leader = UserFactory(username="leader", role=User.Role.LEADER, unit=department)
    reporter = UserFactory(username="reporter", role=User.Role.REPORTER, unit=department)
    secretariat = UserFactory(username="secretariat", role=User.Role.SECRETARIAT, unit=ministry)
    group = TaskGroupFactory(number=1)
    november = ReportingPeriodFactory(year=2025, month=11)
    december = ReportingPeriodFactory(year=2025, month=12)
    now = timezone.now()
    reports = []
    for number, state in enumerate(ProgressReport.State.values):
        task = TaskFactory(code=f"1.{number + 1}", group=group, lead_unit=department,
                           coordinating_units=[other], deadline=date(2026, 6, 30))
        OutputFactory(task=task)
        decided = state in (ProgressReport.State.APPROVED, ProgressReport.State.RETURNED)
        reports.append(ProgressReportFactory(
            task=task, unit=department, period=november, created_by=reporter, state=state,
            submitted_by=None if state == "draft" else reporter,
            submitted_at=None if state == "draft" else now,
            decided_by=leader if decided else None, decided_at=now if decided else None,
            return_comment="Bổ sung số liệu." if state == "returned" else ""))
    TaskFactory(code="2.1", group=group, lead_unit=other)
    monthly = IssuedMonthlyReport(
        period=november, version=1, number="15/BC-BYT", issued_on=date(2025, 11, 20), data={},
        sha256="0" * 64, sha256_en="1" * 64, issued_by=secretariat)
    monthly.pdf.save("vi.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    monthly.pdf_en.save("en.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    monthly.save()
    from tasks.models import Output, Resolution, Task, TaskGroup
    from units.models import Unit

    indicator_values = _indicator_values(department, reporter, leader)
    proposals = _proposals(reports, other)
    explanations = _explanations(reports[0].task, department, secretariat, leader)

    return {
        "tokens": {
            "PT_LEADER_TOKEN": api_token_issue(user=leader, scope=ApiToken.Scope.WRITE)[1],
            "PT_SECRETARIAT_TOKEN": api_token_issue(user=secretariat,
                                                    scope=ApiToken.Scope.WRITE)[1],
        },
        "ids": {
            "units": list(Unit.objects.values_list("pk", flat=True)),
            "resolutions": list(Resolution.objects.values_list("pk", flat=True)),
            "groups": list(TaskGroup.objects.values_list("pk", flat=True)),
            "tasks": list(Task.objects.values_list("pk", flat=True)),
            "outputs": list(Output.objects.values_list("pk", flat=True)),
            "reports": [report.pk for report in reports],
            "monthly": [monthly.pk],
            "periods": [november.key, december.key],
            "indicators": [indicator_values[0].indicator_id],
            "indicator_values": [value.pk for value in indicator_values],
            "indicator_periods": ["2025-09", "2025-10", "2025-11"],
            "proposals": [proposal.pk for proposal in proposals],
            "explanations": [explanation.pk for explanation in explanations],
        },
    }


def _proposals(reports, other) -> list:
    """A difficulty and a proposal raised in a submitted report, in every state of the register."""
    from reports.models import Proposal

    now = timezone.now()
    submitted = next(report for report in reports if report.state != "draft")
    items = []
    for position, state in enumerate(Proposal.State.values, start=1):
        answered = state in ("answered", "closed")
        addressed = state != "received"
        items.append(Proposal.objects.create(
            report=submitted, kind="proposal" if position % 2 else "difficulty",
            position=position, text="Đề nghị Bộ Nội vụ hướng dẫn.", state=state, received_at=now,
            addressee_kind="unit" if addressed else "", addressee_unit=other if addressed else None,
            answer="Đã hướng dẫn." if answered else "", answered_at=now if answered else None,
            closed_at=now if state == "closed" else None))
    return items


def _explanations(task, department, secretariat, leader) -> list:
    """An explanation request waiting for its answer, one answered, one closed."""
    from datetime import timedelta

    from accountability.models import ExplanationRequest

    now = timezone.now()
    items = []
    for state in ("open", "answered", "closed"):
        answered = state != "open"
        items.append(ExplanationRequest.objects.create(
            kind="overdue_task", unit=department, task=task, message="Đề nghị giải trình.",
            reply_by=date.today() + timedelta(days=7), requested_by=secretariat,
            requested_at=now, state=state,
            reason="Chờ thẩm định." if answered else "", remedy="Đôn đốc." if answered else "",
            answered_by=leader if answered else None, answered_at=now if answered else None,
            ended_by=secretariat if state == "closed" else None,
            ended_at=now if state == "closed" else None))
    return items


def _indicator_values(department, reporter, leader) -> list:
    """An indicator the department reports, with a value in every workflow state."""
    from decimal import Decimal

    from indicators.models import Indicator, IndicatorTarget, IndicatorValue
    from tests.factories import ResolutionFactory

    indicator = Indicator.objects.create(
        resolution=ResolutionFactory(number="72-NQ/TW"), code="3", name="Tiêm chủng",
        measure="%", frequency="monthly", responsible_unit=department,
        baseline_value=Decimal(90), baseline_year=2024)
    IndicatorTarget.objects.create(indicator=indicator, year=2030, value=Decimal(95))
    now = timezone.now()
    values = []
    for number, state in enumerate(IndicatorValue.State.values):
        decided = state in ("approved", "returned")
        values.append(IndicatorValue.objects.create(
            indicator=indicator, period_end=[date(2025, 5, 31), date(2025, 6, 30),
                                             date(2025, 7, 31), date(2025, 8, 31)][number],
            value=Decimal(91), source_note="Nguồn",
            state=state, created_by=reporter,
            submitted_by=None if state == "draft" else reporter,
            submitted_at=None if state == "draft" else now,
            decided_by=leader if decided else None, decided_at=now if decided else None,
            return_comment="Bổ sung." if state == "returned" else ""))
    return values


# Ids in request bodies drawn from what exists as well, so that writes get past "no such task".
BODIES = {
    "tasks": {"body.group": "groups", "body.lead_unit": "units"},
    "outputs": {"body.task": "tasks"},
    "progress-reports": {"body.task": "tasks", "body.unit": "units", "body.period": "periods",
                         "body.outputs[*].output": "outputs"},
    "indicator-values": {"body.indicator": "indicators", "body.period": "indicator_periods"},
    "explanation-requests": {"body.task": "tasks", "body.unit": "units",
                             "body.indicator": "indicators"},
}
DETAIL_BODIES = {"progress-reports": {"body.version": "versions",
                                      "body.outputs[*].output": "outputs"},
                 "indicator-values": {"body.version": "versions"},
                 "proposals": {"body.version": "versions", "body.unit": "units"},
                 "explanation-requests": {"body.version": "versions"}}


def _bindings(bindings: dict) -> str:
    return "parameters = { " + ", ".join(
        f'"{key}" = {{ dictionary = "{name}", probability = 0.7 }}'
        for key, name in bindings.items()) + " }"


def schemathesis_config(ids: dict) -> str:
    """The run's configuration: the token for each resource, and the ids path parameters and
    bodies are drawn from (70% of the time; otherwise generated)."""
    lines = [CHECKS]
    for name, values in {**ids, "versions": [1, 2, 3]}.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    for resources, token in ((SECRETARIAT_RESOURCES, "PT_SECRETARIAT_TOKEN"),
                             (LEADER_RESOURCES, "PT_LEADER_TOKEN")):
        for resource, dictionary in resources.items():
            headers = f'headers = {{ Authorization = "Bearer ${{{token}}}" }}'
            lines += ["[[operations]]", f'include-path-regex = "^/api/v1/{resource}/$"',
                      headers]
            if resource in BODIES:
                lines.append(_bindings(BODIES[resource]))
            lines.append("")
            if dictionary is None:
                continue
            key = "key" if resource == "periods" else "id"
            bindings = {f"path.{key}": dictionary, **DETAIL_BODIES.get(resource, {})}
            lines += ["[[operations]]",
                      f'include-path-regex = "^/api/v1/{resource}/\\\\{{{key}\\\\}}/"',
                      headers, _bindings(bindings), ""]
    return "\n".join(lines)


def _schemathesis(api_url: str, ids: dict, tokens: dict, tmp_path: Path, *, max_examples: int
                  ) -> subprocess.CompletedProcess:
    config = tmp_path / "schemathesis.toml"
    config.write_text(schemathesis_config(ids), encoding="utf-8")
    command = [
        str(SCHEMATHESIS), "--config-file", str(config), "--no-color",
        "run", f"{api_url}/api/schema/",
        "--checks", "all", "--max-examples", str(max_examples), "--seed", "1",
        "--workers", "2", "--request-timeout", "30",
        *os.environ.get("SCHEMATHESIS_EXTRA", "").split(),
    ]
    environment = {**os.environ, **tokens,
                   "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
                   "PYTHONPATH": str(HERE.parent.parent)}
    result = subprocess.run(command, capture_output=True, text=True, env=environment,
                            timeout=600, check=False, cwd=tmp_path)
    print(result.stdout[-30000:], result.stderr[-5000:])
    return result


def _problems(result: subprocess.CompletedProcess) -> str:
    """What schemathesis found, from its summary on: the assertion's message, so that a run's
    log shows it even when the captured output is cut."""
    output = result.stdout
    start = output.find("FAILURES")
    return (output[start:] if start >= 0 else output[-6000:])[:12000] + result.stderr[-2000:]


def test_the_live_api_passes_every_schemathesis_check(api_server, world, tmp_path):
    # The refusals schemathesis provokes are expected; server errors are still logged.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        result = _schemathesis(api_server, world["ids"], world["tokens"], tmp_path,
                               max_examples=MAX_EXAMPLES)
    finally:
        request_log.setLevel(level)
    assert result.returncode == 0, _problems(result)


# --- The same on make run's SQLite ------------------------------------------------------------

#: Fewer examples than on PostgreSQL: this run is about what SQLite does differently (the range
#: of its integers, its locking), not about the API's logic again.
SQLITE_MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_SQLITE_MAX_EXAMPLES", "3"))

# Tokens for the demo's leader and secretariat, and the ids of what the demo holds, as JSON.
DEMO_IDS = """
import json
from accountability.models import ExplanationRequest
from indicators.models import Indicator, IndicatorValue
from reports.models import IssuedMonthlyReport, ProgressReport, Proposal, ReportingPeriod
from tasks.models import Output, Resolution, Task, TaskGroup
from units.models import ApiToken, Unit, User
from units.services import api_token_issue

def ids(model):
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:200]) or [1]

def token(username):
    return api_token_issue(user=User.objects.get(username=username),
                           scope=ApiToken.Scope.WRITE)[1]

print(json.dumps({
    "tokens": {"PT_LEADER_TOKEN": token("leader"),
               "PT_SECRETARIAT_TOKEN": token("secretariat")},
    "ids": {"units": ids(Unit), "resolutions": ids(Resolution), "groups": ids(TaskGroup),
            "tasks": ids(Task), "outputs": ids(Output), "reports": ids(ProgressReport),
            "monthly": ids(IssuedMonthlyReport),
            "periods": [p.key for p in ReportingPeriod.objects.all()],
            "indicators": ids(Indicator), "indicator_values": ids(IndicatorValue),
            "indicator_periods": ["2025-10", "2025-Q4", "2025"],
            "proposals": ids(Proposal), "explanations": ids(ExplanationRequest)},
}))
"""


@pytest.fixture
def sqlite_api(sqlite_template, tmp_path):
    """make run's site: the demo on a fresh SQLite file, served by runserver (threaded, as make
    run serves it); its URL, the demo's ids and two tokens."""
    folder = migrated(sqlite_template, tmp_path / "site")
    run(folder, "manage.py", "seed_demo")
    shell = run(folder, "manage.py", "shell", "--no-imports", "-c", DEMO_IDS)
    demo = json.loads(shell.stdout.strip().splitlines()[-1])
    # A run sends thousands of requests a minute, with and without a token.
    unthrottled = dict.fromkeys(("API_THROTTLE_TOKEN", "API_THROTTLE_USER", "API_THROTTLE_ANON"),
                                "1000000/minute")
    server = LocalServer(folder, **unthrottled)
    try:
        server.wait()
        yield {"url": server.url, **demo}
    finally:
        server.stop()
        log = (folder / "server.log").read_text(errors="replace")
        print("server log:", log[-20000:])


def test_the_api_on_make_runs_sqlite_passes_every_schemathesis_check(sqlite_api, tmp_path):
    result = _schemathesis(sqlite_api["url"], sqlite_api["ids"], sqlite_api["tokens"],
                           tmp_path, max_examples=SQLITE_MAX_EXAMPLES)
    assert result.returncode == 0, _problems(result)
