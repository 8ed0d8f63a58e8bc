"""What the indicators app shows on the task page (registered in IndicatorsConfig.ready): the
indicators the task contributes to, with their track status today."""

from django.utils import timezone

from tasks.pages import Section

from .selectors import indicator_list_with_series
from .status import TrackStatus, indicator_track


def task_indicators_section(request, task) -> Section:
    indicators = indicator_list_with_series(user=request.user).filter(tasks=task)
    today = timezone.localdate()
    rows = [{"indicator": i, "status": TrackStatus(indicator_track(i, on=today).status)}
            for i in indicators]
    return Section(side="indicators/task_indicators.html", context={"task_indicators": rows})
