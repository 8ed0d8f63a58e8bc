"""What every page's templates need to know about the user, computed by the apps' own
permission predicates so that no template holds a list of roles."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

from reports.permissions import can_read_monthly_reports, can_view_dashboard
from reports.waiting import waiting_count
from tasks.permissions import can_manage_programmes


class May:
    """What the user may open from the navigation; each answer computed when first read."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def view_dashboard(self) -> bool:
        return can_view_dashboard(self._user)

    @cached_property
    def read_monthly_reports(self) -> bool:
        return can_read_monthly_reports(self._user)

    @cached_property
    def manage_programmes(self) -> bool:
        return can_manage_programmes(self._user)


def permissions(request):
    """`may`: what the signed-in user may open (`may.view_dashboard`, ...)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"may": May(user)}


def waiting(request):
    """`waiting_count`: how many things wait for the signed-in user (reports.waiting), for the
    navigation; queried only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    known = getattr(request, "waiting_count", None)  # a page that counted it already
    if known is not None:
        return {"waiting_count": known}
    return {"waiting_count": SimpleLazyObject(
        lambda: waiting_count(user=user, on=timezone.localdate()))}
