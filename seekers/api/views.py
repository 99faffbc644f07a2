"""Views of the seekers API: everything here is the signed-in seeker's own data. Thin:
scope to the caller, check the shape, call one service."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, NotAuthenticated, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from accounts.models import User
from seekers import selectors, services
from seekers.api.serializers import (
    ConsentSerializer,
    ContactAccessSerializer,
    CVSerializer,
    CVUploadSerializer,
    EducationSerializer,
    EraseSerializer,
    ExperienceSerializer,
    ExportSerializer,
    ProfileSerializer,
    SeekerLanguageSerializer,
    SeekerSkillSerializer,
    WorkRightSerializer,
)
from seekers.filters import ContactAccessFilter
from seekers.models import (
    ContactAccess,
    CVType,
    Education,
    Experience,
    SeekerLanguage,
    SeekerProfile,
    SeekerSkill,
    WorkRight,
)
from seekers.permissions import IsSeeker

TAGS = ["profile"]
# Multipart framing and the other form fields around a CV: a request longer than the
# largest CV plus this is refused before Django reads (and spools to disk) any of it.
MULTIPART_OVERHEAD = 64 * 1024
NO_PROFILE = "You have no profile yet: create it with PUT /api/v1/profile/."


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def _own_profile(request: Request) -> SeekerProfile:
    profile = selectors.profile_for_owner(user=_caller(request))
    if profile is None:
        raise NotFound(NO_PROFILE)
    return profile


class ProfileView(GenericAPIView[SeekerProfile]):
    """The caller's profile. GET before the first PUT answers 404; the first PUT
    creates it (201), later ones change it (200)."""

    permission_classes = (IsAuthenticated, IsSeeker)
    serializer_class = ProfileSerializer
    queryset = SeekerProfile.objects.none()  # the model, for the schema

    def _respond(self, profile: SeekerProfile, code: int = status.HTTP_200_OK) -> Response:
        # Read back with its prefetches: the service's instance has stale lists.
        fresh = selectors.profile_for_owner(user=_caller(self.request)) or profile
        return Response(ProfileSerializer(fresh).data, status=code)

    @extend_schema(tags=TAGS, responses={200: ProfileSerializer, 404: OpenApiResponse()})
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(_own_profile(request)).data)

    @extend_schema(tags=TAGS, responses={200: ProfileSerializer, 201: ProfileSerializer})
    def put(self, request: Request) -> Response:
        user = _caller(request)
        profile = selectors.profile_for_owner(user=user)
        data = ProfileSerializer(profile, data=request.data)
        data.is_valid(raise_exception=True)
        if profile is None:
            created = services.profile_create(user=user, **data.validated_data)
            return self._respond(created, status.HTTP_201_CREATED)
        return self._respond(services.profile_update(profile=profile, **data.validated_data))

    @extend_schema(tags=TAGS, responses={200: ProfileSerializer})
    def patch(self, request: Request) -> Response:
        profile = _own_profile(request)
        data = ProfileSerializer(profile, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._respond(services.profile_update(profile=profile, **data.validated_data))


RowT = TypeVar("RowT", bound=models.Model)


class _OwnRowsViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[RowT],
    Generic[RowT],
):
    """Rows of the caller's profile. A seeker has few of them (the services cap each
    list), so the list is not paginated."""

    permission_classes = (IsAuthenticated, IsSeeker)
    pagination_class = None
    lookup_value_regex = "[0-9]+"
    row_model: ClassVar[type[models.Model]]

    def get_queryset(self) -> QuerySet[RowT]:
        return selectors.own_rows(user=_caller(self.request), model=self.row_model)

    def perform_create(self, serializer: BaseSerializer[RowT]) -> None:
        serializer.instance = self.create_row(_own_profile(self.request), serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[RowT]) -> None:
        row = cast(RowT, serializer.instance)
        serializer.instance = self.update_row(row, serializer.validated_data)

    def perform_destroy(self, instance: RowT) -> None:
        self.delete_row(instance)

    def create_row(self, profile: SeekerProfile, data: dict[str, Any]) -> RowT:
        raise NotImplementedError

    def update_row(self, row: RowT, data: dict[str, Any]) -> RowT:
        raise NotImplementedError

    def delete_row(self, row: RowT) -> None:
        raise NotImplementedError


@extend_schema(tags=TAGS)
class SkillViewSet(_OwnRowsViewSet[SeekerSkill]):
    """The skills on the caller's profile, each with a level 1–5 and years of use."""

    queryset = SeekerSkill.objects.none()
    serializer_class = SeekerSkillSerializer
    row_model = SeekerSkill

    def get_queryset(self) -> QuerySet[SeekerSkill]:
        return super().get_queryset().select_related("skill")

    def create_row(self, profile: SeekerProfile, data: dict[str, Any]) -> SeekerSkill:
        return services.seeker_skill_create(profile=profile, **data)

    def update_row(self, row: SeekerSkill, data: dict[str, Any]) -> SeekerSkill:
        return services.seeker_skill_update(row=row, **data)

    def delete_row(self, row: SeekerSkill) -> None:
        services.seeker_skill_delete(row=row)


