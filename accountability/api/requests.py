"""Explanation requests: read within the client's scope (a unit its own and those under it;
leadership, the secretariat and administrators every one), asked, answered, closed and withdrawn
through accountability.services as the browser does, each step stating the version it was based
on (409 when stale)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from core.api import StrictIntegerField, VersionedStepsMixin, text_field
from core.ids import MAX_ID
from indicators.models import Indicator
from reports.models import ReportingPeriod
from tasks.models import Task
from units.api import UnitBriefSerializer
from units.models import Unit

from ..filters import ExplanationRequestFilter
from ..models import ExplanationRequest
from ..selectors import request_list_with_subjects
from ..services import (
    explanation_request_answer,
    explanation_request_close,
    explanation_request_create,
    explanation_request_withdraw,
)


class ExplanationRequestSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    period = serializers.SerializerMethodField(help_text=_("YYYY-MM, for a missing report."))
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    answered_by = serializers.CharField(source="answered_by.username", read_only=True,
                                        allow_null=True)
    ended_by = serializers.CharField(source="ended_by.username", read_only=True,
                                     allow_null=True)
    version = serializers.IntegerField(read_only=True, help_text=_(
        "Send it back with every step (or as If-Match); it is also the ETag."))

    class Meta:
        model = ExplanationRequest
        fields = ["id", "kind", "unit", "task", "period", "indicator", "message", "reply_by",
                  "state", "version", "requested_by", "requested_at", "escalated_at",
                  "reason", "remedy", "expected_on", "answered_by", "answered_at", "ended_by",
                  "ended_at", "end_note", "updated_at"]
        read_only_fields = fields

    def get_period(self, explanation) -> str | None:
        return explanation.period.key if explanation.period_id else None


def _id_field(help_text, required=False):
    return StrictIntegerField(min_value=1, max_value=MAX_ID, required=required,
                              help_text=help_text)


class AskSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExplanationRequest.Kind.choices)
    task = _id_field(_("The task (overdue, or whose report is missing)."))
    period = _id_field(_("The reporting period's id, for a missing report."))
    indicator = _id_field(_("The indicator off track."))
    unit = _id_field(_("The unit asked; by default the task's lead unit or the indicator's "
                       "responsible unit (needed for a missing report)."))
    message = text_field(max_length=4000, help_text=_("What the unit is to explain."))
    reply_by = serializers.DateField(required=False, help_text=_(
        "The date to answer by (by default, EXPLANATION_REPLY_DAYS from today)."))


class VersionSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, help_text=_(
        "The version of the request the step is based on."))


class ExplanationAnswerSerializer(VersionSerializer):
    reason = text_field(max_length=4000)
    remedy = text_field(max_length=4000)
    expected_on = serializers.DateField(help_text=_("The new expected date."))


class EndSerializer(VersionSerializer):
    note = text_field(required=False, blank=True, max_length=2000)


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description=_('Optional: the ETag read (e.g. "3"); it must be the `version` sent.'))
ETAG = OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200, 201],
                        description=_('The request\'s version, quoted (e.g. "3").'))
LOOKUPS = {"task": Task, "period": ReportingPeriod, "indicator": Indicator, "unit": Unit}


@extend_schema_view(
    list=extend_schema(summary=_("List explanation requests"), description=_(
        "A unit's client sees the requests to its unit and the units under it; leadership, "
        "the secretariat and administrators every one. To sync, ask for `updated_since` the "
        "time of your last sync.")),
    retrieve=extend_schema(summary=_("Read an explanation request"), parameters=[ETAG]),
    create=extend_schema(
        summary=_("Ask a unit to explain (leadership, secretariat)"),
        description=_("An overdue task, a missing report (task, period and unit) or an "
                      "indicator off track; refused when the subject does not stand today or "
                      "the unit was already asked and has not answered."),
        request=AskSerializer, responses={201: ExplanationRequestSerializer},
        parameters=[ETAG]),
)
class ExplanationRequestViewSet(VersionedStepsMixin, mixins.ListModelMixin,
                                mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    subject_name = "explanation"
    serializer_class = ExplanationRequestSerializer
    filterset_class = ExplanationRequestFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExplanationRequest.objects.none()
        return request_list_with_subjects(user=self.request.user)

    def _read(self, explanation, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=explanation.pk)
        return Response(self.get_serializer(fresh).data, status=status_code,
                        headers={"ETag": f'"{fresh.version}"'})

    def retrieve(self, request, *args, **kwargs):
        return self._read(self.get_object())

    def create(self, request, *args, **kwargs):
        incoming = AskSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        found, problems = {}, {}
        for name, model in LOOKUPS.items():
            if data.get(name) is None:
                found[name] = None
                continue
            found[name] = model.objects.filter(pk=data[name]).first()
            if found[name] is None:
                problems[name] = [ErrorDetail(_("There is no such object."),
                                              code="does_not_exist")]
        if problems:
            raise ValidationError(problems)
        explanation = explanation_request_create(
            actor=request.user, kind=data["kind"], message=data["message"],
            reply_by=data.get("reply_by"), **found)
        return self._read(explanation, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Answer for the unit asked (its leader)"),
                   request=ExplanationAnswerSerializer,
                   responses={200: ExplanationRequestSerializer}, parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(request, ExplanationAnswerSerializer, explanation_request_answer,
                          reason="reason", remedy="remedy", expected_on="expected_on")

    @extend_schema(summary=_("Accept the answer and close (requester, secretariat)"),
                   request=EndSerializer, responses={200: ExplanationRequestSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._end(request, explanation_request_close)

    @extend_schema(summary=_("Withdraw a request not yet answered (requester, secretariat)"),
                   request=EndSerializer, responses={200: ExplanationRequestSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._end(request, explanation_request_withdraw)

    def _end(self, request, service):
        incoming = EndSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = incoming.validated_data.get("note", "")
        return self._step(request, EndSerializer,
                          lambda **kw: service(note=note, **kw))
