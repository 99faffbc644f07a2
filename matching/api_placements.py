"""Placements through the API: the reviewers' queue and decisions, the employer's own
placements (answering the reviewer, adding documents) and the seeker's own.

The reviewers see every placement with its whole file: the history of the application
that made it, the audit trail and the documents. An employer's members see their
employer's placements, with the questions asked of them; a seeker sees their own.
Someone else's placement, or a document of it, is a 404. Every decision is a service
call, audited and told to both sides there.
"""

from __future__ import annotations

import logging
from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotAuthenticated, NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.models import User
from matching import placements as services
from matching.documents import (
    DOCUMENT_MAX_BYTES,
    DOCUMENT_TOO_LARGE,
    DOCUMENT_UNSUPPORTED,
    EXTENSION,
    document_open,
)
from matching.models import (
    ApplicationEvent,
    Placement,
    PlacementDocument,
    PlacementEvent,
    PlacementStatus,
    RelocationProgramme,
)
from matching.selectors_placements import (
    can_review_placements,
    placement_document,
    placement_file_for_review,
    placements_for_employer,
    placements_for_review,
    placements_for_seeker,
)
from seekers.permissions import IsSeeker
from taxonomy.models import Country, Region
from vacancies.permissions import IsEmployerMember

log = logging.getLogger(__name__)

# Multipart framing and the kind field around a document: a request longer than the
# largest document plus this is refused before Django reads (and spools) any of it.
MULTIPART_OVERHEAD = 64 * 1024
DOCUMENT_ID = OpenApiParameter("document_id", OpenApiTypes.INT, OpenApiParameter.PATH)
DOCUMENT_DOWNLOAD = {(200, content_type): OpenApiTypes.BINARY for content_type in EXTENSION}
REVIEW_DOCUMENT_ROUTE = "review-placement-document"
EMPLOYER_DOCUMENT_ROUTE = "employer-placement-document"
DOCUMENT_ROUTE = "document_route"  # serializer context: which route serves the documents


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class IsPlacementReviewer(BasePermission):
    """A platform reviewer or administrator."""

    message = "Only the platform's reviewers review placements."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, User) and can_review_placements(user)


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The file is too large."
    default_code = "too_large"


class UnsupportedFileType(APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_detail = "This type of file is not accepted."
    default_code = "unsupported_file_type"


# --- FilterSets ---------------------------------------------------------------------


class PlacementQueueFilter(django_filters.FilterSet):
    """The reviewers' queue: pending placements unless ``status`` asks for others."""

    status = django_filters.MultipleChoiceFilter(
        choices=PlacementStatus.choices,
        distinct=False,
        label="Status (repeatable; pending unless given)",
    )
    country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        field_name="destination_country",
        label="Work in this country",
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), field_name="destination_region", label="Work in this region"
    )
    origin_country = django_filters.ModelChoiceFilter(
        queryset=Country.objects.all(),
        field_name="origin_country",
        label="Coming from this country",
    )
    origin_region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), field_name="origin_region", label="Coming from this region"
    )
    employer = django_filters.NumberFilter(field_name="employer_id", label="Employer id")
    cross_border = django_filters.BooleanFilter(label="Moves across a state border")
    programme = django_filters.BooleanFilter(
        method="filter_programme", label="Falls under a relocation programme"
    )

    class Meta:
        model = Placement
        fields = (
            "status", "country", "region", "origin_country", "origin_region", "employer",
            "cross_border", "programme",
        )  # fmt: skip

    def filter_programme(
        self, queryset: QuerySet[Placement], name: str, value: bool
    ) -> QuerySet[Placement]:
        return queryset.filter(programme__isnull=not value)

    def filter_queryset(self, queryset: QuerySet[Placement]) -> QuerySet[Placement]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=PlacementStatus.PENDING)
        return queryset


class PlacementStatusFilter(django_filters.FilterSet):
    """An employer's or a seeker's own placements, in any status unless asked."""

    status = django_filters.MultipleChoiceFilter(
        choices=PlacementStatus.choices, distinct=False, label="Status (repeatable)"
    )

    class Meta:
        model = Placement
        fields = ("status",)


# --- Serializers --------------------------------------------------------------------


