"""The register on the dashboard: how many difficulties and proposals raised on the dashboard's
tasks still await an answer, and how many of them are overdue. One query, cached until the data
changes (migration 0015 makes the register's table raise the data version)."""

from datetime import date

from django.conf import settings
from django.db.models import Count, QuerySet

from tasks.models import Task

from ..models import Proposal
from ..proposals.selectors import overdue_q
from .cache import cached, queryset_identity


def dashboard_proposals(*, tasks: QuerySet[Task], on: date) -> dict:
    """{"open", "overdue"} of the items raised in reports on `tasks`, on `on`."""
    def compute():
        return Proposal.objects.filter(
            state__in=Proposal.OPEN_STATES, report__task__in=tasks.order_by().values("pk"),
        ).aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(on=on)))

    return cached("proposals", {"tasks": queryset_identity(tasks), "on": on,
                                "days": settings.PROPOSAL_ANSWER_DAYS}, compute)
