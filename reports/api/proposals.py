"""The register of difficulties and proposals: read within the client's scope, each step taken
through reports.proposals.services as the browser takes it, stating the version it was based on
(409 when stale; also the ETag)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from core.api import (
    IdPagination,
    StrictCharField,
    StrictIntegerField,
    VersionedStepsMixin,
    expected_version,
    text_field,
)
from core.ids import MAX_ID
from units.api import UnitBriefSerializer
from units.models import Unit

from ..models import Proposal
from ..proposals.filters import ProposalFilter
from ..proposals.selectors import proposal_list_visible_to, with_overdue
from ..proposals.services import (
    proposal_address,
    proposal_answer,
    proposal_close,
    proposal_reopen,
    proposal_split,
    proposal_take_up,
)

#: A link: an http(s) address without spaces, or nothing.
LINK = r"^(https?://[^\x00-\x20\x7f]+)?$"


class ProposalSerializer(serializers.ModelSerializer):
    report = serializers.IntegerField(source="report_id", read_only=True)
    task = serializers.IntegerField(source="report.task_id", read_only=True)
    task_code = serializers.CharField(source="report.task.code", read_only=True)
    raised_by = UnitBriefSerializer(source="report.unit", read_only=True)
    period = serializers.CharField(source="report.period.key", read_only=True,
                                   help_text=_("The report's period, YYYY-MM."))
    addressee_unit = UnitBriefSerializer(read_only=True, allow_null=True)
    addressee = serializers.CharField(source="addressee_label", read_only=True, help_text=_(
        "Who must act, as people read it; empty while no one is addressed."))
    is_overdue = serializers.BooleanField(read_only=True, help_text=_(
        "Still open after the days set for an answer (PROPOSAL_ANSWER_DAYS)."))
    has_answer_file = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True, help_text=_(
        "Send it back with every step (or as If-Match); it is also the ETag."))
    # Empty until the item is addressed or answered: said so in the schema.
    addressee_kind = serializers.ChoiceField(
        choices=Proposal.AddresseeKind.choices, allow_blank=True, read_only=True,
        help_text=_("Empty while no one is addressed."))
    authority = serializers.ChoiceField(
        choices=Proposal.Authority.choices, allow_blank=True, read_only=True,
        help_text=_("Empty unless an authority is addressed."))
    answer_link = serializers.CharField(read_only=True, help_text=_(
        "The answering document's address; empty when there is none."))

    class Meta:
        model = Proposal
        fields = ["id", "report", "task", "task_code", "period", "raised_by", "kind",
                  "position", "text", "addressee_kind", "addressee_unit", "authority",
                  "authority_name", "addressee", "state", "received_at", "is_overdue",
                  "answer", "answer_document_number", "answer_document_date", "answer_link",
                  "has_answer_file", "answered_at", "closed_at", "note", "version",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_has_answer_file(self, item) -> bool:
        return bool(item.answer_file)


class VersionSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, help_text=_(
        "The version of the item the step is based on."))


class AddressSerializer(VersionSerializer):
    addressee_kind = serializers.ChoiceField(choices=Proposal.AddresseeKind.choices)
    unit = StrictIntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                              help_text=_("The unit that must act (for addressee_kind unit)."))
    authority = serializers.ChoiceField(choices=Proposal.Authority.choices, required=False)
    authority_name = text_field(required=False, blank=True, max_length=255)


class SplitSerializer(VersionSerializer):
    texts = serializers.ListField(child=text_field(), min_length=2, max_length=50, help_text=_(
        "The parts: the item keeps the first, each other becomes a new item."))


class NoteSerializer(VersionSerializer):
    note = text_field(required=False, blank=True)


class ProposalAnswerSerializer(VersionSerializer):
    answer = text_field()
    document_number = text_field(required=False, blank=True, max_length=100)
    document_date = serializers.DateField(required=False, allow_null=True)
    link = StrictCharField(
        required=False, allow_blank=True, max_length=500, trim_whitespace=False,
        validators=[RegexValidator(LINK, _("Give an http(s) address, or nothing."),
                                   code="invalid")],
        help_text=_("A link to the answering document (http or https)."))


class ReasonSerializer(VersionSerializer):
    reason = text_field(help_text=_("Why the item is handled again."))


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description=_('Optional: the ETag read (e.g. "3"); it must be the `version` sent.'))
ETAG = OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200],
                        description=_('The item\'s version, quoted (e.g. "3").'))


def _step_schema(summary, request):
    return extend_schema(summary=summary, request=request,
                         responses={200: ProposalSerializer}, parameters=[IF_MATCH, ETAG])


@extend_schema_view(
    list=extend_schema(summary=_("List difficulties and proposals"), description=_(
        "The items the client may read: every item for the secretariat, leadership and "
        "administrators; else those its unit (or one under it) raised or must answer. To "
        "sync, ask for `updated_since` the time of your last sync.")),
    retrieve=extend_schema(summary=_("Read a difficulty or proposal"), parameters=[ETAG]),
)
class ProposalViewSet(VersionedStepsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    subject_name = "item"
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    pagination_class = IdPagination
    http_method_names = ["get", "post", "head", "options"]
    service_field_names = {"document_date": "document_date"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Proposal.objects.none()
        return with_overdue(proposal_list_visible_to(user=self.request.user))

    def _read(self, item, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(fresh).data, status=status_code,
                        headers={"ETag": f'"{fresh.version}"'})

    def retrieve(self, request, *args, **kwargs):
        return self._read(self.get_object())

    @_step_schema(_("Say who must act (the raising unit or the secretariat)"), AddressSerializer)
    @action(detail=True, methods=["post"])
    def address(self, request, pk=None):
        item = self.get_object()
        incoming = AddressSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        expected = expected_version(request, data)
        unit = None
        if data.get("unit") is not None:
            unit = Unit.objects.filter(pk=data["unit"]).first()
            if unit is None:
                raise ValidationError({"unit": [ErrorDetail(_("There is no such unit."),
                                                            code="does_not_exist")]})
        proposal_address(item=item, actor=request.user, expected_version=expected,
                         addressee_kind=data["addressee_kind"], unit=unit,
                         authority=data.get("authority", ""),
                         authority_name=data.get("authority_name", ""))
        return self._read(item)

    @_step_schema(_("Split a received item into several"), SplitSerializer)
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        return self._step(request, SplitSerializer, proposal_split, texts="texts")

    @_step_schema(_("Start handling (the addressee)"), NoteSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        incoming = NoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        item = self.get_object()
        proposal_take_up(item=item, actor=request.user,
                         expected_version=expected_version(request, incoming.validated_data),
                         note=incoming.validated_data.get("note", ""))
        return self._read(item)

    @_step_schema(_("Answer (the addressee; the secretariat for an authority)"),
                  ProposalAnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        incoming = ProposalAnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        item = self.get_object()
        proposal_answer(item=item, actor=request.user,
                        expected_version=expected_version(request, data), answer=data["answer"],
                        document_number=data.get("document_number", ""),
                        document_date=data.get("document_date"), link=data.get("link", ""))
        return self._read(item)

    @_step_schema(_("Close (the secretariat)"), NoteSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        incoming = NoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        item = self.get_object()
        proposal_close(item=item, actor=request.user,
                       expected_version=expected_version(request, incoming.validated_data),
                       note=incoming.validated_data.get("note", ""))
        return self._read(item)

    @_step_schema(_("Reopen an answered or closed item (the secretariat)"), ReasonSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, ReasonSerializer, proposal_reopen, reason="reason")
