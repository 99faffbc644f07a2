"""The full-text search vectors of vacancies, kept current by the services."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import reduce

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Func, Max, OuterRef, Subquery, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat

from vacancies.models import SEARCH_CONFIGS, Vacancy, VacancySkill

# Tags and character references out of the (sanitised) description before indexing.
_MARKUP = r"<[^>]*>|&[#a-zA-Z0-9]+;"


def _search_document() -> Combinable:
    labels = Subquery(
        VacancySkill.objects.filter(vacancy=OuterRef("pk"))
        .order_by()
        .values("vacancy")
        .annotate(
            text=StringAgg(
                Concat(F("skill__label_en"), Value(" "), F("skill__label_ru")), delimiter=" "
            )
        )
        .values("text"),
        output_field=TextField(),
    )
    text = Func(
        F("description"),
        Value(_MARKUP),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    vectors = [
        SearchVector(part, config=config, weight=weight)
        for part, weight in ((F("title"), "A"), (labels, "B"), (text, "C"))
        for config in SEARCH_CONFIGS
    ]
    document: Combinable = reduce(operator.add, vectors)
    return document


def vacancies_search_refresh(*, ids: Sequence[int]) -> int:
    """Recompute the search vectors of these vacancies (in the caller's transaction)."""
    updated: int = Vacancy.objects.filter(pk__in=ids).update(search_vector=_search_document())
    return updated


def vacancies_search_rebuild(*, batch_size: int = 5000) -> int:
    """Recompute every vacancy's search vector, in batches of ids, each its own
    transaction: after bulk loads (the demo seed, imports) that bypass the services."""
    # After a bulk load the planner has no statistics of the new rows and picks plans
    # that made the rebuild of 100,000 vacancies seven times slower.
    with connection.cursor() as cursor:
        for model in (Vacancy, VacancySkill):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - our table names
    top = Vacancy.objects.aggregate(top=Max("id"))["top"] or 0
    updated = 0
    for start in range(0, top + 1, batch_size):
        with transaction.atomic():
            updated += Vacancy.objects.filter(id__gte=start, id__lt=start + batch_size).update(
                search_vector=_search_document()
            )
    return updated
