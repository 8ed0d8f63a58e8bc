"""Progress reports and their workflow: read within the client's scope, written through
reports.services exactly as the browser writes them, each write stating the version it was based
on (409 when stale). What the services refuse is answered by config/api_errors.py."""

from django.core.validators import RegexValidator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from core.api import (
    RULE_CODE,
    Conflict,
    IdPagination,
    StrictCharField,
    StrictIntegerField,
    VersionedStepsMixin,
    expected_version,
    text_field,
)
from core.ids import MAX_ID
from tasks.selectors import task_list_visible_to
from units.api import UnitBriefSerializer
from units.selectors import unit_list_visible_to

from ..filters import PERIOD_KEY, ProgressReportFilter
from ..models import EvidenceFile, OutputProgress, ProgressReport
from ..selectors import report_list_visible_to
from ..services import (
    EDITABLE_FIELDS,
    progress_report_approve,
    progress_report_reopen,
    progress_report_return,
    progress_report_save,
    progress_report_submit,
)
from .periods import period_from_key


class OutputProgressSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = OutputProgress
        fields = ["output", "status", "document_number", "issued_on", "has_file", "note"]
        read_only_fields = fields

    def get_has_file(self, progress) -> bool:
        return bool(progress.file)


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class ProgressReportSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    period = serializers.CharField(source="period.key", read_only=True,
                                   help_text=_("YYYY-MM"))
    is_lead_report = serializers.BooleanField(
        read_only=True, help_text=_("Whether the unit reports as the task's lead."))
    # Prefetched into plain lists (ProgressReportViewSet.get_queryset).
    outputs = OutputProgressSerializer(source="output_progress_list", many=True, read_only=True)
    evidence = EvidenceSerializer(source="evidence_list", many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True,
                                         allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True,
                                       allow_null=True)
    version = serializers.IntegerField(
        read_only=True, help_text=_("Send it back with every change (or as "
                                    "If-Match); it is also the ETag."))

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "unit", "period", "is_lead_report", "state", "version",
                  "percent_complete", "progress_status", "results", "difficulties", "proposals",
                  "next_steps", "completion_date", "outputs", "evidence", "return_comment",
                  "reopen_reason", "created_by", "created_at", "submitted_by", "submitted_at",
                  "decided_by", "decided_at", "updated_at"]
        read_only_fields = fields


class OutputProgressInputSerializer(serializers.Serializer):
    output = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text=_(
        "The id of one of the task's outputs."))
    status = serializers.ChoiceField(choices=OutputProgress.Status.choices)
    document_number = text_field(required=False, blank=True, max_length=100)
    issued_on = serializers.DateField(required=False, allow_null=True)
    note = text_field(required=False, blank=True)

    def validate(self, data):
        if data["status"] == OutputProgress.Status.ISSUED:
            errors = {}
            if not data.get("issued_on"):
                errors["issued_on"] = [ErrorDetail(_("Give the date the document was issued."),
                                                   code=RULE_CODE)]
            if not data.get("document_number", "").strip():
                errors["document_number"] = [ErrorDetail(
                    _("Give the number of the issued document."), code=RULE_CODE)]
            if errors:
                raise ValidationError(errors)
        return data


class ReportContentSerializer(serializers.Serializer):
    """The content of a report; on a change, only the fields sent change."""

    percent_complete = StrictIntegerField(required=False, min_value=0, max_value=100)
    progress_status = serializers.ChoiceField(choices=ProgressReport.ProgressStatus.choices,
                                              required=False)
    results = text_field(required=False, blank=True,
                         help_text=_("Results achieved in the period (needed to "
                                     "submit)."))
    difficulties = text_field(required=False, blank=True)
    proposals = text_field(required=False, blank=True)
    next_steps = text_field(required=False, blank=True)
    completion_date = serializers.DateField(
        required=False, allow_null=True,
        help_text=_("Only, and always, when progress_status is completed."))
    outputs = OutputProgressInputSerializer(
        many=True, required=False,
        help_text=_("The state of the task's outputs as of this report."))


class ReportCreateSerializer(ReportContentSerializer):
    task = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text=_("The task's id."))
    unit = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text=_(
        "The reporting unit's id: the lead unit, a coordinating unit, or a member of a "
        "collective one, within the client's scope."))
    period = StrictCharField(
        validators=[RegexValidator(PERIOD_KEY, _("Write the period as YYYY-MM."),
                                   code="invalid")],
        help_text=_("The reporting period, YYYY-MM (see /periods/)."))


class VersionSerializer(serializers.Serializer):
    version = StrictIntegerField(min_value=1, help_text=_(
        "The version of the report the change is based on."))


class ReportUpdateSerializer(VersionSerializer, ReportContentSerializer):
    pass


class ReturnSerializer(VersionSerializer):
    comment = text_field(help_text=_("What must be corrected."))


class ReopenSerializer(VersionSerializer):
    reason = text_field(help_text=_("Why the approved report is reopened."))


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description=_('Optional: the ETag read (e.g. "3"); it must be the `version` sent, and '
                  "the report's current one."))
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=[200, 201],
    description=_('The report\'s version, quoted (e.g. "3").'))

