"""Indicators, read within the client's scope (every signed-in client reads every indicator),
with their targets and their track status on a date."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from tasks.api.common import ON_PARAMETER, status_date
from units.api import UnitBriefSerializer

from ..filters import IndicatorFilter
from ..models import Indicator, IndicatorTarget
from ..selectors import indicator_list_with_series, indicators_link_ids_read
from ..status import TrackStatus, indicator_track

ETAG = OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200],
                        description=_('The indicator\'s version, quoted (e.g. "3").'))


class TargetSerializer(serializers.ModelSerializer):
    value = serializers.FloatField()

    class Meta:
        model = IndicatorTarget
        fields = ["id", "kind", "year", "value", "unit", "is_illustrative", "note"]
        read_only_fields = fields


class TrackSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TrackStatus.choices)
    expected = serializers.FloatField(allow_null=True, help_text=_(
        "The expected value on the latest approved value's period (or on the date)."))
    latest = serializers.FloatField(allow_null=True)
    latest_period_end = serializers.DateField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    forecast = serializers.FloatField(allow_null=True, help_text=_(
        "The trend of the approved values, at the end of the target's year."))


def track_data(track) -> dict:
    return {"status": track.status, "expected": track.expected,
            "latest": track.latest.value if track.latest else None,
            "latest_period_end": track.latest.on if track.latest else None,
            "target": track.target.value if track.target else None,
            "target_year": track.target.year if track.target else None,
            "forecast": track.forecast}


class IndicatorSerializer(serializers.ModelSerializer):
    responsible_unit = UnitBriefSerializer(read_only=True)
    baseline_value = serializers.FloatField(allow_null=True)
    targets = TargetSerializer(many=True, read_only=True)
    # Ids, read for the page from the link tables (IndicatorViewSet).
    breakdown_units = serializers.ListField(
        child=serializers.IntegerField(), source="breakdown_unit_ids", read_only=True,
        label=Indicator._meta.get_field("breakdown_units").verbose_name)
    tasks = serializers.ListField(
        child=serializers.IntegerField(), source="task_ids", read_only=True,
        label=Indicator._meta.get_field("tasks").verbose_name)
    track = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True, help_text=_("It is also the ETag."))

    class Meta:
        model = Indicator
        fields = ["id", "resolution", "group", "code", "name", "name_en", "measure",
                  "measure_en", "direction", "baseline_value", "baseline_year",
                  "baseline_source", "baseline_illustrative", "frequency", "responsible_unit",
                  "breakdown_units", "data_source", "tasks", "is_illustrative", "note",
                  "targets", "track", "version", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(TrackSerializer)
    def get_track(self, indicator) -> dict:
        return track_data(indicator_track(indicator, on=self.context["on"]))


@extend_schema_view(
    list=extend_schema(
        summary=_("List indicators"),
        description=_("Every indicator with its targets and its national track status on `on` "
                      "(today by default). To sync, ask for `updated_since` the time of your "
                      "last sync (a change of a target changes its indicator)."),
        parameters=[ON_PARAMETER]),
    retrieve=extend_schema(summary=_("Read an indicator"), parameters=[ON_PARAMETER, ETAG]),
)
class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        # The breakdown units' and tasks' ids are read for the page (indicators_link_ids_read).
        return indicator_list_with_series(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else indicators_link_ids_read(page)

    def get_object(self):
        return indicators_link_ids_read([super().get_object()])[0]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["on"] = status_date(self.request)
        return context

    def retrieve(self, request, *args, **kwargs):
        indicator = self.get_object()
        return Response(self.get_serializer(indicator).data,
                        headers={"ETag": f'"{indicator.version}"'})
