"""Issued monthly reports to the Standing Secretariat, and the issued PDF itself."""

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from units.authentication import IsAuthenticatedWithinScope

from .. import permissions
from ..filters import IssuedMonthlyReportFilter
from ..models import IssuedMonthlyReport
from ..monthly import monthly_report_open


class PdfRenderer(BaseRenderer):
    """Lets a client ask for the PDF (Accept: application/pdf); errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class CanReadMonthlyReports(drf_permissions.BasePermission):
    message = _("Only leadership and the programme secretariat read the monthly "
                "reports.")

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


@extend_schema_view(
    list=extend_schema(summary=_("List issued monthly reports (leadership, secretariat)")),
    retrieve=extend_schema(summary=_("Read an issued monthly report")),
)
class IssuedMonthlyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Issued monthly reports to the Standing Secretariat, newest first; `pdf` downloads the
    issued file itself (the same bytes and SHA-256 every time)."""

    serializer_class = IssuedMonthlyReportSerializer
    permission_classes = [IsAuthenticatedWithinScope, CanReadMonthlyReports]
    queryset = IssuedMonthlyReport.objects.select_related("period", "issued_by")
    filterset_class = IssuedMonthlyReportFilter

    @extend_schema(
        summary=_("Download an issued monthly report's PDF"),
        parameters=[OpenApiParameter("format", str, enum=["json", "pdf"], required=False,
                                     description=_("Another way to ask for the PDF than "
                                                   "Accept: application/pdf.")),
                    OpenApiParameter("lang", str, enum=["vi", "en"], required=False,
                                     description=_("The language of the PDF; "
                                                   "Vietnamese by default."))],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer],
            filter_backends=[], pagination_class=None)
    def pdf(self, request, pk=None):
        report = self.get_object()
        language = request.query_params.get("lang", "vi")
        if language not in ("vi", "en"):
            raise ValidationError({"lang": [ErrorDetail(_("Choose vi or en."),
                                                        code="invalid_choice")]})
        handle, filename = monthly_report_open(report=report, user=request.user,
                                               language=language)
        return FileResponse(handle, as_attachment=True, filename=filename,
                            content_type="application/pdf")
