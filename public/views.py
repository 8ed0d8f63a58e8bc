"""The public progress page and its open data: no sign-in, only what was issued (figures.py)."""

import csv
import io
import json
from pathlib import Path

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tasks.exchange.cells import neutralise
from tasks.rules import StatusClass

from .figures import LICENCE, public_period, public_resolution, public_resolutions

SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "period.schema.json"


@require_safe
def index(request):
    programmes = []
    for resolution in public_resolutions():
        try:
            latest = public_period(resolution=resolution)
        except Http404:  # nothing issued for it yet
            latest = None
        programmes.append({"resolution": resolution, "latest": latest})
    return render(request, "public/index.html", {"programmes": programmes,
                                                 "licence": LICENCE})


def _page(request, resolution_id: int, key: str | None):
    resolution = public_resolution(resolution_id)
    figures = public_period(resolution=resolution, key=key)
    statuses = [{"value": status.value, "label": status.label,
                 "count": figures["status"]["counts"][status.value],
                 "change": figures["status"]["change"][status.value]}
                for status in StatusClass]
    groups = [{**group, "cells": [{"count": group["counts"][status.value],
                                   "change": group["change"][status.value]}
                                  for status in StatusClass]}
              for group in figures["groups"]]
    return render(request, "public/period.html", {
        "resolution": resolution, "figures": figures, "statuses": statuses, "groups": groups,
        "status_labels": [status.label for status in StatusClass],
        "latest": key is None, "licence": LICENCE,
    })


@require_safe
def resolution_latest(request, resolution_id: int):
    return _page(request, resolution_id, None)


@require_safe
def period_page(request, resolution_id: int, key: str):
    return _page(request, resolution_id, key)


def _data(resolution_id: int, key: str) -> dict:
    figures = public_period(resolution=public_resolution(resolution_id), key=key)
    return {"licence": LICENCE, **figures}


@require_safe
def period_json(request, resolution_id: int, key: str):
    response = JsonResponse(_data(resolution_id, key), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


CSV_COLUMNS = ["period", "resolution", "group_number", "group_name", "group_name_en",
               "status_class", "count", "previous", "change"]


@require_safe
def period_csv(request, resolution_id: int, key: str):
    """The status classes by group (and in total, with an empty group), one row a class."""
    data = _data(resolution_id, key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    rows = [({"number": "", "name": "", "name_en": ""}, data["status"]), *(
        (group, group) for group in data["groups"])]
    for group, counts in rows:
        for status in StatusClass.values:
            writer.writerow([data["period"]["key"], neutralise(data["resolution"]["number"]),
                             group["number"], neutralise(group["name"]),
                             neutralise(group["name_en"]), status, counts["counts"][status],
                             counts["previous"][status], counts["change"][status]])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="programme-{resolution_id}-{data["period"]["key"]}.csv"')
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def schema(request):
    response = HttpResponse(SCHEMA_FILE.read_bytes(), content_type="application/schema+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def data_page(request):
    """What the open data holds, its schema and licence."""
    return render(request, "public/data.html", {
        "licence": LICENCE, "csv_columns": CSV_COLUMNS,
        "schema": json.loads(SCHEMA_FILE.read_text(encoding="utf-8")),
        "statuses": StatusClass.choices})
