"""The one router of the REST API, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from reports.api import IssuedMonthlyReportViewSet, ProgressReportViewSet, ReportingPeriodViewSet
from tasks.api import (
    OutputViewSet,
    ResolutionViewSet,
    StatsViewSet,
    TaskGroupViewSet,
    TaskViewSet,
)
from units.api import UnitViewSet


class Router(DefaultRouter):
    include_root_view = False  # the schema (/api/schema/) and docs (/api/docs/) list it all
    include_format_suffixes = False


router = Router()
router.register("resolutions", ResolutionViewSet, basename="resolution")
router.register("task-groups", TaskGroupViewSet, basename="task-group")
router.register("tasks", TaskViewSet, basename="task")
router.register("outputs", OutputViewSet, basename="output")
router.register("units", UnitViewSet, basename="unit")
router.register("periods", ReportingPeriodViewSet, basename="period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("monthly-reports", IssuedMonthlyReportViewSet, basename="monthly-report")
router.register("stats", StatsViewSet, basename="stats")

app_name = "api"
urlpatterns = router.urls
