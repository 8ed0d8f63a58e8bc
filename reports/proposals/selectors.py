"""Reads of the register: what a user may see, their inbox, the overdue flag, the counts their
home and the dashboard show. A fixed number of queries, whatever the number of items."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from units.permissions import is_programme_office

from ..models import Proposal

OPEN = list(Proposal.OPEN_STATES)


def answer_days() -> int:
    return settings.PROPOSAL_ANSWER_DAYS


def overdue_before(*, on: date | None = None) -> datetime:
    """Items received before this moment and not yet answered are overdue on `on`: received
    more than PROPOSAL_ANSWER_DAYS days before the start of that day."""
    on = on or timezone.localdate()
    start = timezone.make_aware(datetime.combine(on, datetime.min.time()))
    return start - timedelta(days=answer_days())


def overdue_q(*, on: date | None = None) -> Q:
    return Q(state__in=OPEN, received_at__lt=overdue_before(on=on))


def with_overdue(items: QuerySet[Proposal], *, on: date | None = None) -> QuerySet[Proposal]:
    """`is_overdue` on each item (still open, received more than the set days ago)."""
    return items.annotate(is_overdue=ExpressionWrapper(overdue_q(on=on),
                                                       output_field=BooleanField()))


def proposal_list_visible_to(*, user) -> QuerySet[Proposal]:
    """The items the user may read (permissions.can_view_proposal): every item for roles across
    all units; else the items raised by the user's unit (or one under it) and those addressed
    to it."""
    items = Proposal.objects.select_related(
        "report__task__resolution", "report__unit", "report__period", "addressee_unit")
    if user.sees_all_units:
        return items
    if not user.unit_id:
        return items.none()
    path = user.unit.path
    return items.filter(Q(report__unit__path__startswith=path)
                        | Q(addressee_unit__path__startswith=path))


def inbox_q(*, user) -> Q | None:
    """Which items wait for the user to act: those addressed to their unit (or one under it);
    for the secretariat, those addressed to an authority or to no one yet. None: no inbox."""
    if is_programme_office(user):
        return Q(addressee_kind__in=["", Proposal.AddresseeKind.AUTHORITY])
    if user.is_authenticated and user.unit_id and not user.sees_all_units:
        return Q(addressee_kind=Proposal.AddresseeKind.UNIT,
                 addressee_unit__path__startswith=user.unit.path)
    return None


def proposal_inbox(*, user, open_only: bool = True) -> QuerySet[Proposal]:
    """The user's inbox, the oldest open item first."""
    where = inbox_q(user=user)
    if where is None:
        return Proposal.objects.none()
    items = proposal_list_visible_to(user=user).filter(where)
    if open_only:
        items = items.filter(state__in=OPEN)
    return with_overdue(items).order_by("received_at", "pk")


def proposal_inbox_counts(*, user, on: date | None = None) -> dict:
    """{"open", "overdue"} of the user's inbox, in one query."""
    where = inbox_q(user=user)
    if where is None:
        return {"open": 0, "overdue": 0}
    return Proposal.objects.filter(where, state__in=OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=overdue_q(on=on)))


def age_days(item: Proposal, *, on: date | None = None) -> int:
    on = on or timezone.localdate()
    return (on - timezone.localdate(item.received_at)).days
