"""Background jobs of the indicators app (Celery; see config/celery_app.py): the annex import's
file jobs, and the reminders of values due and not submitted. Safe to run twice."""

from datetime import date

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.filejobs import file_job_run
from core.joblog import logged_job
from core.models import FileJob
from core.text import localized
from units.models import Notification, User
from units.notifications import notify
from units.selectors import unit_users

from .exchange.runs import import_check, import_confirm
from .missing import LATE, missing_by_unit, missing_values, stage_of
from .periods import period_key, period_label

DUE_SUBJECT = _("Indicator values for %(period)s not submitted yet: %(count)s")
DUE_BODY = _(
    "Values of %(unit)s for the period %(period)s that are due and not submitted yet (none, a "
    "draft, or returned for correction): %(count)s. Indicators: %(indicators)s."
)
LATE_SUBJECT = _("Indicator values for %(period)s are late: %(count)s from %(unit)s")
LATE_BODY = _(
    "Values of %(unit)s for the period %(period)s are still not submitted, %(days)s days after "
    "the period ended: %(count)s. Indicators: %(indicators)s. The programme secretariat sees "
    "them as missing."
)

localized_lazy = lazy(localized, str)
period_label_lazy = lazy(period_label, str)


def _day(on: str | None) -> date:
    return date.fromisoformat(on) if on else timezone.localdate()


@shared_task(name="indicators.remind_missing_values", autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
@logged_job("indicators.remind_missing_values")
def remind_missing_values(on: str | None = None) -> dict:
    """Remind the reporters and leaders of each unit whose indicator values for the period due
    are not submitted: once when the period has ended, once more when they are late
    (INDICATOR_VALUE_LATE_DAYS after its end); one notification per person, unit, period and
    stage, listing the indicators, in the recipient's language."""
    today = _day(on)
    counts = {"units": 0, "missing_values": 0, "notified": 0}
    with transaction.atomic():
        groups = missing_by_unit(missing_values(on=today))
        people = unit_users(units=[group.unit for group in groups.values()],
                            roles=[User.Role.REPORTER, User.Role.LEADER])
        for (unit_id, frequency, end), group in groups.items():
            stage = stage_of(end, today)
            counts["units"] += 1
            counts["missing_values"] += len(group.values)
            indicators = {value.indicator.pk for value in group.values}
            link = (reverse("indicators:detail", args=[indicators.pop()]) if len(indicators) == 1
                    else reverse("indicators:list") + "#missing")
            counts["notified"] += notify(
                recipients=people[unit_id], kind=Notification.Kind.INDICATOR_REMINDER,
                key=f"indicator-reminder:{unit_id}:{period_key(frequency, end)}:{stage}",
                subject=LATE_SUBJECT if stage == LATE else DUE_SUBJECT,
                body=LATE_BODY if stage == LATE else DUE_BODY, link=link,
                params={"unit": localized_lazy(group.unit.name, group.unit.name_en),
                        "period": period_label_lazy(frequency, end),
                        "count": len(group.values), "indicators": group.codes,
                        "days": (today - end).days})
    return counts


@shared_task(name="indicators.check_indicator_import", acks_late=True)
@logged_job("indicators.check_indicator_import")
def check_indicator_import(job_id: int) -> dict:
    """Read and check an uploaded annex of indicators (a FileJob), keeping its preview."""
    return file_job_run(job_id, waiting=FileJob.State.QUEUED, working=FileJob.State.CHECKING,
                        work=lambda job, progress: import_check(job=job, progress=progress)
                        .state)


@shared_task(name="indicators.apply_indicator_import", acks_late=True)
@logged_job("indicators.apply_indicator_import")
def apply_indicator_import(job_id: int) -> dict:
    """Write a confirmed import of indicators (all or nothing), if it still matches its
    preview."""
    return file_job_run(job_id, waiting=FileJob.State.APPLYING,
                        working=FileJob.State.APPLYING,
                        work=lambda job, progress: import_confirm(job=job, progress=progress))
