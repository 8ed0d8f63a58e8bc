"""The one router of the REST API, mounted under /api/v1/."""

from rest_framework.routers import DefaultRouter

from reports.api import IssuedMonthlyReportViewSet

router = DefaultRouter()
router.register("monthly-reports", IssuedMonthlyReportViewSet, basename="monthly-report")

app_name = "api"
urlpatterns = router.urls
