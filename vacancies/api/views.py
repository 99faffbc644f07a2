"""Viewsets of the vacancies API. Thin: scope the queryset to what the caller may see,
check the shape, call one service."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from accounts.models import User
from vacancies import selectors, services
from vacancies.api.serializers import (
    EmployerSerializer,
    EmployerVerifySerializer,
    InvitationAcceptSerializer,
    InvitationSerializer,
    MemberSerializer,
    MembershipSerializer,
    PublicVacancySerializer,
    VacancyRevisionSerializer,
    VacancySerializer,
    public_vacancy_data,
)
from vacancies.filters import EmployerVacancyFilter, VacancyFilter, vacancy_ordering
from vacancies.models import Employer, Vacancy, VacancyQuerySet
from vacancies.permissions import (
    IsEmployerAccount,
    IsEmployerMember,
    IsEmployerOwner,
    IsPlatformStaff,
)

# The command is the whole request: the schema says so to tell it from a forgotten body.
BODYLESS = {"x-bodyless": True}


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class EmployerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Employer],
):
    """Employers: a member sees their own, platform staff see all. An employer account
    without an employer registers one and becomes its owner; only owners edit it."""

    queryset = Employer.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = EmployerSerializer
    cursor_ordering = ("name", "id")
    lookup_value_regex = "[0-9]+"
    _owner_actions = ("update", "partial_update", "invitations", "remove_member")

    def get_queryset(self) -> QuerySet[Employer]:
        return selectors.employers_visible_to(user=_caller(self.request))

    def get_permissions(self) -> list[BasePermission]:
        if self.action == "create":
            return [IsAuthenticated(), IsEmployerAccount()]
        if self.action in self._owner_actions:
            return [IsAuthenticated(), IsEmployerOwner()]
        if self.action == "verify":
            return [IsAuthenticated(), IsPlatformStaff()]
        return [IsAuthenticated()]

    def perform_create(self, serializer: BaseSerializer[Employer]) -> None:
        serializer.instance = services.employer_create(
            by=_caller(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[Employer]) -> None:
        serializer.instance = services.employer_update(
            employer=cast(Employer, serializer.instance),
            by=_caller(self.request),
            **serializer.validated_data,
        )

    @extend_schema(request=EmployerVerifySerializer, responses=EmployerSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        """Platform staff mark the employer verified (or, with false, not verified)."""
        data = EmployerVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        employer = services.employer_verify(
            employer=self.get_object(),
            by=_caller(request),
            verified=data.validated_data["verified"],
        )
        return Response(EmployerSerializer(employer).data)

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request: Request, pk: str) -> Response:
        members = selectors.employer_members(employer=self.get_object())
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<member_id>[0-9]+)",
        url_name="member-detail",
    )
    def remove_member(self, request: Request, pk: str, member_id: str) -> Response:
        """An owner removes a member; the employer keeps at least one owner."""
        employer = self.get_object()
        member = get_object_or_404(employer.members.all(), pk=member_id)
        services.member_remove(member=member, by=_caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses=InvitationSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=InvitationSerializer, responses={201: InvitationSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def invitations(self, request: Request, pk: str) -> Response:
        """An owner invites by e-mail (the code goes only to that address) and lists
        the invitations sent."""
        employer = self.get_object()
        if request.method == "GET":
            invitations = selectors.employer_invitations(employer=employer)
            return Response(InvitationSerializer(invitations, many=True).data)
        data = InvitationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.member_invite(
            employer=employer,
            by=_caller(request),
            email=data.validated_data["email"],
            role=data.validated_data["role"],
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationAcceptView(APIView):
    """Accept an invitation with the code from the e-mail: signed in with the invited
    address, as an employer account that belongs to no employer yet."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=InvitationAcceptSerializer, responses={201: MembershipSerializer})
    def post(self, request: Request) -> Response:
        data = InvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.invitation_accept(token=data.validated_data["token"], by=_caller(request))
        return Response(MembershipSerializer(member).data, status=status.HTTP_201_CREATED)


class EmployerVacancyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Vacancy],
):
    """The vacancies of the caller's employer, for its owners and recruiters, in any
    state; skills and languages are written in the same request as the vacancy."""

    permission_classes = (IsAuthenticated, IsEmployerMember)
    queryset = Vacancy.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = VacancySerializer
    filterset_class = EmployerVacancyFilter
    cursor_ordering = "-id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> VacancyQuerySet:
        return selectors.vacancies_for_member(user=_caller(self.request))

    def perform_create(self, serializer: BaseSerializer[Vacancy]) -> None:
        membership = selectors.employer_membership(user=_caller(self.request))
        if membership is None:  # left the employer between the permission check and now
            raise PermissionDenied
        serializer.instance = services.vacancy_create(
            employer=membership.employer, by=_caller(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[Vacancy]) -> None:
        serializer.instance = services.vacancy_update(
            vacancy=cast(Vacancy, serializer.instance),
            by=_caller(self.request),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance: Vacancy) -> None:
        services.vacancy_delete(vacancy=instance, by=_caller(self.request))

    def _lifecycle(self, service: Callable[..., Vacancy]) -> Response:
        vacancy = service(vacancy=self.get_object(), by=_caller(self.request))
        return Response(VacancySerializer(vacancy, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=VacancySerializer, extensions=BODYLESS)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Draft → published: needs a required skill and a last day not yet past."""
        return self._lifecycle(services.vacancy_publish)

    @extend_schema(request=None, responses=VacancySerializer, extensions=BODYLESS)
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        """Published → paused."""
        return self._lifecycle(services.vacancy_pause)

    @extend_schema(request=None, responses=VacancySerializer, extensions=BODYLESS)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        """Paused → published."""
        return self._lifecycle(services.vacancy_resume)

    @extend_schema(request=None, responses=VacancySerializer, extensions=BODYLESS)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Published or paused → closed (final)."""
        return self._lifecycle(services.vacancy_close)

    @extend_schema(request=None, responses=VacancySerializer, extensions=BODYLESS)
    @action(detail=True, methods=["post"])
    def fill(self, request: Request, pk: str) -> Response:
        """Published or paused → filled (final)."""
        return self._lifecycle(services.vacancy_mark_filled)

    @extend_schema(responses=VacancyRevisionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def revisions(self, request: Request, pk: str) -> Response:
        """What matching saw: the matching fields at each revision since publication."""
        revisions = selectors.vacancy_revisions(vacancy=self.get_object())
        return Response(VacancyRevisionSerializer(revisions, many=True).data)


class PublicVacancyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Vacancy]
):
    """Search the published vacancies that are still open; no sign-in needed.

    Anonymous answers are shared for ``PUBLIC_SEARCH_CACHE_SECONDS`` (in the cache, and
    by browsers and proxies through ``Cache-Control``): a vacancy closed in that time
    may still show for that long (docs/decisions.md, "Search under load"). Signed-in
    callers are always answered afresh and in their own language.
    """

    permission_classes = (AllowAny,)
    serializer_class = PublicVacancySerializer  # the shape and the schema; see below
    filterset_class = VacancyFilter
    lookup_value_regex = "[0-9]+"

    @property
    def cursor_ordering(self) -> tuple[str, ...]:
        # The same order the FilterSet gives the queryset, so the cursor follows it.
        params = self.request.query_params
        return vacancy_ordering(params.get("ordering"), params.get("q", "").strip())

    def get_queryset(self) -> VacancyQuerySet:
        if self.action == "list":
            return selectors.vacancies_public_keys()
        return selectors.vacancies_public()

    def list(self, request: Request, *args: object, **kwargs: object) -> HttpResponseBase:  # type: ignore[override]  # a rendered answer from the cache
        return self._shared(request, self._list_data)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> HttpResponseBase:  # type: ignore[override]  # as list
        return self._shared(request, self._detail_data)

    def _list_data(self) -> Any:
        # Searched, ordered and paged over narrow rows; only the page is read whole, as
        # plain values turned into what PublicVacancySerializer would give.
        keys = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(keys)
        narrow = page if page is not None else list(keys)
        rows = {
            row["id"]: row
            for row in selectors.vacancies_public_rows(
                Vacancy.objects.filter(pk__in=[v.pk for v in narrow])
            )
        }
        language = (get_language() or "en")[:2]
        data = [
            public_vacancy_data(rows[v.pk], rank=getattr(v, "rank", None), language=language)
            for v in narrow
            if v.pk in rows  # not deleted between the two queries
        ]
        return self.get_paginated_response(data).data if page is not None else data

    def _detail_data(self) -> Any:
        pk = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        rows = selectors.vacancies_public_rows(self.get_queryset().filter(pk=pk))
        if not rows:
            raise Http404
        return public_vacancy_data(rows[0])

    def _shared(self, request: Request, answer: Callable[[], Any]) -> HttpResponseBase:
        seconds = settings.PUBLIC_SEARCH_CACHE_SECONDS
        renderer = request.accepted_renderer
        # Only JSON is shared: the browsable API's page carries the caller's own bits.
        if request.user.is_authenticated or seconds <= 0 or not isinstance(renderer, JSONRenderer):
            response = Response(answer())
            patch_cache_control(response, private=True)
            return response
        # The language is in the key: names of regions, occupations and skills follow it.
        media_type = request.accepted_media_type
        url = request.build_absolute_uri()
        digest = hashlib.sha256(f"{get_language()}|{media_type}|{url}".encode()).hexdigest()
        key = f"public-vacancies:{digest}"
        content = cache.get(key)
        if content is None:
            # Kept rendered, as Response would render it: a hit costs no JSON encoding.
            content = renderer.render(answer(), media_type, self.get_renderer_context())
            cache.set(key, content, seconds)
        shared = HttpResponse(content, content_type=media_type)
        patch_cache_control(shared, public=True, max_age=seconds)
        # A signed-in caller may be answered in another language than the anonymous one.
        patch_vary_headers(shared, ("Accept-Language", "Cookie", "Authorization"))
        return shared
