"""An employer's webhook under /api/v1/employers/{id}/webhook/: its URL and secret,
a test event, and the delivery log.

The employer is found among those the caller may see (someone else's is a 404, as for
the other employer routes); then members may read the webhook and its log and send a
test, and owners set it, rotate its secret and delete it (403 to the rest). The
secret is shown to owners only. The verbs live in ``notifications.webhooks``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from notifications import webhooks
from notifications.channels.webhook import event_id
from notifications.models import Delivery, WebhookEndpoint
from vacancies import selectors
from vacancies.models import Employer, EmployerMember
from vacancies.permissions import IsEmployerOwner

# The command is the whole request: the schema says so to tell it from a forgotten body.
BODYLESS = {"x-bodyless": True}


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def _role(employer: Employer, user: User) -> str | None:
    role: str | None = (
        EmployerMember.objects.filter(employer=employer, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return role


class IsMemberOfThisEmployer(BasePermission):
    """An owner or recruiter of the employer in question (platform staff see employers
    but are not members: the webhook is the employer's own integration)."""

    message = "Only a member of this employer may do this."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return isinstance(obj, Employer) and _role(obj, _caller(request)) is not None


# --- Shapes -----------------------------------------------------------------------


class WebhookSerializer(serializers.Serializer[WebhookEndpoint]):
    """The employer's webhook; ``url`` is null while none is set."""

    url = serializers.URLField(allow_null=True, read_only=True)
    active = serializers.BooleanField(read_only=True)
    secret = serializers.CharField(
        allow_null=True,
        read_only=True,
        help_text="Signing secret (HMAC-SHA256 key, used as ASCII); shown to owners only.",
    )
    created_at = serializers.DateTimeField(allow_null=True, read_only=True)
    updated_at = serializers.DateTimeField(allow_null=True, read_only=True)

    def to_representation(self, instance: WebhookEndpoint) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("show_secret"):
            data["secret"] = None
        return dict(data)


class WebhookInputSerializer(serializers.Serializer[Any]):
    url = serializers.URLField(max_length=webhooks.URL_MAX_LENGTH)
    active = serializers.BooleanField(default=True)


class WebhookDeliverySerializer(serializers.ModelSerializer[Delivery]):
    """One event sent (or being sent) to the webhook."""

    event_id = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = (
            "id", "event_id", "event_type", "status", "attempts", "response_code",
            "last_error", "created_at", "next_attempt_at", "sent_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_event_id(self, delivery: Delivery) -> str:
        return event_id(delivery)


# What GET answers while the employer has no webhook.
NO_WEBHOOK: dict[str, Any] = {
    "url": None,
    "active": False,
    "secret": None,
    "created_at": None,
    "updated_at": None,
}


# --- Views ------------------------------------------------------------------------


class _EmployerWebhookView(APIView):
    """The employer of the URL, as the caller may see it, with the role checks."""

    owner_methods: tuple[str, ...] = ()

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method in self.owner_methods:
            return [IsAuthenticated(), IsEmployerOwner()]
        return [IsAuthenticated(), IsMemberOfThisEmployer()]

    def employer(self) -> Employer:
        employer = get_object_or_404(
            selectors.employers_visible_to(user=_caller(self.request)),
            pk=self.kwargs["employer_id"],
        )
        self.check_object_permissions(self.request, employer)
        return employer


class EmployerWebhookView(_EmployerWebhookView):
    """The employer's webhook: members read it (owners with the secret), owners set
    its URL and switch, or delete it with its log."""

    owner_methods = ("PUT", "DELETE")

    def _answer(self, employer: Employer, endpoint: WebhookEndpoint | None) -> Response:
        if endpoint is None:
            return Response(NO_WEBHOOK)
        show_secret = _role(employer, _caller(self.request)) == EmployerMember.Role.OWNER
        return Response(WebhookSerializer(endpoint, context={"show_secret": show_secret}).data)

    @extend_schema(responses=WebhookSerializer)
    def get(self, request: Request, employer_id: int) -> Response:
        employer = self.employer()
        return self._answer(employer, webhooks.webhook_endpoint_of(employer_id=employer.pk))

    @extend_schema(request=WebhookInputSerializer, responses=WebhookSerializer)
    def put(self, request: Request, employer_id: int) -> Response:
        """Set the URL (https; a new secret comes with a new webhook) and the switch."""
        employer = self.employer()
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhooks.webhook_endpoint_set(
            employer_id=employer.pk,
            url=data.validated_data["url"],
            active=data.validated_data["active"],
            by=_caller(request),
        )
        return self._answer(employer, endpoint)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, employer_id: int) -> Response:
        employer = self.employer()
        webhooks.webhook_endpoint_delete(employer_id=employer.pk, by=_caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecretView(_EmployerWebhookView):
    owner_methods = ("POST",)

    @extend_schema(request=None, responses=WebhookSerializer, extensions=BODYLESS)
    def post(self, request: Request, employer_id: int) -> Response:
        """A new signing secret, used from the next send on; the old one stops at once."""
        employer = self.employer()
        endpoint = webhooks.webhook_secret_rotate(employer_id=employer.pk, by=_caller(request))
        return Response(WebhookSerializer(endpoint, context={"show_secret": True}).data)


class WebhookTestView(_EmployerWebhookView):
    @extend_schema(request=None, responses={202: WebhookDeliverySerializer}, extensions=BODYLESS)
    def post(self, request: Request, employer_id: int) -> Response:
        """Send a ``ping`` event; it shows in the delivery log like any other."""
        employer = self.employer()
        delivery = webhooks.webhook_test_send(employer_id=employer.pk, by=_caller(request))
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveryListView(_EmployerWebhookView, generics.ListAPIView[Delivery]):
    """The delivery log of the employer's webhook, newest first."""

    queryset = Delivery.objects.none()  # the model, for the schema; get_queryset scopes
    serializer_class = WebhookDeliverySerializer
    cursor_ordering = ("-created_at", "-id")

    def get_queryset(self) -> QuerySet[Delivery]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Delivery.objects.none()
        return webhooks.webhook_deliveries(employer_id=self.employer().pk)
