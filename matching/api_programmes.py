"""Relocation programmes through the API: public and read-only.

Anyone may read the programmes in force, with the regions they move people from and
to; platform administrators keep them in the Django admin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny

from matching.filters import RelocationProgrammeFilter
from matching.models import RelocationProgramme
from matching.programmes import programmes_public
from taxonomy.models import Region


class ProgrammeRegionSerializer(serializers.ModelSerializer[Region]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ("code", "name")
        read_only_fields = fields


class RelocationProgrammeSerializer(serializers.ModelSerializer[RelocationProgramme]):
    country_name = serializers.CharField(source="country.name", read_only=True)
    from_regions = ProgrammeRegionSerializer(
        many=True, read_only=True, help_text="Labour-surplus regions people move from."
    )
    to_regions = ProgrammeRegionSerializer(
        many=True, read_only=True, help_text="Labour-shortage regions people move to."
    )

    class Meta:
        model = RelocationProgramme
        fields = (
            "id", "name", "country", "country_name", "from_regions", "to_regions", "benefits",
            "valid_from", "valid_until",
        )  # fmt: skip
        read_only_fields = fields


class RelocationProgrammeViewSet(
    mixins.ListModelMixin, viewsets.GenericViewSet[RelocationProgramme]
):
    """The relocation programmes in force today, by country and name.

    A match of the seeker's carries the programme that supports its move, if any; the
    seeker's matches list filters by it (``relocation_programme=true``).
    """

    permission_classes = (AllowAny,)
    queryset = RelocationProgramme.objects.none()  # the model, for the schema
    serializer_class = RelocationProgrammeSerializer
    filterset_class = RelocationProgrammeFilter
    # A handful of programmes: one page, like the other reference data.
    pagination_class = None

    def get_queryset(self) -> QuerySet[RelocationProgramme]:
        return programmes_public()
