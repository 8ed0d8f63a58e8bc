from django.db.models import Prefetch, QuerySet

from tasks.selectors import task_list_visible_to

from .models import ProgressReport, ReportingPeriod


def my_tasks_for_period(*, user, period: ReportingPeriod) -> QuerySet:
    """The tasks the user's scope covers, each with `period_reports`: this period's reports by
    the user's unit (and units under it). A fixed number of queries, whatever the row count."""
    reports = ProgressReport.objects.filter(period=period)
    if user.unit_id:
        reports = reports.filter(unit__path__startswith=user.unit.path)
    else:
        reports = reports.none()
    return (
        task_list_visible_to(user=user)
        .select_related("group", "lead_unit", "resolution")
        .prefetch_related(
            Prefetch("progress_reports", queryset=reports.select_related("unit"),
                     to_attr="period_reports")
        )
        .order_by("resolution__issued_on", "sort_key")
    )

