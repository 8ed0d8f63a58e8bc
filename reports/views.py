from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from tasks.rules import StatusClass, task_days_to_deadline, task_status_class

from .selectors import my_tasks_for_period
from .services import period_for_date


@login_required
def home(request):
    """My tasks this period: what the user's unit leads or coordinates, with deadlines and
    this period's report states."""
    today = timezone.localdate()
    period = period_for_date(on=today)
    tasks = list(my_tasks_for_period(user=request.user, period=period))
    rows = []
    for task in tasks:
        status = task_status_class(task=task, on=today)
        # Days to or past the deadline only mean something while the task is unfinished.
        unfinished = status in (StatusClass.IN_PROGRESS, StatusClass.OVERDUE)
        days = task_days_to_deadline(task=task, on=today) if unfinished else None
        rows.append({
            "task": task,
            "status": status,
            "days_left": days if days is not None and days >= 0 else None,
            "days_overdue": -days if days is not None and days < 0 else None,
            "report": task.period_reports[0] if task.period_reports else None,
        })
    return render(request, "reports/home.html",
                  {"rows": rows, "period": period, "today": today})
