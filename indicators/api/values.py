"""Indicator values and their workflow: read within the client's scope, written through
indicators.services as the browser writes them, each write stating the version it was based on
(409 when stale), like progress reports."""

import math
from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from core.api import (
    RULE_CODE,
    Conflict,
    StrictCharField,
    StrictIntegerField,
    VersionedStepsMixin,
    expected_version,
    text_field,
)
from core.ids import MAX_ID
from units.api import UnitBriefSerializer
from units.selectors import unit_list_visible_to

from ..filters import IndicatorValueFilter
from ..models import IndicatorValue
from ..periods import PERIOD_PATTERN, period_key, period_parse
from ..selectors import indicator_list_visible_to, value_list_visible_to
from ..services import (
    indicator_value_approve,
    indicator_value_reopen,
    indicator_value_return,
    indicator_value_save,
    indicator_value_submit,
)

#: An evidence link: an http(s) address without spaces, or nothing.
EVIDENCE_LINK = r"^(https?://[^\s\x00]+)?$"


class IndicatorValueSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True, allow_null=True,
                               help_text=_("Null for the national figure."))
    period = serializers.SerializerMethodField(help_text=_("YYYY-MM, YYYY-Qn or YYYY."))
    value = serializers.FloatField()
    evidence_link = serializers.CharField(read_only=True, help_text=_(
        "A link to the published figure, or empty."))
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True,
                                         allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True,
                                       allow_null=True)
    version = serializers.IntegerField(read_only=True, help_text=_(
        "Send it back with every change (or as If-Match); it is also the ETag."))

    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "unit", "period", "period_end", "value", "is_final",
                  "source_note", "evidence_link", "evidence_note", "state", "version",
                  "return_comment", "reopen_reason", "created_by", "created_at",
                  "submitted_by", "submitted_at", "decided_by", "decided_at", "updated_at"]
        read_only_fields = fields

    def get_period(self, value) -> str:
        return period_key(value.indicator.frequency, value.period_end)