class ProgrammeRefSerializer(serializers.ModelSerializer[RelocationProgramme]):
    class Meta:
        model = RelocationProgramme
        fields = ("id", "name", "country", "valid_from", "valid_until")
        read_only_fields = fields


PLACEMENT_FIELDS: tuple[str, ...] = (
    "id", "status", "application", "seeker", "employer", "employer_name", "vacancy",
    "vacancy_title", "occupation", "start_date", "origin_country", "origin_region",
    "destination_country", "destination_region", "cross_border", "citizenship",
    "legal_basis", "work_permit_number", "regulated_profession", "recognition_obtained",
    "programme", "hired_at", "queued_at", "decided_at", "decision_reason",
)  # fmt: skip


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    """The facts of a placement: who placed whom where, on what legal basis."""

    employer_name = serializers.CharField(source="employer.name", read_only=True)
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    programme = ProgrammeRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Placement
        fields: tuple[str, ...] = PLACEMENT_FIELDS
        read_only_fields: tuple[str, ...] = fields


def _age_hours(placement: Placement) -> int:
    return int((timezone.now() - placement.queued_at).total_seconds() // 3600)


class QueuedPlacementSerializer(PlacementSerializer):
    age_hours = serializers.SerializerMethodField(
        help_text="Whole hours since it (re-)entered the queue."
    )

    class Meta(PlacementSerializer.Meta):
        fields = (*PLACEMENT_FIELDS, "age_hours")
        read_only_fields = fields

    def get_age_hours(self, placement: Placement) -> int:
        return _age_hours(placement)


class PlacementEventSerializer(serializers.ModelSerializer[PlacementEvent]):
    """A step of the placement's audit trail: when, by which side, what, and why."""

    class Meta:
        model = PlacementEvent
        fields: tuple[str, ...] = (
            "id",
            "at",
            "party",
            "action",
            "from_status",
            "to_status",
            "note",
        )
        read_only_fields: tuple[str, ...] = fields


class UserRefSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email")
        read_only_fields = fields


class AuditEventSerializer(PlacementEventSerializer):
    """The same step with the account that made it, for the reviewers."""

    by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta(PlacementEventSerializer.Meta):
        fields = (*PlacementEventSerializer.Meta.fields, "by")
        read_only_fields = fields


class ApplicationStepSerializer(serializers.ModelSerializer[ApplicationEvent]):
    class Meta:
        model = ApplicationEvent
        fields = ("id", "at", "party", "from_status", "to_status", "note")
        read_only_fields = fields


class PlacementDocumentSerializer(serializers.ModelSerializer[PlacementDocument]):
    name = serializers.CharField(source="original_name", read_only=True)
    download = serializers.SerializerMethodField(help_text="Where to download it (attachment).")

    class Meta:
        model = PlacementDocument
        fields = ("id", "kind", "name", "content_type", "size", "sha256", "uploaded_at", "download")
        read_only_fields = fields

    def get_download(self, document: PlacementDocument) -> str:
        url: str = reverse(
            self.context.get(DOCUMENT_ROUTE, EMPLOYER_DOCUMENT_ROUTE),
            kwargs={"pk": document.placement_id, "document_id": document.pk},
            request=self.context.get("request"),
        )
        return url


class ReviewPlacementSerializer(QueuedPlacementSerializer):
    """A placement's whole file, for the reviewers."""

    application_history = serializers.SerializerMethodField(
        help_text="The steps of the application that made it (none once the seeker left)."
    )
    events = AuditEventSerializer(many=True, read_only=True)
    documents = PlacementDocumentSerializer(many=True, read_only=True)

    class Meta(QueuedPlacementSerializer.Meta):
        fields = (
            *QueuedPlacementSerializer.Meta.fields, "application_history", "events", "documents",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ApplicationStepSerializer(many=True))
    def get_application_history(self, placement: Placement) -> list[dict[str, Any]]:
        if placement.application is None:
            return []
        steps = placement.application.events.all()
        return list(ApplicationStepSerializer(steps, many=True).data)


def _open_question(placement: Placement) -> str | None:
    if placement.status != PlacementStatus.NEEDS_INFO:
        return None
    asked = [e for e in placement.events.all() if e.action == PlacementEvent.Action.INFO_REQUESTED]
    return asked[-1].note if asked else None


class EmployerPlacementSerializer(PlacementSerializer):
    """The employer's placement with the reviewer's questions (in the events) and its
    documents."""

    open_question = serializers.SerializerMethodField(
        help_text="What the reviewer asks and waits for an answer to, if anything."
    )
    events = PlacementEventSerializer(many=True, read_only=True)
    documents = PlacementDocumentSerializer(many=True, read_only=True)

    class Meta(PlacementSerializer.Meta):
        fields = (*PLACEMENT_FIELDS, "open_question", "events", "documents")
        read_only_fields = fields

    def get_open_question(self, placement: Placement) -> str | None:
        return _open_question(placement)


class SeekerPlacementSerializer(PlacementSerializer):
    """The seeker's own placement, with what the reviewers decided and asked."""

    events = PlacementEventSerializer(many=True, read_only=True)

    class Meta(PlacementSerializer.Meta):
        fields = (*PLACEMENT_FIELDS, "events")
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_TEXT, default=""
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=services.MAX_TEXT, help_text="Why; both sides are told."
    )


class RequestInfoSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(
        max_length=services.MAX_TEXT, help_text="What the employer must answer."
    )


class AnswerSerializer(serializers.Serializer[Any]):
    answer = serializers.CharField(max_length=services.MAX_TEXT)
    recognition_obtained = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For a regulated profession: whether the qualification is now recognised.",
    )


class DocumentUploadSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=PlacementDocument.DocumentKind.choices)
    file = serializers.FileField(
        help_text=f"A PDF, JPEG or PNG of at most {DOCUMENT_MAX_BYTES // 2**20} MB; the type "
        "is judged by the content, and a name claiming another type is refused."
    )


# --- Views --------------------------------------------------------------------------


def _download(document: PlacementDocument | None) -> FileResponse:
    if document is None:
        raise NotFound("No such document.")
    try:
        file = document_open(document=document)
    except FileNotFoundError as exc:
        log.error("placement document %s has no file %s", document.pk, document.stored_name)
        raise NotFound("No such document.") from exc
    response = FileResponse(
        file,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _document_error(exc: DjangoValidationError) -> Exception:
    """413 or 415 for the size and type checks; anything else as the API answers it."""
    codes = (
        {e.code for errors in exc.error_dict.values() for e in errors}
        if hasattr(exc, "error_dict")
        else set()
    )
    if DOCUMENT_TOO_LARGE in codes:
        return PayloadTooLarge(exc.message_dict)
    if DOCUMENT_UNSUPPORTED in codes:
        return UnsupportedFileType(exc.message_dict)
    return exc


DECIDED = {
    200: ReviewPlacementSerializer,
    400: OpenApiResponse(description="A missing or too long text, by field."),
    409: OpenApiResponse(description="Not pending: decided already, or waiting for an answer."),
}


@extend_schema(tags=["review"])
class ReviewPlacementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Placement]
):
    """The reviewers' queue of placements, oldest first, and each placement's whole
    file; approve, reject with a reason, or ask the employer for information."""

    permission_classes = (IsAuthenticated, IsPlacementReviewer)
    queryset = Placement.objects.none()  # the model, for the schema; get_queryset scopes
    filterset_class = PlacementQueueFilter
    cursor_ordering = ("queued_at", "id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Placement]:
        user = _caller(self.request)
        if self.action == "list":
            return placements_for_review(user=user)
        return placement_file_for_review(user=user)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Placement]]:
        if self.action == "list":
            return QueuedPlacementSerializer
        return ReviewPlacementSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), DOCUMENT_ROUTE: REVIEW_DOCUMENT_ROUTE}

    # The stubs type the queryset with a type variable the class does not bind.
    def filter_queryset(self, queryset: QuerySet[Placement]) -> QuerySet[Placement]:  # type: ignore[override]
        # The queue's filters (pending by default) must not hide a placement's own file.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _decided(self, placement: Placement) -> Response:
        fresh = self.get_queryset().get(pk=placement.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ApproveSerializer, responses=DECIDED)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve the placement, with an optional note to both sides."""
        placement = self.get_object()
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decided(
            services.placement_approve(
                placement=placement, by=_caller(request), note=data.validated_data["note"]
            )
        )

    @extend_schema(request=RejectSerializer, responses=DECIDED)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """Reject the placement; the reason is required and told to both sides."""
        placement = self.get_object()
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decided(
            services.placement_reject(
                placement=placement, by=_caller(request), reason=data.validated_data["reason"]
            )
        )

    @extend_schema(request=RequestInfoSerializer, responses=DECIDED)
    @action(detail=True, methods=["post"], url_path="request-info", url_name="request-info")
    def request_info(self, request: Request, pk: str) -> Response:
        """Ask the employer a question; the placement leaves the queue until answered."""
        placement = self.get_object()
        data = RequestInfoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decided(
            services.placement_request_info(
                placement=placement, by=_caller(request), question=data.validated_data["question"]
            )
        )

    @extend_schema(
        parameters=[DOCUMENT_ID], responses={**DOCUMENT_DOWNLOAD, 404: OpenApiResponse()}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)",
        url_name="document",
    )
    def document(self, request: Request, pk: str, document_id: str) -> FileResponse:
        """Download one of the placement's documents (as an attachment)."""
        return _download(
            placement_document(
                placements=placements_for_review(user=_caller(request)),
                placement_id=int(pk),
                document_id=int(document_id),
            )
        )


