"""The OpenAPI schema: valid, every operation's errors described, public, in the asked language;
the documentation page from local files, with no inline script."""

import re
from io import StringIO

import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

SCHEMA = "/api/schema/"


def test_the_schema_validates_without_a_warning(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out),
                 stdout=StringIO(), stderr=StringIO())
    assert yaml.safe_load(out.read_text())["openapi"].startswith("3.")


def test_every_operation_describes_its_errors_in_the_one_shape(client, db):
    schema = yaml.safe_load(client.get(SCHEMA).content)
    operations = [(path, method, operation) for path, item in schema["paths"].items()
                  for method, operation in item.items()]
    assert len(operations) >= 30
    for path, method, operation in operations:
        responses = operation["responses"]
        wanted = {"400", "401", "403", "404", "406", "429", "500"}
        if method in ("post", "patch"):
            wanted |= {"409", "415"}
        assert wanted <= set(responses), (method, path)
        for code in wanted:
            content = responses[code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)
        assert responses["429"]["headers"]["Retry-After"]
        assert operation["summary"], (method, path)
        assert {"apiToken": []} in operation["security"]
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_filters_and_headers_are_described(client, db):
    schema = yaml.safe_load(client.get(SCHEMA).content)
    tasks = {p["name"] for p in schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]}
    assert {"resolution", "group", "lead_unit", "coordinating_unit", "unit", "status",
            "overdue", "deadline_from", "deadline_to", "updated_since", "q", "ordering", "on",
            "page", "page_size"} <= tasks
    reports = {p["name"] for p in
               schema["paths"]["/api/v1/progress-reports/"]["get"]["parameters"]}
    assert {"task", "unit", "period", "state", "updated_since", "q", "ordering"} <= reports
    patch = schema["paths"]["/api/v1/progress-reports/{id}/"]["patch"]
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    assert "ETag" in patch["responses"]["200"]["headers"]
    request = schema["components"]["schemas"]["ReportUpdateRequest"]
    assert "version" in request["required"]


def test_the_schema_is_public_and_follows_the_language_asked(client, db):
    vietnamese = client.get(SCHEMA).content.decode()
    english = client.get(SCHEMA, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Chưa hoàn thành, quá hạn" in vietnamese
    assert "Overdue" in english and "Chưa hoàn thành, quá hạn" not in english


def test_the_docs_page_has_no_inline_script_or_style_and_only_local_assets(client, db):
    page = client.get("/api/docs/").content.decode()
    assert re.findall(r"<script(?![^>]*\ssrc=)", page) == []
    assert "<style" not in page and " style=" not in page
    assert re.search(r"\son[a-z]+=", page) is None
    assert "http://" not in page and "https://" not in page
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', page):
        assert finders.find(asset), asset
