"""Applications through the API: the seeker applies, answers invitations and withdraws;
an employer's members invite, work the pipeline of each vacancy and hire.

The seeker's name, e-mail, phone (and the CV, if the seeker chose to share it) reach
the employer only while ``Application.contacts_visible``: from the seeker's application
or acceptance of an invitation, until the seeker withdraws or declines. When an
employer's member is shown them on an application's own page, the seeker's contact log
records it (once per employer for each time the contacts were shared).

Every move goes through ``matching.applications``: a move the present state does not
allow is a 409, a move that belongs to the other side a 403, bad fields a 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import User
from config.exceptions import CONFLICT
from matching.api import CandidateSerializer
from matching.api_matches import NO_VACANCY, MatchVacancySerializer
from matching.applications import (
    MAX_NOTE,
    HireDetails,
    allowed_moves,
    application_apply,
    application_invite,
    application_move,
)
from matching.models import Application, ApplicationEvent, ApplicationStatus, LegalBasis, Party
from matching.selectors import vacancy_for_member
from matching.selectors_applications import (
    applications_for_member,
    applications_for_seeker,
    applications_for_vacancy,
    contacts_logged_since,
    seeker_profile_of,
)
from seekers import selectors as seeker_selectors
from seekers.models import SeekerProfile
from seekers.permissions import IsSeeker
from seekers.services import contact_access_record
from vacancies.models import Vacancy
from vacancies.permissions import IsEmployerMember

NO_SUCH_VACANCY = _("No such vacancy.")
NO_SUCH_CANDIDATE = _("No such candidate.")
NO_PROFILE = _("Create your profile before applying.")
NO_CV = "No CV is shared with this application."
MOVE_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(description="A field is missing or wrong (messages by field)."),
    403: OpenApiResponse(description="The move belongs to the other side."),
    409: OpenApiResponse(description="The application's present state does not allow the move."),
}


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


# --- Filters ------------------------------------------------------------------------


class ApplicationFilter(django_filters.FilterSet):
    """The seeker's applications, or the pipeline of one vacancy."""

    status = django_filters.MultipleChoiceFilter(
        choices=ApplicationStatus.choices, distinct=False, label="In this status (repeatable)"
    )
    started_by = django_filters.ChoiceFilter(
        choices=[(Party.SEEKER, "The seeker applied"), (Party.EMPLOYER, "The employer invited")],
        label="Who started it",
    )

    class Meta:
        model = Application
        fields = ("status", "started_by")


# --- Serializers --------------------------------------------------------------------


class ApplicationVacancySerializer(MatchVacancySerializer):
    """The vacancy applied to, as a summary (with its own state: it may have closed)."""

    class Meta:
        model = Vacancy
        fields = (*MatchVacancySerializer.Meta.fields, "status")
        read_only_fields = fields


class ApplicationEventSerializer(serializers.ModelSerializer[ApplicationEvent]):
    """One step of the application. Who on a side made it is not told to the other."""

    class Meta:
        model = ApplicationEvent
        fields = ("at", "party", "from_status", "to_status", "note")
        read_only_fields = fields


class _ApplicationSerializer(serializers.ModelSerializer[Application]):
    vacancy = ApplicationVacancySerializer(read_only=True)
    contacts_visible = serializers.BooleanField(
        read_only=True,
        help_text="Whether the employer sees the seeker's name and contacts now.",
    )
    placement = serializers.SerializerMethodField(help_text="The placement a hire made.")

    def get_placement(self, application: Application) -> int | None:
        # A reverse one-to-one without a row raises an AttributeError subclass.
        placement = getattr(application, "placement", None)
        return None if placement is None else int(placement.pk)


_COMMON = (
    "id", "vacancy", "status", "started_by", "note", "share_cv", "contacts_visible",
    "placement", "created_at", "updated_at",
)  # fmt: skip
MOVES_FIELD = serializers.ListField(
    child=serializers.ChoiceField(choices=ApplicationStatus.choices)
)


class SeekerApplicationSerializer(_ApplicationSerializer):
    """An application of the seeker's, or an invitation to them (``started_by``
    employer)."""

    class Meta:
        model = Application
        fields = _COMMON
        read_only_fields = fields


