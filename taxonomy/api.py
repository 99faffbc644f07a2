"""Read-only reference data: countries, regions, currencies, languages, CEFR levels,
occupations (ISCO-08) and skills with an autocomplete in English and Russian.

Open to everyone, signed in or not: these are public classifications. Names come in
the language of the request (``Accept-Language``) with every language's name alongside.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from taxonomy.filters import CountryFilter, OccupationFilter, RegionFilter
from taxonomy.models import (
    CEFRLevel,
    Country,
    Currency,
    ExchangeRate,
    Language,
    Occupation,
    Region,
    Skill,
)
from taxonomy.selectors import skill_autocomplete


class CountrySerializer(serializers.ModelSerializer[Country]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Country
        fields = (
            "code", "alpha3", "name", "name_en", "name_ru", "name_kk",
            "is_eaeu_member", "eaeu_accession", "is_main_origin", "currency",
        )  # fmt: skip
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer[Region]):
    name = serializers.CharField(read_only=True)
    centre = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = (
            "code", "country", "kind", "name", "name_en", "name_ru", "name_kk",
            "centre", "centre_en", "centre_ru", "latitude", "longitude",
        )  # fmt: skip
        read_only_fields = fields


class CurrencySerializer(serializers.ModelSerializer[Currency]):
    name = serializers.CharField(read_only=True)
    units_per_usd = serializers.SerializerMethodField()
    rate_date = serializers.SerializerMethodField()

    class Meta:
        model = Currency
        fields = (
            "code",
            "numeric",
            "name",
            "name_en",
            "name_ru",
            "minor_units",
            "units_per_usd",
            "rate_date",
        )
        read_only_fields = fields

    def _latest(self, obj: Currency) -> ExchangeRate | None:
        latest: dict[str, ExchangeRate] = self.context.setdefault("latest_rates", {})
        if not latest:
            for rate in ExchangeRate.objects.order_by("currency_id", "-date").distinct(
                "currency_id"
            ):
                latest[rate.currency_id] = rate
        return latest.get(obj.code)

    def get_units_per_usd(self, obj: Currency) -> str | None:
        rate = self._latest(obj)
        return None if rate is None else str(rate.units_per_usd)

    def get_rate_date(self, obj: Currency) -> str | None:
        rate = self._latest(obj)
        return None if rate is None else rate.date.isoformat()


class LanguageSerializer(serializers.ModelSerializer[Language]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Language
        fields = ("code", "alpha3", "name", "name_en", "name_ru")
        read_only_fields = fields


class OccupationSerializer(serializers.ModelSerializer[Occupation]):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Occupation
        fields = ("code", "level", "title", "title_en", "title_ru", "parent")
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer[Skill]):
    name = serializers.CharField(read_only=True, source="label")

    class Meta:
        model = Skill
        fields: tuple[str, ...] = (
            "id", "uri", "skill_type", "name", "label_en", "label_ru",
            "alt_labels_en", "alt_labels_ru", "broader",
        )  # fmt: skip
        read_only_fields: tuple[str, ...] = fields


class SkillDetailSerializer(SkillSerializer):
    narrower = serializers.PrimaryKeyRelatedField[Skill](many=True, read_only=True)
    occupations = serializers.PrimaryKeyRelatedField[Occupation](many=True, read_only=True)

    class Meta(SkillSerializer.Meta):
        fields = (*SkillSerializer.Meta.fields, "description_en", "narrower", "occupations")
        read_only_fields = fields


class CEFRLevelSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.IntegerField()


class CountryViewSet(viewsets.ReadOnlyModelViewSet[Country]):
    permission_classes = (AllowAny,)
    queryset = Country.objects.order_by("code")
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    pagination_class = None
    lookup_value_regex = "[A-Za-z]{2}"

    @extend_schema(responses=RegionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def regions(self, request: Request, pk: str) -> Response:
        country = get_object_or_404(Country, code=pk.upper())
        regions = Region.objects.filter(country=country).order_by("code")
        return Response(RegionSerializer(regions, many=True).data)


class RegionViewSet(viewsets.ReadOnlyModelViewSet[Region]):
    permission_classes = (AllowAny,)
    queryset = Region.objects.select_related("country").order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    pagination_class = None


class CurrencyViewSet(viewsets.ReadOnlyModelViewSet[Currency]):
    permission_classes = (AllowAny,)
    queryset = Currency.objects.order_by("code")
    serializer_class = CurrencySerializer
    pagination_class = None


class LanguageViewSet(viewsets.ReadOnlyModelViewSet[Language]):
    permission_classes = (AllowAny,)
    queryset = Language.objects.order_by("code")
    serializer_class = LanguageSerializer
    pagination_class = None


class OccupationViewSet(viewsets.ReadOnlyModelViewSet[Occupation]):
    permission_classes = (AllowAny,)
    queryset = Occupation.objects.order_by("code")
    serializer_class = OccupationSerializer
    filterset_class = OccupationFilter
    cursor_ordering = "code"
    lookup_value_regex = "[0-9]{1,4}"


class SkillViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Skill]):
    permission_classes = (AllowAny,)
    queryset = Skill.objects.prefetch_related("narrower", "occupations")
    serializer_class = SkillDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description="What was typed: English or Russian, at least 2 characters",
            ),
            OpenApiParameter(
                "limit", int, description="At most this many skills (1–50, default 10)"
            ),
        ],
        responses=SkillSerializer(many=True),
    )
    # A short list, not a page: the schema must not promise "results".
    @action(detail=False, methods=["get"], pagination_class=None)
    def autocomplete(self, request: Request) -> Response:
        text = request.query_params.get("q", "").strip()
        errors: dict[str, list[str]] = {}
        if len(text) < 2:
            errors["q"] = ["Type at least 2 characters."]
        try:
            limit = int(request.query_params.get("limit", "10"))
            if not 1 <= limit <= 50:
                raise ValueError
        except ValueError:
            errors["limit"] = ["A whole number from 1 to 50."]
            limit = 10
        if errors:
            raise ValidationError(errors)
        return Response(SkillSerializer(skill_autocomplete(text=text, limit=limit), many=True).data)


class CEFRLevelView(APIView):
    permission_classes = (AllowAny,)

    @extend_schema(responses=CEFRLevelSerializer(many=True))
    def get(self, request: Request) -> Response:
        levels = [
            {"code": c, "name": str(label), "rank": CEFRLevel.rank(c)}
            for c, label in CEFRLevel.choices
        ]
        return Response(CEFRLevelSerializer(levels, many=True).data)
