"""Resolutions (programmes, plans) and their task groups: read by everyone signed in."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ..filters import ResolutionFilter, TaskGroupFilter
from ..models import Resolution, TaskGroup
from .common import ScopedViewSetMixin


class ResolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resolution
        fields = ["id", "number", "kind", "issuer", "title", "title_en", "issued_on",
                  "implements", "is_tracked", "is_public", "note", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("List resolutions and programmes"),
                       description=_("Every resolution, programme and plan (the chain of "
                                     "documents: `implements` names the one it implements).")),
    retrieve=extend_schema(summary=_("Read a resolution")),
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
    list=extend_schema(summary=_("List task groups")),
    retrieve=extend_schema(summary=_("Read a task group")),
)
class TaskGroupViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TaskGroupSerializer
    filterset_class = TaskGroupFilter

    def scoped_queryset(self):
        return TaskGroup.objects.all()
