"""Saved searches through the API: a seeker's own (list, save, rename, change, pause or
resume, delete), and a visitor's, saved with an e-mail address to confirm."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from vacancies import saved_searches
from vacancies.models import SavedSearch

FILTERS_HELP = (
    "The query parameters of GET /api/v1/vacancies/ (all but ordering and posted_since), "
    'e.g. {"q": "сварщик", "country": "KZ", "employment_type": ["rotational"]}.'
)


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class IsSeekerAccount(BasePermission):
    message = "Only a job seeker's account saves searches."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and user.is_authenticated and user.is_seeker


def _checked_filters(value: Any) -> dict[str, str | list[str]]:
    try:
        return saved_searches.saved_search_filters_clean(value)
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise serializers.ValidationError(detail) from exc


class SavedSearchSerializer(serializers.ModelSerializer[SavedSearch]):
    filters = serializers.DictField(required=False, default=dict, help_text=FILTERS_HELP)

    class Meta:
        model = SavedSearch
        fields = ("id", "name", "filters", "paused", "created_at", "last_alerted_at")
        read_only_fields = ("id", "created_at", "last_alerted_at")

    def validate_filters(self, value: Any) -> dict[str, str | list[str]]:
        return _checked_filters(value)


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[SavedSearch],
):
    """A seeker's saved searches: new vacancies that match are told in the inbox (and by
    e-mail as the notification preferences say). ``paused`` pauses and resumes."""

    permission_classes = (IsAuthenticated, IsSeekerAccount)
    queryset = SavedSearch.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = SavedSearchSerializer
    cursor_ordering = ("-created_at", "-id")
    lookup_value_regex = "[0-9]+"
    # PATCH changes what it names; a full PUT would add nothing.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return saved_searches.saved_searches_of(user=_caller(self.request))

    def perform_create(self, serializer: BaseSerializer[SavedSearch]) -> None:
        data = dict(serializer.validated_data)
        # The create service takes no "paused"; the serializer accepts it for PATCH.
        paused = data.pop("paused", False)
        saved_search = saved_searches.saved_search_create(by=_caller(self.request), **data)
        if paused:
            saved_search = saved_searches.saved_search_update(
                saved_search=saved_search, paused=True
            )
        serializer.instance = saved_search

    def perform_update(self, serializer: BaseSerializer[SavedSearch]) -> None:
        serializer.instance = saved_searches.saved_search_update(
            saved_search=cast(SavedSearch, serializer.instance), **serializer.validated_data
        )

    def perform_destroy(self, instance: SavedSearch) -> None:
        saved_searches.saved_search_delete(saved_search=instance)


class VisitorSavedSearchSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=saved_searches.NAME_MAX_LENGTH)
    filters = serializers.DictField(required=False, default=dict, help_text=FILTERS_HELP)

    def validate_filters(self, value: Any) -> dict[str, str | list[str]]:
        return _checked_filters(value)


class VisitorThrottle(AnonRateThrottle):
    """Per client address; the rate is ``saved_search_visitor`` in the REST settings."""

    scope = "saved_search_visitor"
    DEFAULT_RATE = "10/hour"

    def get_rate(self) -> str | None:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        rate: str | None = rates.get(self.scope, self.DEFAULT_RATE)
        return rate


class VisitorSavedSearchView(APIView):
    """Save a search without an account: a link to confirm goes to the e-mail address
    (in the language the browser asks for), and alerts start once it is opened."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (VisitorThrottle,)

    @extend_schema(
        request=VisitorSavedSearchSerializer, responses={202: VisitorSavedSearchSerializer}
    )
    def post(self, request: Request) -> Response:
        data = VisitorSavedSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved_search = saved_searches.saved_search_create_for_visitor(
            **data.validated_data,
            language=translation.get_language_from_request(request._request),
        )
        body = VisitorSavedSearchSerializer(
            {
                "email": saved_search.email,
                "name": saved_search.name,
                "filters": saved_search.filters,
            }
        ).data
        return Response(body, status=status.HTTP_202_ACCEPTED)
