"""Statistics through the API: aggregates only, in JSON or CSV.

Each statistic has a public endpoint under ``statistics/`` (approved placements, counts
of 1–4 people withheld) and one for the platform's reviewers under
``review/statistics/`` (every placement not rejected, exact figures): the rule is in
``matching.statistics``. Any of them answers CSV with ``?format=csv`` (or
``Accept: text/csv``): a header row and the rows, UTF-8, as an attachment.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, ClassVar, TypeVar

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching import statistics
from matching.statistics import SMALL, Audience, Period
from taxonomy.models import Country
from vacancies.permissions import IsPlatformStaff

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_MONTHS = 120
ISCO_LEVELS = ((1, "Major group"), (2, "Sub-major group"), (3, "Minor group"), (4, "Unit group"))


class CSVRenderer(BaseRenderer):
    """A statistic's rows as CSV: a header row of the row fields, then one line per row
    (a withheld figure is an empty cell; ``suppressed`` lists fields, space-separated).
    An error comes as ``field,error`` lines."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        view = (renderer_context or {}).get("view")
        columns: Sequence[str] | None = getattr(view, "csv_columns", None)
        if isinstance(data, Mapping) and "results" in data and columns is not None:
            writer.writerow(columns)
            for row in data["results"]:
                writer.writerow([_csv_cell(row.get(column)) for column in columns])
        else:
            writer.writerow(["field", "error"])
            for field, messages in (data or {}).items() if isinstance(data, Mapping) else ():
                for message in messages if isinstance(messages, list) else [messages]:
                    writer.writerow([field, str(message)])
        return buffer.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


# --- Queries --------------------------------------------------------------------------


def _month_field(help_text: str) -> serializers.RegexField:
    return serializers.RegexField(MONTH, required=False, help_text=help_text)


class PeriodQuerySerializer(serializers.Serializer[Any]):
    country = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(),
        required=False,
        help_text="Only placements from or to this country (ISO 3166-1 alpha-2).",
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword: no class attribute can be called so.
        fields = super().get_fields()
        fields["from"] = _month_field("First month, YYYY-MM (default: 11 months before `to`).")
        fields["to"] = _month_field("Last month, YYYY-MM (default: this month).")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        last = _month(attrs.get("to")) or timezone.localdate().replace(day=1)
        first = _month(attrs.get("from")) or statistics.add_months(last, -11)
        if first > last:
            raise serializers.ValidationError({"from": "The first month comes after the last."})
        if len(Period(first=first, last=last).months()) > MAX_MONTHS:
            raise serializers.ValidationError(
                {"from": f"Ask for at most {MAX_MONTHS} months at a time."}
            )
        attrs["period"] = Period(first=first, last=last)
        return attrs


def _month(value: str | None) -> date | None:
    if not value:
        return None
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class LabourMarketQuerySerializer(serializers.Serializer[Any]):
    country = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(),
        required=False,
        help_text="Only regions of this country (ISO 3166-1 alpha-2).",
    )
    level = serializers.ChoiceField(
        choices=ISCO_LEVELS,
        default=4,
        help_text="ISCO-08 level of the occupation groups: 4 unit groups, 2 sub-major groups.",
    )


FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="csv: the rows as CSV (UTF-8, a header row) to download.",
)


# --- Rows -----------------------------------------------------------------------------

SUPPRESSED_HELP = "The fields withheld (null) because they would count fewer than 5 people."


def _suppressed() -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=SUPPRESSED_HELP)