@extend_schema(tags=TAGS)
class LanguageViewSet(_OwnRowsViewSet[SeekerLanguage]):
    """The languages on the caller's profile, each with a CEFR level or native."""

    queryset = SeekerLanguage.objects.none()
    serializer_class = SeekerLanguageSerializer
    row_model = SeekerLanguage

    def get_queryset(self) -> QuerySet[SeekerLanguage]:
        return super().get_queryset().select_related("language")

    def create_row(self, profile: SeekerProfile, data: dict[str, Any]) -> SeekerLanguage:
        return services.seeker_language_create(profile=profile, **data)

    def update_row(self, row: SeekerLanguage, data: dict[str, Any]) -> SeekerLanguage:
        return services.seeker_language_update(row=row, **data)

    def delete_row(self, row: SeekerLanguage) -> None:
        services.seeker_language_delete(row=row)


@extend_schema(tags=TAGS)
class ExperienceViewSet(_OwnRowsViewSet[Experience]):
    """The caller's jobs; one without an end date is the current job."""

    queryset = Experience.objects.none()
    serializer_class = ExperienceSerializer
    row_model = Experience

    def create_row(self, profile: SeekerProfile, data: dict[str, Any]) -> Experience:
        return services.experience_create(profile=profile, **data)

    def update_row(self, row: Experience, data: dict[str, Any]) -> Experience:
        return services.experience_update(row=row, **data)

    def delete_row(self, row: Experience) -> None:
        services.experience_delete(row=row)


@extend_schema(tags=TAGS)
class EducationViewSet(_OwnRowsViewSet[Education]):
    """The caller's education, by ISCED 2011 level."""

    queryset = Education.objects.none()
    serializer_class = EducationSerializer
    row_model = Education

    def create_row(self, profile: SeekerProfile, data: dict[str, Any]) -> Education:
        return services.education_create(profile=profile, **data)

    def update_row(self, row: Education, data: dict[str, Any]) -> Education:
        return services.education_update(row=row, **data)

    def delete_row(self, row: Education) -> None:
        services.education_delete(row=row)


@extend_schema(tags=TAGS)
class WorkRightViewSet(_OwnRowsViewSet[WorkRight]):
    """The caller's residence and work permits (rights to work other than by citizenship)."""

    queryset = WorkRight.objects.none()
    serializer_class = WorkRightSerializer
    row_model = WorkRight

    def create_row(self, profile: SeekerProfile, data: dict[str, Any]) -> WorkRight:
        return services.work_right_create(profile=profile, **data)

    def update_row(self, row: WorkRight, data: dict[str, Any]) -> WorkRight:
        return services.work_right_update(row=row, **data)

    def delete_row(self, row: WorkRight) -> None:
        services.work_right_delete(row=row)


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The file is too large."
    default_code = "too_large"


