"""What the reports app shows on the task page (registered in ReportsConfig.ready)."""

from django.utils import timezone

from tasks.pages import Section

from . import permissions, selectors
from .periods import period_for_date


def task_reports_section(request, task) -> Section:
    """Every period's reports on the task the user may read, their workflow steps, and the
    buttons to write this period's report of each unit under the user."""
    reports = [r for r in selectors.task_reports(task=task)
               if permissions.can_view_report(request.user, r)]
    visible = {r.pk for r in reports}
    history = [h for h in selectors.task_report_history(task=task) if h.id in visible]
    return Section(
        main="reports/task_reports.html", side="reports/task_report_history.html",
        context={"reports": reports, "history": history,
                 "bodies": selectors.bodies_in_scope(user=request.user, task=task),
                 "period": period_for_date(on=timezone.localdate())},
    )
