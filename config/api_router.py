"""The one router of the REST API, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from accountability.api import ExplanationRequestViewSet
from indicators.api import IndicatorValueViewSet, IndicatorViewSet
from reports.api import (
    IssuedMonthlyReportViewSet,
    ProgressReportViewSet,
    ProposalViewSet,
    ReportingPeriodViewSet,
)
from tasks.api import (
    OutputViewSet,
    ResolutionViewSet,
    StatsViewSet,
    TaskGroupViewSet,
    TaskViewSet,
)
from units.api import UnitViewSet
from webhooks.api import WebhookSubscriptionViewSet


class Router(DefaultRouter):
    """Routes with path converters: an object's path takes only an id (core.ids), as in the
    browser's URLs, so anything else is a 404 in the error shape before any view runs; a viewset
    looked up by something else names its converter (`lookup_value_converter`)."""

    include_root_view = False  # the schema (/api/schema/) and docs (/api/docs/) list it all
    include_format_suffixes = False

    def __init__(self):
        super().__init__(use_regex_path=False)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        converter = getattr(viewset, "lookup_value_converter", "id")
        return f"<{converter}:{lookup_prefix}{lookup_url_kwarg}>"


router = Router()
router.register("resolutions", ResolutionViewSet, basename="resolution")
router.register("task-groups", TaskGroupViewSet, basename="task-group")
router.register("tasks", TaskViewSet, basename="task")
router.register("outputs", OutputViewSet, basename="output")
router.register("units", UnitViewSet, basename="unit")
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("monthly-reports", IssuedMonthlyReportViewSet, basename="monthly-report")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
router.register("explanation-requests", ExplanationRequestViewSet,
                basename="explanation-request")
router.register("stats", StatsViewSet, basename="stats")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook")

app_name = "api"
urlpatterns = router.urls