class UnsupportedFileType(APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = "This type of file is not accepted."
    default_code = "unsupported_file_type"


def _cv_error(exc: DjangoValidationError) -> APIException:
    """413 or 415 for the CV service's size and type errors, 400 for anything else."""
    if not hasattr(exc, "error_dict"):
        return ValidationError({"file": exc.messages})
    detail: dict[str, list[str]] = exc.message_dict
    codes = {e.code for errors in exc.error_dict.values() for e in errors}
    if services.CV_TOO_LARGE in codes:
        return PayloadTooLarge(detail)
    if services.CV_UNSUPPORTED in codes:
        return UnsupportedFileType(detail)
    return ValidationError(detail)


CV_DOWNLOAD = {
    (200, CVType.PDF.value): OpenApiTypes.BINARY,
    (200, CVType.DOCX.value): OpenApiTypes.BINARY,
}


class CVView(APIView):
    """The caller's CV: upload (replaces the earlier one), download, delete. The file
    lives outside the web root and is served only here, to its owner."""

    permission_classes = (IsAuthenticated, IsSeeker)
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(tags=TAGS, responses={**CV_DOWNLOAD, 404: OpenApiResponse()})
    def get(self, request: Request) -> FileResponse:
        profile = _own_profile(request)
        cv = selectors.profile_cv(profile)
        if cv is None:
            raise NotFound("You have not uploaded a CV.")
        response = FileResponse(
            selectors.cv_open(cv=cv),
            as_attachment=True,
            filename=cv.download_name,
            content_type=cv.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        tags=TAGS,
        request={"multipart/form-data": CVUploadSerializer},
        responses={
            201: CVSerializer,
            413: OpenApiResponse(description="Larger than the CV limit."),
            415: OpenApiResponse(description="Not a PDF or DOCX, whatever its name says."),
        },
    )
    def post(self, request: Request) -> Response:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.CV_MAX_BYTES + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(
                {"file": [f"A CV is at most {settings.CV_MAX_BYTES // 2**20} MB."]}
            )
        profile = _own_profile(request)
        data = CVUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cv = services.cv_upload(profile=profile, file=data.validated_data["file"])
        except DjangoValidationError as exc:
            raise _cv_error(exc) from exc
        return Response(CVSerializer(cv).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TAGS, request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not services.cv_delete(profile=_own_profile(request)):
            raise NotFound("You have not uploaded a CV.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentView(APIView):
    """Consent to the processing of the profile's data. Withdrawing it hides the profile."""

    permission_classes = (IsAuthenticated, IsSeeker)

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: ConsentSerializer},
        extensions={"x-bodyless": True},
        description="Give consent (the time it was first given is kept).",
    )
    def post(self, request: Request) -> Response:
        profile = services.consent_give(profile=_own_profile(request))
        return Response(ConsentSerializer(profile).data)

    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: ConsentSerializer},
        description="Withdraw consent: the profile is hidden from employers at once.",
    )
    def delete(self, request: Request) -> Response:
        profile = services.consent_withdraw(profile=_own_profile(request))
        return Response(ConsentSerializer(profile).data)


@extend_schema(tags=TAGS)
class ContactLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ContactAccess]):
    """Which employers opened the caller's contacts, and when; newest first."""

    permission_classes = (IsAuthenticated, IsSeeker)
    queryset = ContactAccess.objects.none()  # the model, for the schema
    serializer_class = ContactAccessSerializer
    filterset_class = ContactAccessFilter
    cursor_ordering = ("-at", "-id")

    def get_queryset(self) -> QuerySet[ContactAccess]:
        return selectors.contact_log(user=_caller(self.request))


class ExportView(APIView):
    """Everything stored about the caller on the seeker side, as a JSON download."""

    permission_classes = (IsAuthenticated, IsSeeker)

    @extend_schema(tags=TAGS, responses={200: ExportSerializer})
    def get(self, request: Request) -> Response:
        export = selectors.profile_export(user=_caller(request))
        return Response(
            export,
            headers={
                "Content-Disposition": 'attachment; filename="borderless-export.json"',
                "Cache-Control": "private, no-store",
            },
        )


class EraseView(APIView):
    """Erase the caller's account and everything stored about them. Asks for the
    password, so a token left on a shared computer cannot do it alone."""

    permission_classes = (IsAuthenticated, IsSeeker)

    @extend_schema(tags=TAGS, request=EraseSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        user = _caller(request)
        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not user.check_password(data.validated_data["password"]):
            raise ValidationError({"password": ["The password is not right."]})
        services.seeker_erase(user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
