"""The inbox and the preferences through the API: each person reads and marks only
their own notifications (someone else's is a 404) and sets how they want to hear."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from notifications import preferences
from notifications.models import Frequency, Kind, Notification, Preference
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_of,
)

# The command is the whole request: the schema says so to tell it from a forgotten body.
BODYLESS = {"x-bodyless": True}


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", label=gettext_lazy("Only unread (true) or only read (false)")
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = Notification
        fields = ("unread", "kind")

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: bool
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = (
            "id", "kind", "subject_type", "subject_id", "link", "title", "body", "data",
            "created_at", "read_at", "unread",
        )  # fmt: skip
        read_only_fields = fields

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None


UnreadCountSerializer = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
MarkedReadSerializer = inline_serializer("MarkedRead", {"read": serializers.IntegerField()})


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Notification]):
    """The caller's inbox, newest first."""

    permission_classes = (IsAuthenticated,)
    queryset = Notification.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    cursor_ordering = ("-created_at", "-id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient=_caller(self.request)).order_by(
            "-created_at", "-id"
        )

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request: Request) -> Response:
        """How many of the caller's notifications are unread (for the badge)."""
        unread = Notification.objects.filter(
            recipient=_caller(request), read_at__isnull=True
        ).count()
        return Response({"unread": unread})

    @extend_schema(request=None, responses=NotificationSerializer, extensions=BODYLESS)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark one notification read (again: no change)."""
        notification = notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkedReadSerializer, extensions=BODYLESS)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification of the caller read; says how many there were."""
        return Response({"read": notifications_mark_all_read(user=_caller(request))})


class PreferenceSerializer(serializers.ModelSerializer[Preference]):
    muted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices), max_length=len(Kind.values)
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices)
    min_match_score = serializers.IntegerField(min_value=0, max_value=100)
    max_instant_per_hour = serializers.IntegerField(min_value=1, max_value=100)
    time_zone = serializers.CharField(
        max_length=64, help_text="An IANA time zone name, e.g. Asia/Almaty."
    )
    digest_hour = serializers.IntegerField(min_value=0, max_value=23)
    digest_weekday = serializers.IntegerField(
        min_value=0, max_value=6, help_text="0 Monday … 6 Sunday (weekly digests)."
    )
    # None until the caller first saves preferences (the defaults are not a row yet).
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Preference
        fields = (
            "muted_kinds", "email_enabled", "frequency", "min_match_score",
            "max_instant_per_hour", "time_zone", "digest_hour", "digest_weekday", "updated_at",
        )  # fmt: skip
        read_only_fields = ("updated_at",)
        # PUT sets the whole of it, this one too (the model's default would make it optional).
        extra_kwargs = {"email_enabled": {"required": True}}


class PreferenceView(APIView):
    """How the caller wants to hear: what to mute, e-mail or not, at once or in a daily
    or weekly digest (at a local hour), the least match score worth telling."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response(PreferenceSerializer(preference_of(_caller(request))).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request: Request) -> Response:
        data = PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = dict(data.validated_data)
        preference = preferences.preference_update(user=_caller(request), **fields)
        return Response(PreferenceSerializer(preference).data)