def _people(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


class CountryFlowSerializer(serializers.Serializer[Any]):
    origin_country = serializers.CharField()
    origin_country_name = serializers.CharField()
    destination_country = serializers.CharField()
    destination_country_name = serializers.CharField()
    placements = _people("Placements from the origin to the destination country.")
    suppressed = _suppressed()


class RegionFlowSerializer(serializers.Serializer[Any]):
    origin_country = serializers.CharField()
    origin_region = serializers.CharField(allow_null=True, help_text="Null: unknown.")
    origin_region_name = serializers.CharField(allow_null=True)
    destination_country = serializers.CharField()
    destination_region = serializers.CharField()
    destination_region_name = serializers.CharField(allow_null=True)
    placements = _people("Placements from the origin to the destination region.")
    suppressed = _suppressed()


class RegionBalanceSerializer(serializers.Serializer[Any]):
    region = serializers.CharField()
    region_name = serializers.CharField(allow_null=True)
    country = serializers.CharField()
    arrivals = _people("Placements into the region from other regions.")
    departures = _people("Placements out of the region to other regions.")
    net = serializers.IntegerField(allow_null=True, help_text="Arrivals − departures.")
    suppressed = _suppressed()


class MonthPlacementsSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="YYYY-MM")
    placements = _people("Placements hired in the month.")
    suppressed = _suppressed()


class MonthTimeToPlacementSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="YYYY-MM")
    placements = _people("Placements hired in the month.")
    median_days_from_publication = serializers.FloatField(
        allow_null=True, help_text="Median days from the vacancy's publication to the hire."
    )
    median_days_from_application = serializers.FloatField(
        allow_null=True,
        help_text="Median days from the application (or invitation) to the hire.",
    )
    suppressed = _suppressed()


class LabourMarketRowSerializer(serializers.Serializer[Any]):
    region = serializers.CharField()
    region_name = serializers.CharField()
    country = serializers.CharField()
    occupation = serializers.CharField(help_text="ISCO-08 group code at the asked level.")
    occupation_title = serializers.CharField()
    open_positions = serializers.IntegerField(help_text="Positions of the vacancies open today.")
    active_seekers = _people("Active seekers living in the region who want this work.")
    matching_seekers = _people(
        "Active seekers who want this work and whose mobility takes in the region."
    )
    shortage_index = serializers.FloatField(
        allow_null=True, help_text="Open positions per matching seeker (null: no seekers)."
    )
    suppressed = _suppressed()


class _PeriodAnswer(serializers.Serializer[Any]):
    country = serializers.CharField(allow_null=True)
    placements = serializers.ChoiceField(
        choices=["approved", "not_rejected"], help_text="Which placements are counted."
    )
    withheld_below = serializers.IntegerField(
        allow_null=True, help_text="Counts of people from 1 to this minus one are withheld."
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="First month, YYYY-MM.")
        fields["to"] = serializers.CharField(help_text="Last month, YYYY-MM.")
        return fields


class CountryFlowsSerializer(_PeriodAnswer):
    results = CountryFlowSerializer(many=True)


class RegionFlowsSerializer(_PeriodAnswer):
    results = RegionFlowSerializer(many=True)


class RegionalBalanceSerializer(_PeriodAnswer):
    results = RegionBalanceSerializer(many=True)


class PlacementsByMonthSerializer(_PeriodAnswer):
    results = MonthPlacementsSerializer(many=True)


class TimeToPlacementSerializer(_PeriodAnswer):
    results = MonthTimeToPlacementSerializer(many=True)


class LabourMarketSerializer(serializers.Serializer[Any]):
    as_of = serializers.DateField(help_text="The day the snapshot describes (today).")
    country = serializers.CharField(allow_null=True)
    level = serializers.IntegerField()
    withheld_below = serializers.IntegerField(allow_null=True)
    results = LabourMarketRowSerializer(many=True)


# --- Views ----------------------------------------------------------------------------


class _Statistic(APIView):
    audience: ClassVar[Audience] = Audience.PUBLIC
    permission_classes: Sequence[type[BasePermission]] = (AllowAny,)
    renderer_classes = (JSONRenderer, BrowsableAPIRenderer, CSVRenderer)
    name: ClassVar[str]
    row_serializer: ClassVar[type[serializers.Serializer[Any]]]
    csv_filename = ""

    @property
    def csv_columns(self) -> list[str]:
        return list(self.row_serializer().fields)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(renderer, CSVRenderer) and response.status_code == 200:
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response

    def _withheld_below(self) -> int | None:
        return SMALL if self.audience.withholds else None


