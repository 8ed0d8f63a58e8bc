"""The headline figures: the four status classes over the filtered tasks."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from ..facts import task_annotate_facts, task_status_counts
from ..filters import TaskApiFilter
from ..rules import StatusClass
from ..selectors import task_list_visible_to
from .common import ON_PARAMETER, ScopedViewSetMixin, status_date
from .tasks import TaskSerializer


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
    summary=_("Status counts (the dashboard's headline figures)"),
    description=_("How many of the tasks the client may see (after the same filters as the task "
                  "list) are in each of the Government Office's four status classes on the day "
                  "`on`, and their percentages."),
    parameters=[ON_PARAMETER], responses={200: TaskStatusCountsSerializer}))
class StatsViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer  # the filters' model; the response is the counts
    filterset_class = TaskApiFilter
    pagination_class = None

    def scoped_queryset(self):
        return task_annotate_facts(task_list_visible_to(user=self.request.user),
                                    on=self.status_on)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.status_on = status_date(request)

    def list(self, request, *args, **kwargs):
        tasks = self.filter_queryset(self.get_queryset())
        counts = task_status_counts(tasks=tasks, on=self.status_on)
        return Response(TaskStatusCountsSerializer(counts).data)
