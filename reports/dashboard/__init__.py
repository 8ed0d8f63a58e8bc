"""The leadership dashboard: where the programme stands and who is behind, read from the
per-task facts for any number of tasks (see facts.py, figures.py, risk.py, compliance.py,
overview.py)."""

from .at_risk import at_risk_tasks
from .compliance import compliance_counts, expected_reports_list, missing_reports
from .overview import dashboard_headline, dashboard_overview, dashboard_window
from .risk import RISK_PERIODS

__all__ = ["RISK_PERIODS", "at_risk_tasks", "compliance_counts", "dashboard_headline",
           "dashboard_overview", "dashboard_window", "expected_reports_list",
           "missing_reports"]
