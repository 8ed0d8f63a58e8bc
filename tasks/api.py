"""REST API of the tasks app: resolutions, task groups, tasks, outputs and the status counts.

Reads are scoped as in the browser (tasks.selectors); writes go through tasks.services and are
for the programme secretariat (tasks.permissions).
"""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response

from units.api import UnitBriefSerializer
from units.api_base import (
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    text_field,
    validation_error_from,
)
from units.authentication import view_handles
from units.models import Unit

from .deadlines import DeadlineKind
from .filters import OutputFilter, ResolutionFilter, TaskApiFilter, TaskGroupFilter
from .models import Authority, DeadlineChange, Output, Resolution, Task, TaskGroup
from .permissions import can_manage_tasks
from .rules import Clarity, StatusClass, task_clarity_gaps
from .selectors import task_annotate_status, task_list_visible_to, task_status_counts
from .services import (
    output_add,
    output_record_issue,
    output_update,
    task_change_deadline,
    task_create,
    task_update,
)

ON_PARAMETER = OpenApiParameter(
    "on", OpenApiTypes.DATE, description=_("The day the status classes are computed for "
                                           "(YYYY-MM-DD); today by default."))


def status_date(request) -> date:
    """The `on` query parameter (YYYY-MM-DD), or today."""
    raw = request.query_params.get("on")
    if raw is None:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else date.fromisoformat("x")
    except ValueError:
        raise ValidationError({"on": [ErrorDetail(_("Write the date as YYYY-MM-DD."),
                                                  code="invalid")]}) from None


class CanManageTasks(permissions.BasePermission):
    """Reading is for everyone in scope; writing is for the programme secretariat."""

    message = _("Only the programme secretariat manages tasks.")

    def has_permission(self, request, view):
        return (request.method in permissions.SAFE_METHODS or not view_handles(view, request)
                or can_manage_tasks(request.user))