class _PeriodStatistic(_Statistic):
    answer_serializer: ClassVar[type[_PeriodAnswer]]

    def rows(self, *, period: Period, country: str | None) -> Sequence[Any]:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period: Period = query.validated_data["period"]
        country: Country | None = query.validated_data.get("country")
        code = None if country is None else country.code
        first, last = f"{period.first:%Y-%m}", f"{period.last:%Y-%m}"
        self.csv_filename = f"borderless-{self.name}-{first}-{last}.csv"
        answer = {
            "from": first,
            "to": last,
            "country": code,
            "placements": self.audience.placements,
            "withheld_below": self._withheld_below(),
            "results": self.rows(period=period, country=code),
        }
        return Response(self.answer_serializer(answer).data)


View = TypeVar("View", bound=Callable[..., Any])


def _documented(
    answer: type[serializers.Serializer[Any]], query: type[serializers.Serializer[Any]], tag: str
) -> Callable[[View], View]:
    return extend_schema(
        tags=[tag],
        parameters=[query, FORMAT],
        responses={
            200: answer,
            400: OpenApiResponse(description="A malformed month, country or level."),
        },
    )


class CountryFlowsView(_PeriodStatistic):
    """Placements between countries over the period, origin → destination (a country to
    itself: the hires within it)."""

    name = "country-flows"
    row_serializer = CountryFlowSerializer
    answer_serializer = CountryFlowsSerializer

    @_documented(CountryFlowsSerializer, PeriodQuerySerializer, "statistics")
    def get(self, request: Request) -> Response:
        return super().get(request)

    def rows(self, *, period: Period, country: str | None) -> Sequence[Any]:
        return statistics.country_flows(audience=self.audience, period=period, country=country)


class RegionFlowsView(_PeriodStatistic):
    """Placements between regions over the period, origin → destination (a region to
    itself: hires at home; an unknown origin region is null)."""

    name = "region-flows"
    row_serializer = RegionFlowSerializer
    answer_serializer = RegionFlowsSerializer

    @_documented(RegionFlowsSerializer, PeriodQuerySerializer, "statistics")
    def get(self, request: Request) -> Response:
        return super().get(request)

    def rows(self, *, period: Period, country: str | None) -> Sequence[Any]:
        return statistics.region_flows(audience=self.audience, period=period, country=country)


class RegionalBalanceView(_PeriodStatistic):
    """Each region's net balance over the period: arrivals from other regions minus
    departures to other regions."""

    name = "regional-balance"
    row_serializer = RegionBalanceSerializer
    answer_serializer = RegionalBalanceSerializer

    @_documented(RegionalBalanceSerializer, PeriodQuerySerializer, "statistics")
    def get(self, request: Request) -> Response:
        return super().get(request)

    def rows(self, *, period: Period, country: str | None) -> Sequence[Any]:
        return statistics.regional_balance(audience=self.audience, period=period, country=country)


class PlacementsByMonthView(_PeriodStatistic):
    """Placements hired in each month of the period."""

    name = "placements-by-month"
    row_serializer = MonthPlacementsSerializer
    answer_serializer = PlacementsByMonthSerializer

    @_documented(PlacementsByMonthSerializer, PeriodQuerySerializer, "statistics")
    def get(self, request: Request) -> Response:
        return super().get(request)

    def rows(self, *, period: Period, country: str | None) -> Sequence[Any]:
        return statistics.placements_by_month(
            audience=self.audience, period=period, country=country
        )


class TimeToPlacementView(_PeriodStatistic):
    """For the placements hired in each month: the median days from the vacancy's
    publication, and from the application, to the hire."""

    name = "time-to-placement"
    row_serializer = MonthTimeToPlacementSerializer
    answer_serializer = TimeToPlacementSerializer

    @_documented(TimeToPlacementSerializer, PeriodQuerySerializer, "statistics")
    def get(self, request: Request) -> Response:
        return super().get(request)

    def rows(self, *, period: Period, country: str | None) -> Sequence[Any]:
        return statistics.time_to_placement(audience=self.audience, period=period, country=country)