class SeekerApplicationDetailSerializer(SeekerApplicationSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)
    allowed_moves = serializers.SerializerMethodField(
        help_text="The statuses you may move the application to now."
    )

    class Meta:
        model = Application
        fields = (*_COMMON, "events", "allowed_moves")
        read_only_fields = fields

    @extend_schema_field(MOVES_FIELD)
    def get_allowed_moves(self, application: Application) -> list[str]:
        return allowed_moves(application, Party.SEEKER)


class ApplicationCandidateSerializer(CandidateSerializer):
    """The candidate as the employer sees them on an application: the name, contacts
    and CV details are present only while the contacts are visible (and the CV only
    when the seeker shared it)."""

    full_name = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False)
    cv = serializers.DictField(
        required=False, allow_null=True, help_text="Name, type and size; download at cv_url."
    )


def candidate_view(application: Application) -> dict[str, Any]:
    """What the employer sees of the application's seeker (loaded for the public view)."""
    view = seeker_selectors.profile_public_view(
        application.seeker,
        reveal_identity=application.contacts_visible,
        shared_by_seeker=application.contacts_visible,
    )
    if "cv" in view and not application.share_cv:
        view["cv"] = None
    return view


class EmployerApplicationSerializer(_ApplicationSerializer):
    """An application in the vacancy's pipeline, with the candidate."""

    candidate = serializers.SerializerMethodField()
    cv_url = serializers.SerializerMethodField(
        help_text="Where to download the CV, when shared with visible contacts."
    )

    class Meta:
        model = Application
        fields = (*_COMMON, "candidate", "cv_url")
        read_only_fields = fields

    _views: dict[int, dict[str, Any]] | None = None

    def candidate_of(self, application: Application) -> dict[str, Any]:
        """The candidate's view; ``candidate`` and ``cv_url`` both read it, drawn once."""
        if self._views is None:
            self._views = {}
        if application.pk not in self._views:
            self._views[application.pk] = candidate_view(application)
        return self._views[application.pk]

    @extend_schema_field(ApplicationCandidateSerializer)
    def get_candidate(self, application: Application) -> dict[str, Any]:
        return self.candidate_of(application)

    def get_cv_url(self, application: Application) -> str | None:
        if not self.candidate_of(application).get("cv"):
            return None
        url: str = reverse(
            "employer-application-cv",
            kwargs={"pk": application.pk},
            request=self.context.get("request"),
        )
        return url


class EmployerApplicationDetailSerializer(EmployerApplicationSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)
    allowed_moves = serializers.SerializerMethodField(
        help_text="The statuses you may move the application to now."
    )

    class Meta:
        model = Application
        fields = (*_COMMON, "candidate", "cv_url", "events", "allowed_moves")
        read_only_fields = fields

    @extend_schema_field(MOVES_FIELD)
    def get_allowed_moves(self, application: Application) -> list[str]:
        return allowed_moves(application, Party.EMPLOYER)


class ApplyInputSerializer(serializers.Serializer[Any]):
    vacancy = serializers.IntegerField(help_text="The vacancy's id.")
    note = serializers.CharField(
        allow_blank=True, default="", max_length=MAX_NOTE, help_text="A cover note."
    )
    share_cv = serializers.BooleanField(
        default=False, help_text="Let the employer download your CV."
    )

    def validate_vacancy(self, value: int) -> Vacancy:
        # A draft is nobody's business but its employer's: it does not exist here. Other
        # states exist, and the service says why they take no applications (a 409).
        vacancy = Vacancy.objects.exclude(status=Vacancy.Status.DRAFT).filter(pk=value).first()
        if vacancy is None:
            raise serializers.ValidationError(NO_SUCH_VACANCY)
        return vacancy


class MoveInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, help_text="Where to move the application."
    )
    note = serializers.CharField(
        allow_blank=True, default="", max_length=MAX_NOTE, help_text="Why."
    )


