"""Composing the dashboard's SQL: a statement around the SQL the ORM compiles for a queryset.

The ORM's SQL uses positional parameters; the statements here name theirs (`%(on)s`) and embed
querysets as `{name}`. `compose` turns both into one SQL text with positional parameters, in
order, so nothing is ever formatted into the SQL itself.
"""

import re

from django.db import connection

_TOKEN = re.compile(r"\{(\w+)\}|%\((\w+)\)s")


def compose(template: str, *, values: dict, querysets: dict | None = None) -> tuple[str, list]:
    """The template's SQL and its positional parameters: `{name}` is replaced by the SQL of
    `querysets[name]` (its parameters spliced in place), `%(name)s` by a parameter."""
    compiled = {name: queryset.query.sql_with_params()
                for name, queryset in (querysets or {}).items()}
    params: list = []

    def replace(match):
        if match[1]:
            sql, inner = compiled[match[1]]
            params.extend(inner)
            return sql
        params.append(values[match[2]])
        return "%s"

    return _TOKEN.sub(replace, template), params


def fetch_dicts(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
