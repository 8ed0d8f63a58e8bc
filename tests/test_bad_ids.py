"""Ids that are not ids never reach the database: in a path they answer 404, in a filter 400 (the
API's error shape) or the list's form error, in a form the form's error; never a 500.

The cases come from the URL resolver, the API router and the filtersets themselves, so a new
URL, endpoint or filter is covered without editing this file. (The database is PostgreSQL here;
the schemathesis run against make run's SQLite is in tests/api/test_schemathesis.py.)
"""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django_filters import NumberFilter

from config.api_router import router
from core.filters import IdFilter
from core.ids import MAX_ID, IdConverter, parse_id
from reports.models import OutputProgress, ProgressReport
from tasks.filters import TaskFilter
from tests.factories import (
    OutputFactory,
    ProgressReportFactory,
    ReportingPeriodFactory,
    TaskFactory,
    UserFactory,
)
from units.models import ApiToken, User
from units.services import api_token_issue

#: Not ids: beyond the id columns (just past, and the scanner's), text, zero, a sign, a space.
NOT_IDS = [str(MAX_ID + 1), "31868662420691730432", "abc", "1x", "0", "-1", "%201"]
#: What other path parameters are given while an id is tampered with.
SAMPLES = {"id": "1", "int": "2025", "month": "11", "period": "2025-11"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
HTML_LISTS = ["/tasks/", "/dashboard/", "/dashboard/at-risk/", "/dashboard/reports/"]


def _routes(resolver=None, prefix=""):
    """Every route of the site outside the admin, as its full route text ("tasks/<id:pk>/")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # the API's catch-all 404 (a regex)
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


ROUTES = sorted(set(_routes()))
ID_ROUTES = [route for route in ROUTES
             if any(m["converter"] == "id" for m in PARAMETER.finditer(route))]


def _url(route: str, **given) -> str:
    def value(match):
        return given.get(match["name"], SAMPLES.get(match["converter"] or "str", "x"))
    return "/" + PARAMETER.sub(value, route)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=User.Role.ADMIN, unit=None, is_staff=True,
                       is_superuser=True)


@pytest.fixture
def token(admin_user):
    return api_token_issue(user=admin_user, scope=ApiToken.Scope.WRITE)[1]


def _request(client, method, url, token):
    if url.startswith("/api/"):
        return getattr(client, method)(url, data={} if method == "post" else None,
                                       content_type="application/json",
                                       headers={"Authorization": f"Bearer {token}"})
    return getattr(client, method)(url)


def test_the_cases_cover_the_browser_and_the_api():
    assert len(ID_ROUTES) >= 30
    assert any(route.startswith("api/v1/") for route in ID_ROUTES)
    assert "tasks/<id:task_id>/reports/<id:unit_id>/<int:year>-<month:month>/" in ID_ROUTES


def test_every_id_in_a_path_is_read_by_the_id_converter():
    """`<int:pk>` would take 99999999999999999999 to the view and on to the database."""
    for route in ROUTES:
        for match in PARAMETER.finditer(route):
            name = match["name"]
            if name in ("pk", "id", "key") or name.endswith(("_id", "_pk")):
                assert match["converter"] in ("id", "period"), route


@pytest.mark.parametrize("route", ID_ROUTES)
def test_a_path_with_what_is_not_an_id_answers_404(client, admin_user, token, route):
    client.force_login(admin_user)
    names = [m["name"] for m in PARAMETER.finditer(route) if m["converter"] == "id"]
    for name in names:
        for bad in NOT_IDS:
            url = _url(route, **{name: bad})
            for method in ("get", "post"):
                response = _request(client, method, url, token)
                assert response.status_code == 404, (method, url)
                if url.startswith("/api/"):
                    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("route", ID_ROUTES)
def test_a_path_with_the_largest_id_finds_nothing_without_a_server_error(
        client, admin_user, token, route):
    client.force_login(admin_user)
    url = _url(route, **{m["name"]: str(MAX_ID) for m in PARAMETER.finditer(route)
                         if m["converter"] == "id"})
    for method in ("get", "post"):
        response = _request(client, method, url, token)
        assert response.status_code < 500, (method, url)


def test_a_path_with_a_year_no_period_has_answers_404(client, admin_user):
    """(405 for a page that only takes a POST.)"""
    client.force_login(admin_user)
    routes = [route for route in ROUTES if "<int:year>" in route]
    assert len(routes) >= 7
    for route in routes:
        for year in ("0", "99999", "31868662420691730432"):
            url = _url(route, year=year)
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url).status_code in (404, 405), url


def test_a_period_path_with_what_is_not_a_period_answers_404(client, token):
    for key in ("2025-13", "2025-00", "20251-01", "abcd-01", "2025-1x", "0000-01"):
        response = client.get(f"/api/v1/periods/{key}/",
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 404, key
        assert response.json()["error"]["code"] == "not_found"


# --- Filters -------------------------------------------------------------------------------------


def _api_id_filters():
    for prefix, viewset, _basename in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, found in (filterset.base_filters.items() if filterset else []):
            if isinstance(found, IdFilter):
                yield f"/api/v1/{prefix}/", name


API_ID_FILTERS = list(_api_id_filters())


def test_every_number_filter_is_an_id_filter():
    """A NumberFilter reads any decimal, which the database may not be able to compare."""
    from reports import filters as report_filters
    from tasks import filters as task_filters
    from units import filters as unit_filters

    filtersets = [value for module in (report_filters, task_filters, unit_filters)
                  for value in vars(module).values()
                  if isinstance(value, type) and hasattr(value, "base_filters")]
    filtersets += [getattr(viewset, "filterset_class", None) for _p, viewset, _b in
                   router.registry]
    assert len(API_ID_FILTERS) >= 15
    for filterset in filter(None, filtersets):
        for name, found in filterset.base_filters.items():
            if isinstance(found, NumberFilter):
                assert isinstance(found, IdFilter), (filterset.__name__, name)


@pytest.mark.parametrize(("url", "name"), API_ID_FILTERS)
def test_an_api_filter_given_what_is_not_an_id_answers_400_naming_it(client, token, url, name):
    for bad in NOT_IDS:
        response = client.get(url, {name: bad}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 400, (bad, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert list(error["fields"]) == [name]


@pytest.mark.parametrize(("url", "name"), API_ID_FILTERS)
def test_an_api_filter_given_the_largest_id_finds_nothing(client, token, url, name):
    response = client.get(url, {name: str(MAX_ID)}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    assert response.json().get("results", []) == [] or "results" not in response.json()


def test_the_schema_states_the_range_of_every_id(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    checked = 0
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id" or (
                        parameter["in"] == "query"
                        and (path, parameter["name"]) in API_ID_FILTERS):
                    assert parameter["schema"]["minimum"] == 1, (path, parameter)
                    assert parameter["schema"]["maximum"] == MAX_ID, (path, parameter)
                    checked += 1
    assert checked >= 30



@pytest.mark.parametrize("url", HTML_LISTS)
def test_an_html_list_given_what_is_not_an_id_shows_the_filters_error(client, admin_user, url):
    client.force_login(admin_user)
    names = [name for name, found in TaskFilter.base_filters.items()
             if isinstance(found, IdFilter)]
    assert {"lead_unit", "coordinating_unit", "unit"} <= set(names)
    for name in names:
        for bad in (str(MAX_ID + 1), "abc", "0"):  # the pages are heavy: one of each kind
            response = client.get(url, {name: bad})
            assert response.status_code == 200, (name, bad)
            assert name in response.context["filters"].errors, (name, bad)


# --- Forms ---------------------------------------------------------------------------------------


def test_parse_id_takes_only_ids():
    assert [parse_id(value) for value in ("1", "0001", 7, str(MAX_ID))] == [1, 1, 7, MAX_ID]
    for value in [*NOT_IDS, "", None, True, 1.0, "١٢", MAX_ID + 1, " 1"]:
        assert parse_id(value) is None, value
    with pytest.raises(ValueError):
        IdConverter().to_python(str(MAX_ID + 1))


@pytest.fixture
def report_page(department, other_unit, reporter):
    task = TaskFactory(lead_unit=department, deadline=date(2026, 12, 31))
    output = OutputFactory(task=task, title="Thông tư hướng dẫn")
    foreign = OutputFactory(task=TaskFactory(lead_unit=other_unit), title="Của nhiệm vụ khác")
    period = ReportingPeriodFactory(year=2025, month=11)
    url = f"/tasks/{task.pk}/reports/{department.pk}/2025-11/"
    return {"task": task, "output": output, "foreign": foreign, "period": period, "url": url}


def _report_post(output_id: str) -> dict:
    return {
        "action": "save", "percent_complete": "40",
        "progress_status": ProgressReport.ProgressStatus.ON_TRACK,
        "results": "Đã dự thảo thông tư.", "difficulties": "", "proposals": "", "next_steps": "",
        "completion_date": "", "version": "",
        "outputs-TOTAL_FORMS": "1", "outputs-INITIAL_FORMS": "1", "outputs-MIN_NUM_FORMS": "0",
        "outputs-MAX_NUM_FORMS": "1000", "outputs-0-output_id": output_id,
        "outputs-0-status": "drafting", "outputs-0-document_number": "",
        "outputs-0-issued_on": "",
    }


@pytest.mark.parametrize("bad", ["abc", str(MAX_ID + 1), "31868662420691730432", "0", ""])
def test_a_tampered_output_id_on_the_report_form_is_the_forms_error_keeping_the_text(
        client, reporter, report_page, bad):
    client.force_login(reporter)
    response = client.post(report_page["url"], _report_post(bad))
    assert response.status_code == 200
    outputs = response.context["outputs"]
    assert outputs.forms[0].errors["output_id"]
    assert f'name="outputs-0-output_id" value="{bad}"' in response.content.decode() or not bad
    assert 'id="error-summary"' in response.content.decode()
    assert not ProgressReport.objects.exists()  # nothing saved


def test_an_output_id_of_another_tasks_output_is_refused_keeping_the_text(
        client, reporter, report_page):
    client.force_login(reporter)
    response = client.post(report_page["url"], _report_post(str(report_page["foreign"].pk)))
    assert response.status_code == 200
    assert response.context["outputs"].non_form_errors()
    assert "Đã dự thảo thông tư." in response.content.decode()
    assert not ProgressReport.objects.exists()  # nothing saved
    assert not OutputProgress.objects.filter(output=report_page["foreign"]).exists()


def test_an_existing_report_posted_with_a_tampered_output_id_keeps_its_outputs(
        client, reporter, department, report_page):
    ProgressReportFactory(task=report_page["task"], unit=department,
                          period=report_page["period"], created_by=reporter)
    client.force_login(reporter)
    response = client.post(report_page["url"], _report_post("'; DROP TABLE x; --"))
    assert response.status_code == 200
    assert response.context["outputs"].forms[0].output is None
    assert not OutputProgress.objects.exists()


@pytest.mark.parametrize("units", [{}, {"1": 1}, 7, "1,2"])
def test_a_list_of_ids_in_an_api_body_is_a_list(client, token, department, units):
    """(Found by schemathesis on make run's SQLite: an object was taken as an empty list.)"""
    from tests.factories import TaskGroupFactory

    response = client.post("/api/v1/tasks/", {
        "group": TaskGroupFactory().pk, "code": "5.1", "title": "Nhiệm vụ",
        "lead_unit": department.pk, "coordinating_units": units, "deadline_text": "Quý IV/2026"},
        content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400, response.content
    assert [item["code"] for item in response.json()["error"]["fields"]["coordinating_units"]] \
        == ["not_a_list"]


@pytest.mark.parametrize("bad", ["abc", str(MAX_ID + 1), "31868662420691730432", "0"])
def test_a_tampered_output_id_on_the_task_form_is_refused_and_changes_nothing(
        client, admin_user, department, report_page, bad):
    from tests.tasks.test_manage_views import task_post

    task, output = report_page["task"], report_page["output"]
    client.force_login(admin_user)
    response = client.post(f"/tasks/{task.pk}/edit/", task_post(
        task, title="Đã đổi", outputs=[{"id": bad, "kind": output.kind, "title": "Đổi"}]))
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    task.refresh_from_db()
    output.refresh_from_db()
    assert (task.title, output.title) != ("Đã đổi", "Đổi")
    assert output.title == "Thông tư hướng dẫn"


def test_an_output_id_of_another_tasks_output_on_the_task_form_is_refused(
        client, admin_user, report_page):
    from tests.tasks.test_manage_views import task_post

    task, foreign = report_page["task"], report_page["foreign"]
    client.force_login(admin_user)
    response = client.post(f"/tasks/{task.pk}/edit/", task_post(
        task, outputs=[{"id": foreign.pk, "kind": foreign.kind, "title": "Chiếm"}]))
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert (foreign.task_id, foreign.title) == (report_page["foreign"].task_id,
                                                "Của nhiệm vụ khác")
