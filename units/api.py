"""REST API of the units app: organisational units, within the client's scope."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import UnitFilter
from .models import Unit
from .selectors import unit_list_visible_to, unit_successors, unit_tree_prefetch


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
    successors = serializers.SerializerMethodField(
        help_text=_("The ids of the units that took its work when it ended (merged, split)."))

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "name_en", "short_name", "kind", "parent", "members",
                  "is_active", "valid_from", "valid_to", "successors", "created_at",
                  "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_successors(self, unit) -> list[int]:
        return [successor.pk for successor in unit_successors(unit)]


@extend_schema_view(
    list=extend_schema(summary=_("List units"),
                       description=_("The client's unit and the units under it (every unit for "
                                     "the secretariat, leadership and administrators), in tree "
                                     "order; `on` keeps those existing on a date.")),
    retrieve=extend_schema(summary=_("Read a unit")),
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return Unit.objects.none()
        return unit_tree_prefetch(unit_list_visible_to(user=self.request.user))