class EmployerMoveInputSerializer(MoveInputSerializer):
    start_date = serializers.DateField(
        required=False, help_text="For hired (needed): the first working day."
    )
    legal_basis = serializers.ChoiceField(
        choices=LegalBasis.choices,
        allow_null=True,
        default=None,
        help_text="For hired: why the person may work there; derived from the profile if not given.",
    )
    work_permit_number = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=64,
        help_text="For hired on a work permit (needed then).",
    )
    recognition_obtained = serializers.BooleanField(
        allow_null=True,
        default=None,
        help_text="For hired into a regulated profession: whether the diploma is recognised.",
    )

    def hire_details(self) -> HireDetails | None:
        data = self.validated_data
        if data.get("start_date") is None:
            return None  # the service asks for it if the move is a hire
        return HireDetails(
            start_date=data["start_date"],
            legal_basis=data["legal_basis"],
            work_permit_number=data["work_permit_number"],
            recognition_obtained=data["recognition_obtained"],
        )


class InviteInputSerializer(serializers.Serializer[Any]):
    vacancy = serializers.IntegerField(help_text="One of your employer's vacancies.")
    seeker = serializers.IntegerField(
        help_text="The candidate's profile id (from a match or the candidate search)."
    )
    note = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=MAX_NOTE,
        help_text="The invitation's text.",
    )

    def validate_vacancy(self, value: int) -> Vacancy:
        user: User = self.context["user"]
        vacancy = vacancy_for_member(user=user, vacancy_id=value)
        if vacancy is None:
            raise serializers.ValidationError(NO_SUCH_VACANCY)
        return vacancy

    def validate_seeker(self, value: int) -> SeekerProfile:
        # Whether this employer may see the profile is the service's rule, and it answers
        # with this same message: an unknown id and a hidden profile read alike.
        profile = SeekerProfile.objects.filter(pk=value).first()
        if profile is None:
            raise serializers.ValidationError(NO_SUCH_CANDIDATE)
        return profile


# --- The seeker's side --------------------------------------------------------------


