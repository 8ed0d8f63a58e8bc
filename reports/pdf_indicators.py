"""The monthly report's table of indicators, in the active language, from the figures stored
with the report (reports.monthly_indicators)."""

from datetime import date

from core.text import localized
from indicators.charts import figure
from indicators.periods import period_label
from indicators.status import TrackStatus


def indicator_rows(rows: list[dict]) -> list[dict]:
    """Each indicator's code, name, unit of measure, baseline (with its year), latest approved
    value (with its period), target (with its year) and track status, as the PDF writes them."""
    drawn = []
    for row in rows:
        measure = localized(row.get("measure", ""), row.get("measure_en", ""))
        latest_on = row.get("latest_period_end")
        baseline = row.get("baseline_value")
        drawn.append({
            "code": f"{row.get('resolution', '')} · {row.get('code', '')}",
            "name": localized(row.get("name", ""), row.get("name_en", "")),
            "measure": measure,
            "baseline": "—" if baseline is None else f"{figure(baseline)} ({row['baseline_year']})",
            "latest": "—" if row.get("latest_value") is None else figure(row["latest_value"]),
            "latest_period": period_label(row.get("frequency", ""), date.fromisoformat(latest_on))
            if latest_on else "",
            "target": "—" if row.get("target_value") is None else (
                f"{figure(row['target_value'])} ({row['target_year']})"),
            "status": row.get("status", ""),
            "status_label": str(TrackStatus(row["status"]).label) if row.get("status") else "",
        })
    return drawn
