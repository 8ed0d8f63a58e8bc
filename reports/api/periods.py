"""Reporting periods, read by everyone signed in (by their key, YYYY-MM)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from ..filters import PERIOD_KEY, ReportingPeriodFilter
from ..models import ReportingPeriod


def period_from_key(key: str) -> ReportingPeriod | None:
    year, month = (int(part) for part in key.split("-"))
    return ReportingPeriod.objects.filter(year=year, month=month).first()


class ReportingPeriodSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True, help_text=_("YYYY-MM"))

    class Meta:
        model = ReportingPeriod
        fields = ["key", "year", "month", "starts_on", "ends_on", "submission_deadline"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("List reporting periods"),
                       description=_("Monthly periods, newest first: the data window (from "
                                     "`starts_on` to the cut-off `ends_on`) and the submission "
                                     "deadline.")),
    retrieve=extend_schema(summary=_("Read a reporting period"), parameters=[
        OpenApiParameter("key", {"type": "string", "pattern": PERIOD_KEY}, OpenApiParameter.PATH,
                         description=_("The period, YYYY-MM (e.g. 2025-11)."))]),
)
class ReportingPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportingPeriodSerializer
    filterset_class = ReportingPeriodFilter
    queryset = ReportingPeriod.objects.all()
    lookup_field = "key"
    lookup_value_converter = "period"  # reports.periods.PeriodKeyConverter

    def get_object(self):
        period = period_from_key(self.kwargs["key"])
        if period is None:
            raise NotFound()
        return period