class LabourMarketView(_Statistic):
    """Today's open positions, active seekers, seekers who could take the work and the
    shortage index, per region and occupation group (a snapshot: no months)."""

    name = "labour-market"
    row_serializer = LabourMarketRowSerializer

    @_documented(LabourMarketSerializer, LabourMarketQuerySerializer, "statistics")
    def get(self, request: Request) -> Response:
        query = LabourMarketQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        country: Country | None = query.validated_data.get("country")
        code = None if country is None else country.code
        level: int = query.validated_data["level"]
        today = timezone.localdate()
        self.csv_filename = f"borderless-{self.name}-level{level}-{today:%Y-%m-%d}.csv"
        answer = {
            "as_of": today,
            "country": code,
            "level": level,
            "withheld_below": self._withheld_below(),
            "results": statistics.labour_market(
                audience=self.audience, level=level, country=code, today=today
            ),
        }
        return Response(LabourMarketSerializer(answer).data)


# The reviewers' versions: the same statistics over every placement not rejected, exact.

_REVIEW = (IsAuthenticated, IsPlatformStaff)


class ReviewCountryFlowsView(CountryFlowsView):
    __doc__ = CountryFlowsView.__doc__
    audience = Audience.REVIEW
    permission_classes = _REVIEW

    @_documented(CountryFlowsSerializer, PeriodQuerySerializer, "review")
    def get(self, request: Request) -> Response:
        return super().get(request)


class ReviewRegionFlowsView(RegionFlowsView):
    __doc__ = RegionFlowsView.__doc__
    audience = Audience.REVIEW
    permission_classes = _REVIEW

    @_documented(RegionFlowsSerializer, PeriodQuerySerializer, "review")
    def get(self, request: Request) -> Response:
        return super().get(request)


class ReviewRegionalBalanceView(RegionalBalanceView):
    __doc__ = RegionalBalanceView.__doc__
    audience = Audience.REVIEW
    permission_classes = _REVIEW

    @_documented(RegionalBalanceSerializer, PeriodQuerySerializer, "review")
    def get(self, request: Request) -> Response:
        return super().get(request)


class ReviewPlacementsByMonthView(PlacementsByMonthView):
    __doc__ = PlacementsByMonthView.__doc__
    audience = Audience.REVIEW
    permission_classes = _REVIEW

    @_documented(PlacementsByMonthSerializer, PeriodQuerySerializer, "review")
    def get(self, request: Request) -> Response:
        return super().get(request)


class ReviewTimeToPlacementView(TimeToPlacementView):
    __doc__ = TimeToPlacementView.__doc__
    audience = Audience.REVIEW
    permission_classes = _REVIEW

    @_documented(TimeToPlacementSerializer, PeriodQuerySerializer, "review")
    def get(self, request: Request) -> Response:
        return super().get(request)


class ReviewLabourMarketView(LabourMarketView):
    __doc__ = LabourMarketView.__doc__
    audience = Audience.REVIEW
    permission_classes = _REVIEW

    @_documented(LabourMarketSerializer, LabourMarketQuerySerializer, "review")
    def get(self, request: Request) -> Response:
        return super().get(request)


# Each statistic's public view and reviewers' view, in the order the API lists them.
STATISTICS: tuple[tuple[type[_Statistic], type[_Statistic]], ...] = (
    (CountryFlowsView, ReviewCountryFlowsView),
    (RegionFlowsView, ReviewRegionFlowsView),
    (RegionalBalanceView, ReviewRegionalBalanceView),
    (PlacementsByMonthView, ReviewPlacementsByMonthView),
    (TimeToPlacementView, ReviewTimeToPlacementView),
    (LabourMarketView, ReviewLabourMarketView),
)
