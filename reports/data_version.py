"""The data version (reports.models.DataVersion): one row that database triggers raise on every
change to what the figures read (reports/migrations/0007_dashboard_data_version.py): tasks,
their units, outputs and completions, units, periods, and a report created or changing state.
What is cached under it (the dashboard, the navigation's count of reports to submit) is computed
again after any such change."""

from django.db import connection


def data_version() -> str | None:
    """The data version and the transaction that set it ("value:xmin"); None when there is
    none (not PostgreSQL, or the row is missing)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT value, xmin::text FROM reports_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return f"{row[0]}:{row[1]}" if row else None
