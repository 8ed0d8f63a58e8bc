"""REST API of the units app: organisational units, within the client's scope."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import UnitFilter
from .models import Unit
from .selectors import unit_list_visible_to


class UnitBriefSerializer(serializers.ModelSerializer):
    """A unit named inside another object."""

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "name_en"]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True,
        help_text=_("For a collective designation: the ids of the units it stands for."))

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "name_en", "short_name", "kind", "parent", "members",
                  "is_active", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("List units"),
                       description=_("The client's unit and the units under it (every unit for "
                                     "the secretariat, leadership and administrators), in tree "
                                     "order.")),
    retrieve=extend_schema(summary=_("Read a unit")),
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return Unit.objects.none()
        return unit_list_visible_to(user=self.request.user).prefetch_related("members")
