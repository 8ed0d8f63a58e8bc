"""Outputs (products) of the tasks in view; added, changed and issued by the programme
secretariat."""


from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import StrictIntegerField, StrictPrimaryKeyRelatedField, text_field

from ..filters import OutputFilter
from ..models import Output, Task
from ..selectors import task_list_visible_to
from ..services import output_add, output_record_issue, output_update
from .common import CanManageTasks, ScopedViewSetMixin, run_service


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
    list=extend_schema(summary=_("List outputs"),
                       description=_("The outputs (products) of the tasks the client may see.")),
    retrieve=extend_schema(summary=_("Read an output")),
    create=extend_schema(summary=_("Add an output to a task (programme secretariat)"),
                         request=OutputCreateSerializer, responses={201: OutputSerializer}),
    partial_update=extend_schema(summary=_("Change an output (programme secretariat)"),
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
        output = run_service(request, OutputCreateSerializer, output_add)
        return Response(OutputSerializer(output).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        output = self.get_object()
        run_service(request, OutputUpdateSerializer, output_update, output=output)
        return Response(OutputSerializer(output).data)

    @extend_schema(summary=_("Record the document that fulfils an output (programme secretariat)"),
                   description=_("Usually recorded when the lead unit's report saying it was "
                                 "issued is approved; this records it directly."),
                   request=OutputIssueSerializer, responses={200: OutputSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        output = self.get_object()
        run_service(request, OutputIssueSerializer, output_record_issue, output=output)
        return Response(OutputSerializer(output).data)