class FigureField(serializers.FloatField):
    """A JSON number, kept to three decimals (as the figure is stored)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -99_999_999_999)
        kwargs.setdefault("max_value", 99_999_999_999)
        kwargs.setdefault("help_text", _("The figure (three decimals are kept)."))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | bool):
            self.fail("invalid")
        number = super().to_internal_value(data)
        if not math.isfinite(number):
            self.fail("invalid")
        return Decimal(f"{number:.3f}")


class ValueContentSerializer(serializers.Serializer):
    value = FigureField(required=False)
    is_final = serializers.BooleanField(required=False)
    source_note = text_field(required=False, blank=True,
                             help_text=_("Where the figure comes from (needed to submit)."))
    evidence_link = StrictCharField(
        required=False, allow_blank=True, max_length=500, trim_whitespace=False,
        validators=[RegexValidator(EVIDENCE_LINK, _("Give an http(s) address, or nothing."),
                                   code="invalid")],
        help_text=_("A link to the published figure (http or https)."))
    evidence_note = text_field(required=False, blank=True)
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Submit to the leader once saved."))


class ValueCreateSerializer(ValueContentSerializer):
    value = FigureField()
    indicator = StrictIntegerField(min_value=1, max_value=MAX_ID)
    unit = StrictIntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                              help_text=_("A unit of the breakdown; leave it out for the "
                                          "national figure."))
    period = StrictCharField(validators=[RegexValidator(PERIOD_PATTERN, _(
        "Write the period as YYYY-MM, YYYY-Qn or YYYY."), code="invalid")], help_text=_(
        "The period measured, as the indicator's frequency writes it: YYYY-MM, YYYY-Qn, YYYY."))


class ValueVersionSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, help_text=_(
        "The version of the value the change is based on."))


class ValueUpdateSerializer(ValueVersionSerializer, ValueContentSerializer):
    pass


class ValueReturnSerializer(ValueVersionSerializer):
    comment = text_field(help_text=_("What must be corrected."))


class ValueReopenSerializer(ValueVersionSerializer):
    reason = text_field(help_text=_("Why the approved value is revised."))


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description=_('Optional: the ETag read (e.g. "3"); it must be the `version` sent.'))
ETAG = OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200, 201],
                        description=_('The value\'s version, quoted (e.g. "3").'))
CONTENT = ("value", "is_final", "source_note", "evidence_link", "evidence_note")


@extend_schema_view(
    list=extend_schema(summary=_("List indicator values"), description=_(
        "Approved values for every client; those on their way for the reporting unit's scope "
        "(every value for the secretariat, leadership and administrators). To sync, ask for "
        "`updated_since` the time of your last sync.")),
    retrieve=extend_schema(summary=_("Read an indicator value"), parameters=[ETAG]),
    create=extend_schema(
        summary=_("Enter a value as a draft (and submit it)"),
        description=_("For a reporter or leader of the reporting unit: the responsible unit "
                      "for the national figure, the unit for a breakdown value. One value per "
                      "indicator, unit and period: 409 if it exists (change it instead)."),
        request=ValueCreateSerializer, responses={201: IndicatorValueSerializer},
        parameters=[ETAG]),
    partial_update=extend_schema(
        summary=_("Change a draft or returned value"), request=ValueUpdateSerializer,
        responses={200: IndicatorValueSerializer}, parameters=[IF_MATCH, ETAG]),
)
class IndicatorValueViewSet(VersionedStepsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    subject_name = "value"
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    service_field_names = {"return_comment": "comment", "reopen_reason": "reason",
                           "period_end": "period"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IndicatorValue.objects.none()
        return value_list_visible_to(user=self.request.user).select_related(
            "indicator__responsible_unit", "unit", "created_by", "submitted_by", "decided_by")

    def _read(self, value, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=value.pk)
        return Response(self.get_serializer(fresh).data, status=status_code,
                        headers={"ETag": f'"{fresh.version}"'})

    def retrieve(self, request, *args, **kwargs):
        return self._read(self.get_object())

    def _save(self, *, indicator, unit, period_end, expected_version, data):
        saved = indicator_value_save(
            actor=self.request.user, indicator=indicator, unit=unit, period_end=period_end,
            expected_version=expected_version,
            fields={name: data[name] for name in CONTENT if name in data},
            submit=data.get("submit", False))
        if saved.submit_errors is not None:
            raise saved.submit_errors
        return saved.value

    def create(self, request, *args, **kwargs):
        incoming = ValueCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        indicator = (indicator_list_visible_to(user=request.user)
                     .select_related("responsible_unit").filter(pk=data["indicator"]).first())
        unit = None
        if data.get("unit") is not None:
            unit = unit_list_visible_to(user=request.user).filter(pk=data["unit"]).first()
        period_end = period_parse(indicator.frequency, data["period"]) if indicator else None
        problems = {}
        if indicator is None:
            problems["indicator"] = _("There is no such indicator.")
        if data.get("unit") is not None and unit is None:
            problems["unit"] = _("There is no such unit in your scope.")
        if indicator is not None and period_end is None:
            problems["period"] = _("This is not a period the indicator is measured in.")
        if problems:
            raise ValidationError({name: [ErrorDetail(message, code="does_not_exist"
                                                      if name != "period" else RULE_CODE)]
                                   for name, message in problems.items()})
        existing = IndicatorValue.objects.filter(indicator=indicator, unit=unit,
                                                 period_end=period_end).first()
        if existing is not None:
            raise Conflict(_("This figure has been entered already (id %(id)s): change that "
                             "one.") % {"id": existing.pk})
        value = self._save(indicator=indicator, unit=unit, period_end=period_end,
                           expected_version=0, data=data)
        return self._read(value, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        value = self.get_object()
        incoming = ValueUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        expected = expected_version(request, incoming.validated_data)
        self._save(indicator=value.indicator, unit=value.unit, period_end=value.period_end,
                   expected_version=expected, data=incoming.validated_data)
        return self._read(value)

    @extend_schema(summary=_("Submit a value to the unit's leader"), request=ValueVersionSerializer,
                   responses={200: IndicatorValueSerializer}, parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, ValueVersionSerializer, indicator_value_submit)

    @extend_schema(summary=_("Approve a submitted value (the unit's leader)"),
                   request=ValueVersionSerializer, responses={200: IndicatorValueSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, ValueVersionSerializer, indicator_value_approve)

    @extend_schema(summary=_("Return a submitted value for correction (the unit's leader)"),
                   request=ValueReturnSerializer, responses={200: IndicatorValueSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"], url_path="return")
    def return_value(self, request, pk=None):
        return self._step(request, ValueReturnSerializer, indicator_value_return, comment="comment")

    @extend_schema(summary=_("Reopen an approved value for revision (programme secretariat)"),
                   request=ValueReopenSerializer, responses={200: IndicatorValueSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, ValueReopenSerializer, indicator_value_reopen, reason="reason")