@extend_schema(tags=["employer"])
class EmployerPlacementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Placement]
):
    """The placements the caller's employer made by its hires, newest first, with the
    reviewers' questions; answer them, and add the documents behind a placement."""

    permission_classes = (IsAuthenticated, IsEmployerMember)
    queryset = Placement.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = EmployerPlacementSerializer
    filterset_class = PlacementStatusFilter
    cursor_ordering = ("-hired_at", "-id")
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Placement]:
        return placements_for_employer(user=_caller(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), DOCUMENT_ROUTE: EMPLOYER_DOCUMENT_ROUTE}

    def filter_queryset(self, queryset: QuerySet[Placement]) -> QuerySet[Placement]:  # type: ignore[override]  # as above
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(
        request=AnswerSerializer,
        responses={
            200: EmployerPlacementSerializer,
            400: OpenApiResponse(description="A missing or too long answer."),
            409: OpenApiResponse(description="Nothing was asked about this placement."),
        },
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        """Answer the reviewer's question; the placement goes back to the end of the queue."""
        placement = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_answer(
            placement=placement,
            by=_caller(request),
            answer=data.validated_data["answer"],
            recognition_obtained=data.validated_data["recognition_obtained"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=placement.pk)).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: PlacementDocumentSerializer,
            409: OpenApiResponse(description="The placement is decided: no more documents."),
            413: OpenApiResponse(description="Larger than 10 MB."),
            415: OpenApiResponse(
                description="Not a PDF, JPEG or PNG, or named as another type than it is."
            ),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=(MultiPartParser, FormParser))
    def documents(self, request: Request, pk: str) -> Response:
        """Add a document (employment contract, permit, recognition…) behind the placement."""
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > DOCUMENT_MAX_BYTES + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(
                {"file": [f"A document is at most {DOCUMENT_MAX_BYTES // 2**20} MB."]}
            )
        placement = self.get_object()
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = services.placement_document_add(
                placement=placement,
                by=_caller(request),
                kind=data.validated_data["kind"],
                file=data.validated_data["file"],
            )
        except DjangoValidationError as exc:
            raise _document_error(exc) from exc
        return Response(
            PlacementDocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[DOCUMENT_ID], responses={**DOCUMENT_DOWNLOAD, 404: OpenApiResponse()}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)",
        url_name="document",
    )
    def document(self, request: Request, pk: str, document_id: str) -> FileResponse:
        """Download one of the placement's documents (as an attachment)."""
        return _download(
            placement_document(
                placements=placements_for_employer(user=_caller(request)),
                placement_id=int(pk),
                document_id=int(document_id),
            )
        )


@extend_schema(tags=["profile"])
class SeekerPlacementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Placement]):
    """The signed-in seeker's placements, newest first: where, on what basis, and what
    the reviewers decided or asked."""

    permission_classes = (IsAuthenticated, IsSeeker)
    queryset = Placement.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = SeekerPlacementSerializer
    filterset_class = PlacementStatusFilter
    cursor_ordering = ("-hired_at", "-id")

    def get_queryset(self) -> QuerySet[Placement]:
        return placements_for_seeker(user=_caller(self.request))
