"""Tasks: read within the client's scope with their status class; written by the programme
secretariat through tasks.services (a deadline only by decision)."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import (
    IdPagination,
    StrictPrimaryKeyRelatedField,
    text_field,
    validation_error_from,
)
from units.api import UnitBriefSerializer
from units.models import Unit

from ..deadlines import DeadlineKind
from ..facts import task_annotate_facts
from ..filters import TaskApiFilter
from ..models import Authority, DeadlineChange, Output, Task, TaskGroup
from ..rules import Clarity, StatusClass
from ..selectors import task_list_visible_to
from ..services import task_change_deadline, task_create, task_update
from .common import (
    ON_PARAMETER,
    CanManageTasks,
    ScopedViewSetMixin,
    run_service,
    status_date,
)

#: The services call the deadline as written "deadline"; the API calls it "deadline_text".
DEADLINE_FIELD = {"deadline": "deadline_text"}

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
    # The related lists are prefetched into plain lists (TaskViewSet.scoped_queryset).
    coordinating_units = UnitBriefSerializer(source="coordinating_list", many=True,
                                             read_only=True)
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
    outputs = OutputBriefSerializer(source="output_list", many=True, read_only=True)
    deadline_changes = DeadlineChangeSerializer(source="deadline_change_list", many=True,
                                                read_only=True)
    implements = serializers.IntegerField(
        source="implements_id", read_only=True, allow_null=True,
        help_text=_("The id of the task of the programme above that this task of a plan "
                    "implements; null when none."))
    implemented_by = serializers.SerializerMethodField(
        help_text=_("The ids of the tasks of plans that implement this task (those the client "
                    "may see)."))

    class Meta:
        model = Task
        fields = ["id", "code", "title", "title_en", "description", "resolution", "group",
                  "lead_unit", "coordinating_units", "competent_authority",
                  "responsible_official", "deadline", "original_deadline", "completed_on",
                  "status_class", "status_on", "current_due", "missed_due", "clarity_gaps",
                  "outputs", "deadline_changes", "implements", "implemented_by",
                  "is_illustrative", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_implemented_by(self, task) -> list[int]:
        return [child.pk for child in task.implemented_list]

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
        # The stored facts of the day (tasks.facts), as the status class.
        return [clarity.value for clarity in Clarity if getattr(task, f"lacks_{clarity.value}")]


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
    implements = StrictPrimaryKeyRelatedField(
        queryset=Task.objects.all(), required=False, allow_null=True,
        help_text=_("For a task of a plan: the id of the task it implements, a task of the "
                    "resolution its resolution implements."))


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
    implements = StrictPrimaryKeyRelatedField(
        queryset=Task.objects.all(), required=False, allow_null=True,
        help_text=_("The id of the task it implements; null to clear."))


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
    "A new task", summary=_("A new task"), request_only=True,
    value={"group": 2, "code": "2.5", "title": "Xây dựng Thông tư hướng dẫn chức năng, nhiệm vụ "
           "của trạm y tế cấp xã", "lead_unit": 12, "coordinating_units": [31, 40],
           "competent_authority": "minister", "responsible_official": "Thứ trưởng phụ trách",
           "deadline_text": "Quý IV/2025",
           "outputs": [{"kind": "circular", "title": "Thông tư hướng dẫn"}]})


@extend_schema_view(
    list=extend_schema(
        summary=_("List tasks"),
        description=_("The tasks the client may see (its unit's and the units under it, as "
                      "lead or coordinating unit; every task for the secretariat, leadership "
                      "and administrators), each with its status class on the day `on`. "
                      "Filters are the browser's task list's. To sync, ask for `updated_since` "
                      "the time of your last sync; status classes change with the date, not "
                      "only with edits."),
        parameters=[ON_PARAMETER]),
    retrieve=extend_schema(summary=_("Read a task"), parameters=[ON_PARAMETER]),
    create=extend_schema(summary=_("Create a task (programme secretariat)"),
                         request=TaskCreateSerializer, responses={201: TaskSerializer},
                         examples=[TASK_EXAMPLE]),
    partial_update=extend_schema(summary=_("Change a task (programme secretariat)"),
                                 request=TaskUpdateSerializer, responses={200: TaskSerializer}),
)
class TaskViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    serializer_class = TaskSerializer
    filterset_class = TaskApiFilter
    pagination_class = IdPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return [*super().get_permissions(), CanManageTasks()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": self.status_on}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.status_on = status_date(request)

    def scoped_queryset(self):
        return task_annotate_facts(
            task_list_visible_to(user=self.request.user)
            .select_related("lead_unit")
            # Into lists (to_attr): a related manager per task and relation cost more than
            # the queries.
            .prefetch_related(
                Prefetch("coordinating_units",
                         queryset=Unit.objects.only(*UnitBriefSerializer.Meta.fields),
                         to_attr="coordinating_list"),
                Prefetch("outputs", queryset=Output.objects.order_by("position", "id"),
                         to_attr="output_list"),
                Prefetch("deadline_changes",
                         queryset=DeadlineChange.objects.select_related("changed_by"),
                         to_attr="deadline_change_list"),
                Prefetch("implemented_by",
                         queryset=task_list_visible_to(user=self.request.user)
                         .only("pk", "implements_id").order_by("pk"),
                         to_attr="implemented_list"),
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
            raise validation_error_from(error, rename=DEADLINE_FIELD) from error
        return self._read(task, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        run_service(request, TaskUpdateSerializer, task_update, task=task)
        return self._read(task)

    @extend_schema(summary=_("Change a task's deadline by decision (programme secretariat)"),
                   description=_("The original deadline stays on the task; the change records "
                                 "the old and new deadline, the decision, who and when."),
                   request=DeadlineChangeRequestSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="change-deadline")
    def change_deadline(self, request, pk=None):
        task = self.get_object()
        run_service(request, DeadlineChangeRequestSerializer, task_change_deadline,
                    rename=DEADLINE_FIELD, task=task)
        return self._read(task)
