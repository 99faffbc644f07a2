"""FilterSets of the reference-data lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from taxonomy.models import Country, Occupation, Region


class CountryFilter(django_filters.FilterSet):
    eaeu = django_filters.BooleanFilter(
        field_name="is_eaeu_member", label="EAEU member states only"
    )
    origin = django_filters.BooleanFilter(
        field_name="is_main_origin", label="Main origin states of labour migrants"
    )

    class Meta:
        model = Country
        fields = ("eaeu", "origin")


class RegionFilter(django_filters.FilterSet):
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.filter(is_eaeu_member=True))

    class Meta:
        model = Region
        fields = ("country",)


class OccupationFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=[(n, str(n)) for n in (1, 2, 3, 4)])
    parent = django_filters.CharFilter(
        field_name="parent_id", label="ISCO-08 code of the parent group"
    )
    within = django_filters.CharFilter(
        method="filter_within", label="Codes under this ISCO-08 group (prefix)"
    )
    q = django_filters.CharFilter(
        method="filter_text", label="Words of the title, English or Russian, or a code"
    )

    class Meta:
        model = Occupation
        fields = ("level", "parent", "within", "q")

    def filter_within(
        self, queryset: QuerySet[Occupation], name: str, value: str
    ) -> QuerySet[Occupation]:
        return queryset.filter(code__startswith=value.strip())

    def filter_text(
        self, queryset: QuerySet[Occupation], name: str, value: str
    ) -> QuerySet[Occupation]:
        value = value.strip()
        if value.isdigit():
            return queryset.filter(code__startswith=value)
        return queryset.filter(Q(title_en__icontains=value) | Q(title_ru__icontains=value))