@extend_schema(tags=["profile"])
class SeekerApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Application]
):
    """The seeker's applications and the invitations received, newest first.

    Another seeker's application is a 404.
    """

    permission_classes = (IsAuthenticated, IsSeeker)
    queryset = Application.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = SeekerApplicationSerializer
    filterset_class = ApplicationFilter
    cursor_ordering = "-id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Application]:
        return applications_for_seeker(user=_caller(self.request))

    def get_serializer_class(self) -> type[SeekerApplicationSerializer]:
        if self.action == "list":
            return SeekerApplicationSerializer
        return SeekerApplicationDetailSerializer

    # The stubs type the queryset with a type variable the class does not bind.
    def filter_queryset(self, queryset: QuerySet[Application]) -> QuerySet[Application]:  # type: ignore[override]
        # The filters pick among the list; they must not hide an application's own page.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _detail(self, application: Application) -> dict[str, Any]:
        fresh = self.get_queryset().get(pk=application.pk)
        return dict(
            SeekerApplicationDetailSerializer(fresh, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=ApplyInputSerializer,
        responses={
            201: SeekerApplicationDetailSerializer,
            400: OpenApiResponse(description="No such vacancy, or a field is wrong."),
            409: OpenApiResponse(
                description="The vacancy takes no applications, you already have an open "
                "application to it, or your profile lacks consent."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        """Apply to a vacancy: the employer sees your name and contacts from now on."""
        user = _caller(request)
        data = ApplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = seeker_profile_of(user=user)
        if profile is None:
            raise DjangoValidationError(
                {"profile": DjangoValidationError(NO_PROFILE, code=CONFLICT)}
            )
        application = application_apply(
            profile=profile,
            vacancy=data.validated_data["vacancy"],
            by=user,
            note=data.validated_data["note"],
            share_cv=data.validated_data["share_cv"],
        )
        return Response(self._detail(application), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MoveInputSerializer,
        responses={200: SeekerApplicationDetailSerializer, **MOVE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Withdraw, or accept or decline an invitation (see ``allowed_moves``)."""
        application = self.get_object()
        data = MoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_move(
            application=application,
            to=data.validated_data["status"],
            by=_caller(request),
            note=data.validated_data["note"],
        )
        return Response(self._detail(application))


# --- The employer's side ------------------------------------------------------------


def _log_contacts(application: Application, *, view: dict[str, Any], by: User) -> None:
    """Record, for the seeker, that the employer was shown the contacts — once for each
    time the seeker shared them with this employer, not at every page view."""
    shared = application.contacts_shared_at
    if view["anonymous"] or shared is None:
        return
    employer = application.vacancy.employer
    if contacts_logged_since(
        profile_id=application.seeker_id, employer_id=employer.pk, since=shared
    ):
        return
    contact_access_record(
        profile=application.seeker, employer_id=employer.pk, employer_name=employer.name, by=by
    )


@extend_schema(
    tags=["employer"],
    parameters=[OpenApiParameter("vacancy_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
)
class VacancyApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Application]):
    """The pipeline of one of your vacancies, newest first.

    Each candidate shows the name and contacts only while they are visible (the seeker
    applied, or accepted your invitation). Another employer's vacancy is a 404.
    """

    permission_classes = (IsAuthenticated, IsEmployerMember)
    queryset = Application.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = EmployerApplicationSerializer
    filterset_class = ApplicationFilter
    cursor_ordering = "-id"

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        vacancy = vacancy_for_member(
            user=_caller(self.request), vacancy_id=int(self.kwargs["vacancy_id"])
        )
        if vacancy is None:
            raise NotFound(NO_VACANCY)
        return applications_for_vacancy(vacancy=vacancy)


@extend_schema(tags=["employer"])
class EmployerApplicationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet[Application]):
    """One application to your employer's vacancies, with its history and the moves you
    may make. Another employer's application is a 404.

    Opening an application whose contacts are visible is recorded in the seeker's
    contact log.
    """

    permission_classes = (IsAuthenticated, IsEmployerMember)
    queryset = Application.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = EmployerApplicationDetailSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Application]:
        return applications_for_member(user=_caller(self.request))

    def _respond(self, application: Application, *, code: int = status.HTTP_200_OK) -> Response:
        serializer = EmployerApplicationDetailSerializer(
            application, context=self.get_serializer_context()
        )
        data = serializer.data
        _log_contacts(
            application, view=serializer.candidate_of(application), by=_caller(self.request)
        )
        return Response(data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    @extend_schema(
        request=EmployerMoveInputSerializer,
        responses={200: EmployerApplicationDetailSerializer, **MOVE_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Move the application on (see ``allowed_moves``); "hired" needs the start date
        and makes the placement (its id is in ``placement``)."""
        application = self.get_object()
        data = EmployerMoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_move(
            application=application,
            to=data.validated_data["status"],
            by=_caller(request),
            note=data.validated_data["note"],
            hire=data.hire_details(),
        )
        return self._respond(self.get_queryset().get(pk=application.pk))

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description=NO_CV),
        }
    )
    @action(detail=True, methods=["get"])
    def cv(self, request: Request, pk: str) -> FileResponse:
        """Download the CV the seeker shared with the application (while the contacts are
        visible); recorded in the seeker's contact log."""
        application = self.get_object()
        view = candidate_view(application)
        cv = seeker_selectors.profile_cv(application.seeker) if view.get("cv") else None
        if cv is None:
            raise NotFound(NO_CV)
        _log_contacts(application, view=view, by=_caller(request))
        response = FileResponse(
            seeker_selectors.cv_open(cv=cv),
            as_attachment=True,
            filename=cv.download_name,
            content_type=cv.content_type,
        )
        # A CV is personal data: no shared cache (a proxy, the browser's disk) keeps it.
        response["Cache-Control"] = "private, no-store"
        return response


class InvitationCreateView(APIView):
    """Invite a candidate (from a match or the candidate search) to apply to one of your
    vacancies. The name and contacts stay hidden until the seeker accepts."""

    permission_classes = (IsAuthenticated, IsEmployerMember)

    @extend_schema(
        tags=["employer"],
        request=InviteInputSerializer,
        responses={
            201: EmployerApplicationDetailSerializer,
            400: OpenApiResponse(description="No such vacancy or candidate, or a field is wrong."),
            409: OpenApiResponse(
                description="The vacancy is not open, or the pair already has an open application."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        user = _caller(request)
        data = InviteInputSerializer(data=request.data, context={"user": user})
        data.is_valid(raise_exception=True)
        application = application_invite(
            vacancy=data.validated_data["vacancy"],
            profile=data.validated_data["seeker"],
            by=user,
            note=data.validated_data["note"],
        )
        fresh = applications_for_member(user=user).get(pk=application.pk)
        body = EmployerApplicationDetailSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
