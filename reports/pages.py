"""What the reports app shows on the task page (registered in ReportsConfig.ready)."""

from django.utils import timezone

from tasks.cascade import implementing_tasks
from tasks.pages import Section
from tasks.selectors import task_list_visible_to

from . import permissions, selectors
from .models import ProgressReport
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


def _latest_approved(tasks) -> dict[int, ProgressReport]:
    """{task id: its latest approved report}, the lead unit's first. One query."""
    leads = {task.pk: task.lead_unit_id for task in tasks}
    latest: dict[int, ProgressReport] = {}
    reports = (ProgressReport.objects.filter(task_id__in=list(leads),
                                             state=ProgressReport.State.APPROVED)
               .select_related("period").order_by("period__year", "period__month", "pk"))
    for report in reports:
        held = latest.get(report.task_id)
        # Ordered oldest first: a later one wins, except over the lead's with another unit's.
        if held is None or report.unit_id == leads[report.task_id] \
                or held.unit_id != leads[report.task_id]:
            latest[report.task_id] = report
    return latest


def task_cascade_section(request, task) -> Section:
    """The tasks of plans that implement the task (those the user may see), plan by plan, with
    their status class and latest approved progress; those due after the task flagged."""
    plans = implementing_tasks(task=task, visible=task_list_visible_to(user=request.user),
                               on=timezone.localdate())
    latest = _latest_approved([child for plan in plans for child in plan.tasks])
    for plan in plans:
        for child in plan.tasks:
            child.latest_report = latest.get(child.pk)
    return Section(main="reports/task_cascade.html" if plans else "",
                   context={"cascade_plans": plans})
