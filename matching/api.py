"""Employer-side candidate search.

An employer's members find the profiles whose owners made them visible to that
employer; name, contacts, CV and current employer stay hidden until a member opens the
contacts, which is logged for the seeker to see. An anonymous profile never opens its
contacts here: that waits for the seeker to accept a contact request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from matching.filters import CandidateFilter
from matching.permissions import IsEmployerMember
from matching.selectors import candidates_for_employer, employer_of
from seekers import selectors as seeker_selectors
from seekers.models import SeekerProfile, Visibility
from seekers.services import contact_access_record
from vacancies.models import Employer

ANONYMOUS_CONTACTS = (
    "This seeker is anonymous: the contacts open only when the seeker accepts a contact request."
)


class CandidateSerializer(serializers.Serializer[SeekerProfile]):
    """What an employer sees of a candidate before opening the contacts."""

    id = serializers.IntegerField()
    anonymous = serializers.BooleanField()
    headline = serializers.CharField()
    summary = serializers.CharField()
    desired_occupations = serializers.ListField(child=serializers.DictField())
    employment_types = serializers.ListField(child=serializers.CharField())
    citizenships = serializers.ListField(child=serializers.CharField())
    country = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    city = serializers.CharField()
    mobility_scope = serializers.CharField()
    mobility_countries = serializers.ListField(child=serializers.CharField())
    mobility_regions = serializers.ListField(child=serializers.CharField())
    remote_preference = serializers.CharField()
    accepts_rotational = serializers.BooleanField()
    available_from = serializers.DateField(allow_null=True)
    salary = serializers.DictField(allow_null=True)
    skills = serializers.ListField(child=serializers.DictField())
    languages = serializers.ListField(child=serializers.DictField())
    experience = serializers.ListField(child=serializers.DictField())
    education = serializers.ListField(child=serializers.DictField())
    work_rights = serializers.ListField(child=serializers.DictField())
    has_cv = serializers.BooleanField()

    def to_representation(self, instance: SeekerProfile) -> dict[str, Any]:
        return seeker_selectors.profile_public_view(instance, reveal_identity=False)


class ContactsSerializer(serializers.Serializer[SeekerProfile]):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    cv = serializers.DictField(allow_null=True)

    def to_representation(self, instance: SeekerProfile) -> dict[str, Any]:
        view = seeker_selectors.profile_public_view(instance, reveal_identity=True)
        return {key: view[key] for key in ("id", "full_name", "email", "phone", "cv")}


class CandidateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SeekerProfile]
):
    serializer_class = CandidateSerializer
    permission_classes = (IsEmployerMember,)
    filterset_class = CandidateFilter
    cursor_ordering = "-id"

    def _employer(self) -> Employer:
        user = self.request.user
        employer = employer_of(user=user) if isinstance(user, User) else None
        if employer is None:
            raise PermissionDenied(IsEmployerMember.message)
        return employer

    def get_queryset(self) -> QuerySet[SeekerProfile]:
        if getattr(self, "swagger_fake_view", False):
            return SeekerProfile.objects.none()
        return candidates_for_employer(employer=self._employer())

    def _open_contacts(self) -> SeekerProfile:
        profile = self.get_object()
        if profile.visibility == Visibility.ANONYMOUS:
            raise PermissionDenied(ANONYMOUS_CONTACTS)
        employer = self._employer()
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101 - IsEmployerMember let only a User in
        contact_access_record(
            profile=profile, employer_id=employer.pk, employer_name=employer.name, by=user
        )
        return profile

    @extend_schema(
        request=None,
        responses={200: ContactsSerializer, 403: OpenApiResponse(description=ANONYMOUS_CONTACTS)},
        extensions={"x-bodyless": True},
    )
    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, pk: str) -> Response:
        """Open the candidate's name, e-mail, phone and CV details; the seeker sees that you did."""
        return Response(ContactsSerializer(self._open_contacts()).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def cv(self, request: Request, pk: str) -> FileResponse:
        """Download the candidate's CV; counts as opening the contacts."""
        profile = self._open_contacts()
        cv = seeker_selectors.profile_cv(profile)
        if cv is None:
            raise NotFound("This candidate has no CV.")
        response = FileResponse(
            seeker_selectors.cv_open(cv=cv),
            as_attachment=True,
            filename=cv.download_name,
            content_type=cv.content_type,
        )
        # A CV is personal data: no shared cache (a proxy, the browser's disk) keeps it.
        response["Cache-Control"] = "private, no-store"
        return response
