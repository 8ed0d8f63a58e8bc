"""REST API of the reports app (mounted under /api/v1/ by config/api_router.py)."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from . import permissions
from .models import IssuedMonthlyReport
from .monthly import monthly_report_open


class CanReadMonthlyReports(drf_permissions.BasePermission):
    def has_permission(self, request, view):
        return permissions.can_read_monthly_reports(request.user)


class IssuedMonthlyReportSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.key", read_only=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True)

    class Meta:
        model = IssuedMonthlyReport
        fields = ["id", "period", "version", "number", "issued_on", "issued_at", "issued_by",
                  "reason", "sha256", "sha256_en"]
        read_only_fields = fields


class IssuedMonthlyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued monthly reports to the Standing Secretariat, newest first; `pdf` downloads the
    issued file itself (the same bytes and SHA-256 every time)."""

    serializer_class = IssuedMonthlyReportSerializer
    permission_classes = [CanReadMonthlyReports]
    queryset = IssuedMonthlyReport.objects.select_related("period", "issued_by")
    filterset_fields = ["version"]
    ordering_fields = ["issued_at", "version"]

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=["vi", "en"], required=False)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self.get_object()
        language = "en" if request.query_params.get("lang") == "en" else "vi"
        handle, filename = monthly_report_open(report=report, user=request.user,
                                               language=language)
        return FileResponse(handle, as_attachment=True, filename=filename,
                            content_type="application/pdf")
