"""The public progress page and its open data: no sign-in, only what was issued, nothing
personal or internal, stable addresses, both addresses (/public/, /cong-khai/), cached."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import ReportingPeriod
from reports.services import progress_report_save_draft
from tasks.models import Task
from tasks.services import task_update
from tests.public.conftest import SCRIPT, SECRETS, build_programme, issue
from units.models import User

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "public" / "schema"
                     / "period.schema.json").read_text())


def _urls(resolution_id: int, key: str = "2025-11") -> list[str]:
    return ["/public/", f"/public/{resolution_id}/", f"/public/{resolution_id}/{key}/",
            f"/public/{resolution_id}/{key}.json", f"/public/{resolution_id}/{key}.csv",
            "/public/feed.atom", "/public/data/", f"/cong-khai/{resolution_id}/{key}/",
            "/cong-khai/"]


def _text(response) -> str:
    return response.content.decode("utf-8")


def test_everyone_reads_the_issued_figures_without_signing_in(client, programme):
    resolution = programme["resolution"]
    for url in _urls(resolution.pk):
        for language in ("vi", "en"):
            client.cookies["django_language"] = language
            response = client.get(url)
            assert response.status_code == 200, (url, language)
    page = _text(client.get(f"/public/{resolution.pk}/2025-11/"))
    assert "15/BC-BYT" in page and "12/2025/TT-BYT" in page and "30/10/2025" in page


def test_nothing_unissued_personal_or_internal_appears(client, programme, department):
    resolution = programme["resolution"]
    # After the report was issued: a title changed, a draft written. Neither was issued.
    secretariat = User.objects.get(role=User.Role.SECRETARIAT)
    task = Task.objects.get(pk=programme["tasks"][1].pk)
    task_update(task=task, actor=secretariat, title=SECRETS["after_issue"])
    reporter = User.objects.get(role=User.Role.REPORTER)
    progress_report_save_draft(actor=reporter, task=programme["tasks"][0], unit=department,
                               period=ReportingPeriod.objects.get(year=2025, month=11),
                               results=SECRETS["after_issue"], percent_complete=60,
                               progress_status="on_track")
    for url in _urls(resolution.pk):
        for language in ("vi", "en"):
            client.cookies["django_language"] = language
            body = _text(client.get(url))
            for name, secret in SECRETS.items():
                assert secret not in body, (url, language, name)
            if not url.endswith(".json"):
                assert SCRIPT not in body, url
    # The private programme's pages do not exist for the public.
    private = programme["private"].pk
    for url in _urls(private)[1:5]:
        assert client.get(url).status_code == 404, url


def test_markup_in_a_title_is_text_in_the_page_and_data_in_the_json(client, programme):
    resolution = programme["resolution"]
    page = _text(client.get(f"/public/{resolution.pk}/2025-11/"))
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;public&#x27;)&lt;/script&gt;" in page
    response = client.get(f"/public/{resolution.pk}/2025-11.json")
    assert response["Content-Type"] == "application/json"
    titles = [row["task_title"] for row in response.json()["outputs_issued"]]
    assert titles == [f"{SCRIPT} Nhiệm vụ 1"]


def test_the_json_follows_its_schema_and_says_its_licence(client, programme):
    resolution = programme["resolution"]
    data = client.get(f"/public/{resolution.pk}/2025-11.json").json()
    jsonschema.validate(data, SCHEMA)
    assert data["licence"]["id"] == "CC-BY-4.0"
    assert data["status"]["total"] == 3
    assert sum(data["status"]["counts"].values()) == 3
    assert [group["number"] for group in data["groups"]] == [1, 2]
    assert data["periods"][0]["key"] == "2025-11"
    served = client.get("/public/schema/period.json")
    assert served.status_code == 200 and json.loads(served.content) == SCHEMA


def test_the_csv_holds_the_classes_by_group(client, programme):
    resolution = programme["resolution"]
    response = client.get(f"/public/{resolution.pk}/2025-11.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 4 * 3  # the whole programme and its two groups, four classes each
    total = {row["status_class"]: int(row["count"]) for row in rows if not row["group_number"]}
    assert sum(total.values()) == 3
    assert {row["group_name"] for row in rows} == {"", "Nhóm 1", "Nhóm 2"}


def test_the_atom_feed_lists_each_issued_period_at_its_stable_address(client, programme):
    resolution = programme["resolution"]
    response = client.get("/public/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    entries = ET.fromstring(response.content).findall(f"{atom}entry")
    links = [entry.find(f"{atom}link").get("href") for entry in entries]
    assert links == [f"http://testserver/public/{resolution.pk}/2025-11/"]
    assert SECRETS["private_programme"] not in _text(response)


def test_a_period_not_issued_or_a_programme_not_published_is_not_found(client, programme):
    resolution = programme["resolution"]
    assert client.get(f"/public/{resolution.pk}/2025-10/").status_code == 404
    assert client.get(f"/public/{resolution.pk}/2025-10.json").status_code == 404
    assert client.get("/public/99999999/").status_code == 404
    assert client.post(f"/public/{resolution.pk}/").status_code == 405


def test_a_new_version_is_shown_at_the_same_address_and_an_earlier_period_stays(
        client, programme, department):
    from tests.factories import ReportingPeriodFactory

    resolution = programme["resolution"]
    first = client.get(f"/public/{resolution.pk}/2025-11.json").json()
    assert first["issued"]["version"] == 1
    issue(programme["issued"].period, number="15/BC-BYT", reason="Sửa số liệu")
    again = client.get(f"/public/{resolution.pk}/2025-11.json").json()
    assert again["issued"]["version"] == 2
    december = ReportingPeriodFactory(year=2025, month=12)
    issue(december, number="16/BC-BYT")
    latest = _text(client.get(f"/public/{resolution.pk}/"))
    assert "16/BC-BYT" in latest and f"/public/{resolution.pk}/2025-11/" in latest
    assert client.get(f"/public/{resolution.pk}/2025-11.json").json()["issued"]["number"] \
        == "15/BC-BYT"


def _queries(client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["/public/", "/public/{id}/", "/public/{id}/2025-11/",
                                  "/public/{id}/2025-11.json", "/public/{id}/2025-11.csv",
                                  "/public/feed.atom"])
def test_the_public_pages_cost_the_same_for_3_and_30_tasks(client, department, period, page):
    few, _tasks = build_programme(department=department, period=period, tasks=3)
    issue(period)
    count_few = _queries(client, page.format(id=few.pk))
    few.is_public = False
    from tasks.services import resolution_update

    resolution_update(resolution=few, actor=User.objects.get(role=User.Role.SECRETARIAT),
                      is_public=False)
    many, _tasks = build_programme(department=department, period=period, tasks=30)
    issue(period, reason="Thêm chương trình")
    assert _queries(client, page.format(id=many.pk)) == count_few


def test_a_cached_page_reads_only_the_latest_version_ids(client, programme):
    resolution = programme["resolution"]
    url = f"/public/{resolution.pk}/2025-11/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    reads = [query["sql"] for query in queries.captured_queries
             if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(reads) == 2, reads  # the programme, and the newest issued version's id


def test_the_secretariat_publishes_a_programme_in_its_edit_form(client, secretariat, db):
    from tests.factories import ResolutionFactory

    resolution = ResolutionFactory(number="282/NQ-CP")
    assert client.get(f"/public/{resolution.pk}/").status_code == 404
    client.force_login(secretariat)
    url = reverse("tasks:resolution_edit", args=[resolution.pk])
    form = client.get(url).context["form"]
    assert "is_public" in form.fields
    fields = {"number": resolution.number, "kind": resolution.kind, "issuer": "Chính phủ",
              "title": resolution.title, "issued_on": "16/09/2025", "is_tracked": "on",
              "is_public": "on", "version": form.initial["version"]}
    assert client.post(url, fields).status_code == 302
    resolution.refresh_from_db()
    assert resolution.is_public
    detail = _text(client.get(reverse("tasks:resolution", args=[resolution.pk])))
    assert f'href="/public/{resolution.pk}/"' in detail
    client.logout()
    assert client.get("/public/").status_code == 200
    assert resolution.number in _text(client.get("/public/"))