class ScopedViewSetMixin:
    """get_queryset from the view's scoped_queryset(); an empty one while the schema is made."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return self.serializer_class.Meta.model.objects.none()
        return self.scoped_queryset()


# --- Resolutions and groups ---------------------------------------------------------------------


class ResolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resolution
        fields = ["id", "number", "kind", "issuer", "title", "title_en", "issued_on",
                  "implements", "is_tracked", "note", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List resolutions and programmes",
                       description="Every resolution, programme and plan (the chain of "
                                   "documents: `implements` names the one it implements)."),
    retrieve=extend_schema(summary="Read a resolution"),
)
class ResolutionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResolutionSerializer
    filterset_class = ResolutionFilter

    def scoped_queryset(self):
        return Resolution.objects.all()


class TaskGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskGroup
        fields = ["id", "resolution", "number", "name", "name_en", "updated_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="List task groups"),
    retrieve=extend_schema(summary="Read a task group"),
)
class TaskGroupViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskGroupSerializer
    filterset_class = TaskGroupFilter

    def scoped_queryset(self):
        return TaskGroup.objects.all()


# --- Tasks --------------------------------------------------------------------------------------


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    date = serializers.DateField(
        allow_null=True, help_text=_("The last day of the period; for a recurring task, its "
                                     "first due date; null when ongoing or not specified."))
    text = serializers.CharField(help_text=_("As the programme wrote it (may be empty)."))
    display = serializers.CharField(help_text=_("As shown to people, in the client's language."))


def _deadline(kind, due, text, display) -> dict:
    return {"kind": kind, "date": due, "text": text, "display": display}


class DeadlineChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(source="changed_by.username", read_only=True)

    class Meta:
        model = DeadlineChange
        fields = ["id", "old_kind", "old_deadline", "old_text", "new_kind", "new_deadline",
                  "new_text", "decision_number", "decision_date", "decision_authority", "reason",
                  "changed_by", "changed_at"]
        read_only_fields = fields


class OutputBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Output
        fields = ["id", "kind", "title", "document_number", "issued_on", "position"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    lead_unit = UnitBriefSerializer(read_only=True)
    coordinating_units = UnitBriefSerializer(many=True, read_only=True)
    deadline = serializers.SerializerMethodField()
    original_deadline = serializers.SerializerMethodField()
    status_class = serializers.ChoiceField(
        choices=StatusClass.choices, read_only=True,
        help_text=_("The Government Office's class on the day asked for (`on`), computed."))
    status_on = serializers.SerializerMethodField(help_text=_("The day of `status_class`."))
    current_due = serializers.DateField(
        read_only=True, allow_null=True,
        help_text=_("The due date that matters on that day (a recurring task's current "
                    "occurrence); null when undated."))
    missed_due = serializers.DateField(
        read_only=True, allow_null=True,
        help_text=_("For an overdue task, the due date it missed; otherwise null."))
    clarity_gaps = serializers.SerializerMethodField(
        help_text=_("The six clarities the task lacks; empty when it is six-clear."))
    competent_authority = serializers.ChoiceField(
        choices=Authority.choices, allow_blank=True, read_only=True,
        help_text=_("Who approves or issues the product; empty when not yet clear."))
    outputs = OutputBriefSerializer(many=True, read_only=True)
    deadline_changes = DeadlineChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "code", "title", "title_en", "description", "resolution", "group",
                  "lead_unit", "coordinating_units", "competent_authority",
                  "responsible_official", "deadline", "original_deadline", "completed_on",
                  "status_class", "status_on", "current_due", "missed_due", "clarity_gaps",
                  "outputs", "deadline_changes", "is_illustrative", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(DeadlineSerializer)
    def get_deadline(self, task) -> dict:
        return _deadline(task.deadline_kind, task.deadline, task.deadline_text,
                         task.deadline_display)

    @extend_schema_field(DeadlineSerializer(help_text=_("As first set; changed only by "
                                                        "decision (see deadline_changes).")))
    def get_original_deadline(self, task) -> dict:
        return _deadline(task.original_deadline_kind, task.original_deadline,
                         task.original_deadline_text, task.original_deadline_display)

    def get_status_on(self, task) -> date:
        return self.context["on"]

    @extend_schema_field(serializers.ListField(
        child=serializers.ChoiceField(choices=Clarity.choices)))
    def get_clarity_gaps(self, task) -> list[str]:
        return [str(gap) for gap in task_clarity_gaps(task=task)]


class OutputPromiseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Output.Kind.choices)
    title = text_field(help_text=_("The product promised, e.g. the decree's title."))


class TaskCreateSerializer(serializers.Serializer):
    group = StrictPrimaryKeyRelatedField(queryset=TaskGroup.objects.all(),
                                               help_text=_("The task group's id."))
    code = text_field(max_length=20, help_text=_("Unique within the resolution, e.g. 2.5."))
    title = text_field()
    title_en = text_field(required=False, blank=True)
    description = text_field(required=False, blank=True)
    lead_unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.all(),
                                                   help_text=_("The lead unit's id."))
    coordinating_units = StrictPrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False,
        help_text=_("The coordinating units' ids."))
    competent_authority = serializers.ChoiceField(choices=Authority.choices, required=False,
                                                  allow_blank=True)
    responsible_official = text_field(required=False, blank=True, max_length=255)
    deadline_text = text_field(
        required=False, blank=True, max_length=255,
        help_text=_('The deadline as the programme writes it: "30/10/2025", "Tháng 12/2025", '
                    '"Quý IV/2025", "Năm 2026", "Hằng năm, từ năm 2026", "Thường xuyên"; '
                    "empty when not specified."))
    outputs = OutputPromiseSerializer(many=True, required=False,
                                      help_text=_("The outputs (products) the task promises."))


class TaskUpdateSerializer(serializers.Serializer):
    """Every field is optional: only those sent change. The deadline changes only by decision
    (change-deadline)."""

    group = StrictPrimaryKeyRelatedField(queryset=TaskGroup.objects.all(), required=False)
    code = text_field(required=False, max_length=20)
    title = text_field(required=False)
    title_en = text_field(required=False, blank=True)
    description = text_field(required=False, blank=True)
    lead_unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    coordinating_units = StrictPrimaryKeyRelatedField(queryset=Unit.objects.all(),
                                                            many=True, required=False)
    competent_authority = serializers.ChoiceField(choices=Authority.choices, required=False,
                                                  allow_blank=True)
    responsible_official = text_field(required=False, blank=True, max_length=255)


class DeadlineChangeRequestSerializer(serializers.Serializer):
    deadline_text = text_field(blank=True, max_length=255,
                               help_text=_("The new deadline, as the decision writes it."))
    decision_number = text_field(max_length=100,
                                 help_text=_("The number of the decision that allows it."))
    decision_date = serializers.DateField()
    decision_authority = serializers.ChoiceField(choices=Authority.choices,
                                                 help_text=_("Who made the decision."))
    reason = text_field(required=False, blank=True)


TASK_EXAMPLE = OpenApiExample(
    "A new task", request_only=True,
    value={"group": 2, "code": "2.5", "title": "Xây dựng Thông tư hướng dẫn chức năng, nhiệm vụ "
           "của trạm y tế cấp xã", "lead_unit": 12, "coordinating_units": [31, 40],
           "competent_authority": "minister", "responsible_official": "Thứ trưởng phụ trách",
           "deadline_text": "Quý IV/2025",
           "outputs": [{"kind": "circular", "title": "Thông tư hướng dẫn"}]})


def _service_errors(error, rename=None):
    return validation_error_from(error, rename=rename)


@extend_schema_view(
    list=extend_schema(
        summary="List tasks",
        description="The tasks the client may see (its unit's and the units under it, as lead or "
                    "coordinating unit; every task for the secretariat, leadership and "
                    "administrators), each with its status class on the day `on`. Filters are "
                    "the browser's task list's. To sync, ask for `updated_since` the time of your "
                    "last sync; status classes change with the date, not only with edits.",
        parameters=[ON_PARAMETER]),
    retrieve=extend_schema(summary="Read a task", parameters=[ON_PARAMETER]),
    create=extend_schema(summary="Create a task (programme secretariat)",
                         request=TaskCreateSerializer, responses={201: TaskSerializer},
                         examples=[TASK_EXAMPLE]),
    partial_update=extend_schema(summary="Change a task (programme secretariat)",
                                 request=TaskUpdateSerializer, responses={200: TaskSerializer}),
)
class TaskViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskApiFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return [*super().get_permissions(), CanManageTasks()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": self.status_on}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.status_on = status_date(request)

    def scoped_queryset(self):
        return task_annotate_status(
            task_list_visible_to(user=self.request.user)
            .select_related("lead_unit")
            .prefetch_related(
                "lead_unit__members", "coordinating_units",
                Prefetch("outputs", queryset=Output.objects.order_by("position", "id")),
                Prefetch("deadline_changes",
                         queryset=DeadlineChange.objects.select_related("changed_by")),
            ),
            on=self.status_on)

    def _read(self, task, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        incoming = TaskCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        outputs = [(row["kind"], row["title"]) for row in data.pop("outputs", [])]
        try:
            task = task_create(actor=request.user, outputs=outputs, **data)
        except DjangoValidationError as error:
            raise _service_errors(error, {"deadline": "deadline_text"}) from error
        return self._read(task, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        incoming = TaskUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            task_update(task=task, actor=request.user, **incoming.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return self._read(task)

    @extend_schema(summary="Change a task's deadline by decision (programme secretariat)",
                   description="The original deadline stays on the task; the change records "
                               "the old and new deadline, the decision, who and when.",
                   request=DeadlineChangeRequestSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="change-deadline")
    def change_deadline(self, request, pk=None):
        task = self.get_object()
        incoming = DeadlineChangeRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            task_change_deadline(task=task, actor=request.user, **incoming.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error, {"deadline": "deadline_text"}) from error
        return self._read(task)


# --- Outputs ------------------------------------------------------------------------------------


class OutputSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField(
        help_text=_("Whether the issued document's file is stored (downloaded in the browser)."))

    class Meta:
        model = Output
        fields = ["id", "task", "kind", "title", "document_number", "issued_on", "has_file",
                  "position", "created_at", "updated_at"]
        read_only_fields = fields

    def get_has_file(self, output) -> bool:
        return bool(output.file)


class OutputCreateSerializer(serializers.Serializer):
    task = StrictPrimaryKeyRelatedField(queryset=Task.objects.all(),
                                              help_text=_("The task's id."))
    kind = serializers.ChoiceField(choices=Output.Kind.choices)
    title = text_field()
    position = StrictIntegerField(required=False, min_value=0, max_value=32767,
                                        help_text=_("Order among the task's outputs; after the "
                                                    "others by default."))


class OutputUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Output.Kind.choices, required=False)
    title = text_field(required=False)
    position = StrictIntegerField(required=False, min_value=0, max_value=32767)


class OutputIssueSerializer(serializers.Serializer):
    document_number = text_field(max_length=100)
    issued_on = serializers.DateField()


@extend_schema_view(
    list=extend_schema(summary="List outputs",
                       description="The outputs (products) of the tasks the client may see."),
    retrieve=extend_schema(summary="Read an output"),
    create=extend_schema(summary="Add an output to a task (programme secretariat)",
                         request=OutputCreateSerializer, responses={201: OutputSerializer}),
    partial_update=extend_schema(summary="Change an output (programme secretariat)",
                                 request=OutputUpdateSerializer,
                                 responses={200: OutputSerializer}),
)
class OutputViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = OutputSerializer
    filterset_class = OutputFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return [*super().get_permissions(), CanManageTasks()]

    def scoped_queryset(self):
        return Output.objects.filter(task__in=task_list_visible_to(user=self.request.user))

    def create(self, request, *args, **kwargs):
        incoming = OutputCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            output = output_add(actor=request.user, **incoming.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(OutputSerializer(output).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        output = self.get_object()
        incoming = OutputUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            output_update(output=output, actor=request.user, **incoming.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(OutputSerializer(output).data)

    @extend_schema(summary="Record the document that fulfils an output (programme secretariat)",
                   description="Usually recorded when the lead unit's report saying it was "
                               "issued is approved; this records it directly.",
                   request=OutputIssueSerializer, responses={200: OutputSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        output = self.get_object()
        incoming = OutputIssueSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            output_record_issue(output=output, actor=request.user, **incoming.validated_data)
        except DjangoValidationError as error:
            raise _service_errors(error) from error
        return Response(OutputSerializer(output).data)


# --- The headline figures -----------------------------------------------------------------------


def _per_class(name, field_class):
    """A serializer with one field per status class (so the schema names all four)."""
    fields = {value: field_class(help_text=label) for value, label in StatusClass.choices}
    return type(name, (serializers.Serializer,), fields)


@extend_schema_serializer(many=False)
class TaskStatusCountsSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("The day the classes are computed for."))
    total = serializers.IntegerField(help_text=_("Tasks counted (after the filters)."))
    counts = _per_class("StatusClassCountsSerializer", serializers.IntegerField)(
        help_text=_("Tasks in each class."))
    percentages = _per_class("StatusClassPercentagesSerializer", serializers.FloatField)(
        help_text=_("Each class's share of the total, in percent, to one decimal."))


@extend_schema_view(list=extend_schema(
    summary="Status counts (the dashboard's headline figures)",
    description="How many of the tasks the client may see (after the same filters as the task "
                "list) are in each of the Government Office's four status classes on the day "
                "`on`, and their percentages.",
    parameters=[ON_PARAMETER], responses={200: TaskStatusCountsSerializer}))
class StatsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer  # the filters' model; the response is the counts
    filterset_class = TaskApiFilter
    pagination_class = None

    def scoped_queryset(self):
        return task_annotate_status(task_list_visible_to(user=self.request.user),
                                    on=self.status_on)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.status_on = status_date(request)

    def list(self, request, *args, **kwargs):
        tasks = self.filter_queryset(self.get_queryset())
        counts = task_status_counts(tasks=tasks, on=self.status_on)
        return Response(TaskStatusCountsSerializer(counts).data)