REPORT_EXAMPLE = OpenApiExample(
    "A draft", summary=_("A draft"), request_only=True,
    value={"task": 42, "unit": 12, "period": "2025-11", "percent_complete": 60,
           "progress_status": "on_track",
           "results": "Đã hoàn thành dự thảo Thông tư, gửi lấy ý kiến các bộ, ngành.",
           "difficulties": "", "proposals": "", "next_steps": "Tổng hợp ý kiến góp ý.",
           "outputs": [{"output": 7, "status": "drafting"}]})


@extend_schema_view(
    list=extend_schema(
        summary=_("List progress reports"),
        description=_("The reports the client may read: its unit's and the units' under it, and "
                      "those of the coordinating units on tasks it leads (every report for the "
                      "secretariat, leadership and administrators). To sync, ask for "
                      "`updated_since` the time of your last sync.")),
    retrieve=extend_schema(summary=_("Read a progress report"), parameters=[ETAG]),
    create=extend_schema(
        summary=_("Write a new report as a draft"),
        description=_("For a reporter or leader of the reporting unit (or a unit above it), like "
                      "the browser's report page. One report per task, unit and period: if it "
                      "exists already, 409 (change it instead)."),
        request=ReportCreateSerializer, responses={201: ProgressReportSerializer},
        parameters=[ETAG], examples=[REPORT_EXAMPLE]),
    partial_update=extend_schema(
        summary=_("Change a draft or returned report"),
        request=ReportUpdateSerializer, responses={200: ProgressReportSerializer},
        parameters=[IF_MATCH, ETAG]),
)
class ProgressReportViewSet(VersionedStepsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    subject_name = "report"
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    pagination_class = IdPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    #: The API's names of the services' fields, for their ValidationErrors.
    service_field_names = {"return_comment": "comment", "reopen_reason": "reason"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgressReport.objects.none()
        # The task, its lead and the people are the same few for many reports: prefetched,
        # each is read once (joined, every row carried them in full); the related lists go
        # into plain lists (to_attr): a related manager per report costs more than a query.
        return (report_list_visible_to(user=self.request.user)
                .select_related("unit", "period")
                .prefetch_related(
                    "task__lead_unit__members", "created_by", "submitted_by", "decided_by",
                    Prefetch("output_progress", queryset=OutputProgress.objects.all(),
                             to_attr="output_progress_list"),
                    Prefetch("evidence", queryset=EvidenceFile.objects.all(),
                             to_attr="evidence_list")))

    def _read(self, report, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(fresh).data, status=status_code,
                        headers={"ETag": f'"{fresh.version}"'})

    def retrieve(self, request, *args, **kwargs):
        return self._read(self.get_object())

    def _write(self, *, task, unit, period, expected_version, data) -> ProgressReport:
        return progress_report_save(
            actor=self.request.user, task=task, unit=unit, period=period,
            expected_version=expected_version,
            fields={name: value for name, value in data.items() if name in EDITABLE_FIELDS},
            outputs=data.get("outputs", ())).report

    def create(self, request, *args, **kwargs):
        incoming = ReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user = request.user
        task = task_list_visible_to(user=user).filter(pk=data["task"]).first()
        unit = unit_list_visible_to(user=user).filter(pk=data["unit"]).first()
        period = period_from_key(data["period"])
        not_found = {name: [ErrorDetail(message, code="does_not_exist")]
                     for name, found, message in (
                         ("task", task, _("There is no such task in your scope.")),
                         ("unit", unit, _("There is no such unit in your scope.")),
                         ("period", period, _("There is no such reporting period.")))
                     if found is None}
        if not_found:
            raise ValidationError(not_found)
        existing = ProgressReport.objects.filter(task=task, unit=unit, period=period).first()
        if existing is not None:
            raise Conflict(_("This unit already has a report on this task for this period "
                             "(id %(id)s): change that one.") % {"id": existing.pk})
        # Version 0 matches no report: if another writer creates it first, this one is refused.
        report = self._write(task=task, unit=unit, period=period, expected_version=0, data=data)
        return self._read(report, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        incoming = ReportUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        expected = expected_version(request, incoming.validated_data)
        self._write(task=report.task, unit=report.unit, period=report.period,
                    expected_version=expected, data=incoming.validated_data)
        return self._read(report)

    @extend_schema(summary=_("Submit a report to the unit's leader"),
                   description=_("A draft or returned report; it must be complete (results, and "
                                 "for a completed task the issued document of every output): "
                                 "what is missing is named in `fields`."),
                   request=VersionSerializer, responses={200: ProgressReportSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, VersionSerializer, progress_report_submit)

    @extend_schema(summary=_("Approve a submitted report (the unit's leader)"),
                   description=_("Approving locks the report; when it is the lead unit's and says "
                                 "completed, the task's completion is recorded."),
                   request=VersionSerializer, responses={200: ProgressReportSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, VersionSerializer, progress_report_approve)

    @extend_schema(summary=_("Return a submitted report for correction (the unit's leader)"),
                   request=ReturnSerializer, responses={200: ProgressReportSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        return self._step(request, ReturnSerializer, progress_report_return, comment="comment")

    @extend_schema(summary=_("Reopen an approved report for correction (programme secretariat)"),
                   request=ReopenSerializer, responses={200: ProgressReportSerializer},
                   parameters=[IF_MATCH, ETAG])
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(request, ReopenSerializer, progress_report_reopen, reason="reason")
