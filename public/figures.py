"""What the public sees: a programme's figures exactly as its monthly report was issued.

Everything is read from `IssuedMonthlyReport.data`, frozen when the secretariat issued the
report (the latest version of each period), and copied field by field from an allow-list: the
status classes by group with their change since the previous cut-off, the outputs issued (the
document's number and date), the deadlines of the coming months, and the sections other apps
register (public.sections). Never a name of a person, a draft, a difficulty, a proposal, a
result typed by a unit, compliance or anything not issued: a field the monthly report adds later
stays private until it is added here.

Cached for good under keys holding the issued version's id (an issued version never changes);
the list of issued periods under the id of the latest one.
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.http import Http404

from reports.models import IssuedMonthlyReport
from tasks.deadlines import RECURRING_KINDS
from tasks.models import Resolution
from tasks.rules import StatusClass

from .sections import public_sections

SCHEMA_VERSION = 1
#: The open data's licence (README.md "Open data"), named on every public page and file.
LICENCE = {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
#: How far past the cut-off "the deadlines of the coming months" reach.
COMING_DAYS = 92
#: An entry is never stale (its key changes with each issue); this only lets old ones go.
CACHE_SECONDS = 7 * 24 * 3600
COMPLETED = {StatusClass.COMPLETED_ON_TIME.value, StatusClass.COMPLETED_LATE.value}


def public_resolutions() -> list[Resolution]:
    """The programmes the secretariat has chosen to publish."""
    return list(Resolution.objects.filter(is_public=True, is_tracked=True)
                .order_by("issued_on", "number"))


def public_resolution(resolution_id: int) -> Resolution:
    resolution = Resolution.objects.filter(pk=resolution_id, is_public=True,
                                           is_tracked=True).first()
    if resolution is None:
        raise Http404
    return resolution


def _issued_periods() -> list[dict]:
    """Every issued period, newest first: its latest version's id, number and date, and the
    resolutions it counted. One small query (no figures), cached under the newest version."""
    newest = IssuedMonthlyReport.objects.order_by("-pk").values_list("pk", "issued_at").first()
    if newest is None:
        return []
    # The time as well as the id: a database restored or made anew never meets an old entry.
    key = f"public:periods:v{SCHEMA_VERSION}:{newest[0]}:{newest[1].timestamp()}"
    found = cache.get(key)
    if found is not None:
        return found
    latest: dict[int, dict] = {}
    for pk, issued_at, period_id, version, year, month, number, issued_on, resolutions in (
            IssuedMonthlyReport.objects.order_by("period_id", "version").values_list(
                "pk", "issued_at", "period_id", "version", "period__year", "period__month",
                "number", "issued_on", "data__resolutions")):
        latest[period_id] = {"issued_id": pk, "issued_at": issued_at.timestamp(),
                             "version": version, "year": year, "month": month,
                             "key": f"{year}-{month:02d}", "number": number,
                             "issued_on": issued_on.isoformat(),
                             "resolutions": [r["resolution_id"] for r in resolutions or []]}
    found = sorted(latest.values(), key=lambda row: (row["year"], row["month"]), reverse=True)
    cache.set(key, found, CACHE_SECONDS)
    return found


def public_periods(*, resolution: Resolution) -> list[dict]:
    """The issued periods that counted the resolution, newest first."""
    return [row for row in _issued_periods() if resolution.pk in row["resolutions"]]


def _unit(row: dict) -> dict:
    return {"code": row.get("unit_code", ""), "name": row.get("unit_name", ""),
            "name_en": row.get("unit_name_en", "")}


def _task(row: dict) -> dict:
    return {"code": row.get("code", ""), "title": row.get("title", ""),
            "title_en": row.get("title_en", ""), "lead_unit": _unit(row.get("lead_unit") or {}),
            "deadline_kind": row.get("deadline_kind", ""), "deadline": row.get("deadline"),
            "deadline_text": row.get("deadline_text", "")}


def _counts(row: dict) -> dict:
    return {"total": row["total"], "counts": dict(row["counts"]),
            "previous": dict(row["previous"]), "change": dict(row["change"])}


def _summed(groups: list[dict]) -> dict:
    total = {"total": 0, **{name: dict.fromkeys(StatusClass.values, 0)
                            for name in ("counts", "previous", "change")}}
    for group in groups:
        total["total"] += group["total"]
        for name in ("counts", "previous", "change"):
            for status in StatusClass.values:
                total[name][status] += group[name].get(status, 0)
    return total


def _coming(data: dict, group_ids: set[int]) -> list[dict]:
    """Deadlines after the cut-off: those the report lists for the next period (recurring ones
    included, with their occurrence's date), then the one-off deadlines of the months after."""
    cutoff = date.fromisoformat(data["period"]["ends_on"])
    until = cutoff + timedelta(days=COMING_DAYS)
    tasks = {row["task_id"]: row for row in data.get("appendix", [])
             if row.get("group_id") in group_ids}
    rows = {}
    for row in data.get("upcoming_deadlines", []):
        if row["task_id"] in tasks:
            rows[row["task_id"]] = {**_task(row), "due": row["due"]}
    for task_id, row in tasks.items():
        due = row.get("deadline")
        if (task_id in rows or not due or row.get("status") in COMPLETED
                or row.get("deadline_kind") in RECURRING_KINDS):
            continue
        if cutoff < date.fromisoformat(due) <= until:
            rows[task_id] = {**_task(row), "due": due}
    return sorted(rows.values(), key=lambda row: (row["due"], row["code"]))


def _outputs_issued(data: dict, group_ids: set[int]) -> list[dict]:
    issued = []
    for row in data.get("appendix", []):
        if row.get("group_id") not in group_ids:
            continue
        for output in row.get("outputs", []):
            if output.get("issued_on") and output.get("document_number"):
                issued.append({"task_code": row.get("code", ""),
                               "task_title": row.get("title", ""),
                               "task_title_en": row.get("title_en", ""),
                               "kind": output.get("kind", ""), "title": output.get("title", ""),
                               "document_number": output["document_number"],
                               "issued_on": output["issued_on"]})
    return sorted(issued, key=lambda row: (row["issued_on"], row["task_code"]), reverse=True)


def _build(resolution: Resolution, issued: IssuedMonthlyReport) -> dict:
    data = issued.data
    groups = [row for row in data.get("by_group", [])
              if row.get("resolution_id") == resolution.pk]
    group_ids = {row["group_id"] for row in groups}
    return {
        "schema_version": SCHEMA_VERSION,
        "resolution": {"id": resolution.pk, "number": resolution.number,
                       "title": resolution.title, "title_en": resolution.title_en},
        "period": {name: data["period"][name]
                   for name in ("key", "year", "month", "starts_on", "ends_on")},
        "previous_ends_on": data.get("previous_ends_on"),
        "issued": {"number": issued.number, "version": issued.version,
                   "issued_on": issued.issued_on.isoformat()},
        "status": _summed(groups),
        "groups": [{"number": row["number"], "name": row["name"], "name_en": row["name_en"],
                    **_counts(row)} for row in groups],
        "outputs_issued": _outputs_issued(data, group_ids),
        "coming_deadlines": _coming(data, group_ids),
        **public_sections.collect(resolution_id=resolution.pk, issued=issued),
    }


def public_period(*, resolution: Resolution, key: str | None = None) -> dict:
    """The resolution's public figures for the issued period `key` ("2025-11"; the latest when
    None). Http404 when that period was not issued or did not count the resolution."""
    periods = public_periods(resolution=resolution)
    chosen = next((row for row in periods if key in (None, row["key"])), None)
    if chosen is None:
        raise Http404
    cache_key = (f"public:period:v{SCHEMA_VERSION}:{resolution.pk}:{chosen['issued_id']}:"
                 f"{chosen['issued_at']}:{resolution.updated_at.timestamp()}")
    found = cache.get(cache_key)
    if found is None:
        issued = IssuedMonthlyReport.objects.select_related("period").get(pk=chosen["issued_id"])
        found = _build(resolution, issued)
        cache.set(cache_key, found, CACHE_SECONDS)
    return {**found, "periods": [{name: row[name] for name in ("key", "year", "month",
                                                                "number", "issued_on")}
                                 for row in periods]}
