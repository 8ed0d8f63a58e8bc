"""The browser screens of the reports app: monthly reporting, the monthly report, the
dashboard."""

from .dashboard import (
    at_risk_list,
    dashboard,
    dashboard_clarity,
    dashboard_compliance,
    dashboard_deadlines,
    dashboard_groups,
    dashboard_indicators_view,
    dashboard_timeline,
    dashboard_units,
    reports_list,
)
from .exports import period_reports_export_view
from .home import home
from .monthly import (
    issued_report_download,
    monthly_report_draft_download,
    monthly_report_issue_view,
    monthly_report_list,
    monthly_report_prepare,
    monthly_report_preview_view,
    monthly_report_progress,
)
from .reporting import (
    evidence_delete,
    evidence_download,
    output_file_download,
    output_progress_file_download,
    report_page,
)

__all__ = [
    "at_risk_list", "dashboard", "dashboard_clarity", "dashboard_compliance",
    "dashboard_deadlines", "dashboard_groups", "dashboard_indicators_view", "dashboard_timeline",
    "dashboard_units",
    "reports_list",
    "evidence_delete", "evidence_download", "home", "issued_report_download",
    "monthly_report_draft_download", "monthly_report_issue_view", "monthly_report_list",
    "monthly_report_prepare", "monthly_report_preview_view", "monthly_report_progress",
    "output_file_download", "output_progress_file_download", "period_reports_export_view",
    "report_page",
]
