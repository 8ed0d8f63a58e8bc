"""Background jobs of the reports app (Celery; see config/celery_app.py)."""

import logging

from celery import shared_task
from django.utils import timezone

from .services import period_for_date

logger = logging.getLogger(__name__)


@shared_task(name="reports.open_current_period", autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5)
def open_current_period() -> str:
    """Make sure today's reporting period exists, so the month's forms are ready. Idempotent."""
    period = period_for_date(on=timezone.localdate())
    logger.info("reporting period %s is open", period.key)
    return period.key
