"""REST API of the reports app (mounted under /api/v1/ by config/api_router.py): reporting
periods, progress reports and their workflow, issued monthly reports.

Every write goes through reports.services and is allowed by reports.permissions, exactly as in
the browser. A report carries its `version` (also its ETag): every write to an existing report
states the version it was based on, and a stale one is refused with 409, changing nothing.
"""

from .monthly import IssuedMonthlyReportViewSet
from .periods import ReportingPeriodViewSet
from .progress import ProgressReportViewSet
from .proposals import ProposalViewSet

__all__ = ["IssuedMonthlyReportViewSet", "ProgressReportViewSet", "ProposalViewSet",
           "ReportingPeriodViewSet"]
