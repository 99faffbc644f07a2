"""Accounts API: registration, token login, token revocation, the current user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.lockout import LOCKED_MESSAGE
from accounts.models import SELF_SERVICE_ROLES, User
from accounts.throttles import LoginThrottle


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "email", "full_name", "role", "preferred_language", "date_joined")
        read_only_fields = ("id", "email", "role", "date_joined")


class RegisterSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in SELF_SERVICE_ROLES])
    full_name = serializers.CharField(max_length=200, required=False, default="")
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")


class LoginSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)
    user = UserSerializer(read_only=True)


class TokenInfoSerializer(serializers.ModelSerializer[AuthToken]):
    class Meta:
        model = AuthToken
        fields = ("token_key", "created", "expiry")
        read_only_fields = fields


def _caller(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def _as_drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class RegisterView(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.user_register(**data.validated_data)
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenLoginView(APIView):
    """Exchange an e-mail and password for an API token (sent once, stored hashed)."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (LoginThrottle,)

    @extend_schema(request=LoginSerializer, responses={201: TokenSerializer}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.user_authenticate(
                request=request._request,
                email=data.validated_data["email"],
                password=data.validated_data["password"],
            )
        except services.LoginLocked as exc:
            raise Throttled(
                wait=int(settings.AXES_COOLOFF_TIME.total_seconds()),
                detail=LOCKED_MESSAGE,
            ) from exc
        except services.InvalidCredentials as exc:
            raise ValidationError(
                {"non_field_errors": ["The e-mail address or password is not right."]}
            ) from exc
        token, expiry = services.token_issue(user=user)
        body = TokenSerializer({"token": token, "expiry": expiry, "user": user}).data
        return Response(body, status=status.HTTP_201_CREATED)


class TokenListView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: TokenInfoSerializer(many=True)}, tags=["auth"])
    def get(self, request: Request) -> Response:
        tokens = AuthToken.objects.filter(user=request.user).order_by("-created", "token_key")
        return Response(TokenInfoSerializer(tokens, many=True).data)

    @extend_schema(
        operation_id="auth_tokens_revoke_all",
        request=None,
        responses={200: inline_serializer("RevokedCount", {"revoked": serializers.IntegerField()})},
        tags=["auth"],
        description="Revoke every token of the caller (sign out everywhere).",
    )
    def delete(self, request: Request) -> Response:
        return Response({"revoked": services.token_revoke_all(user=_caller(request))})


class TokenDetailView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request: Request, token_key: str) -> Response:
        if not services.token_revoke(user=_caller(request), token_key=token_key):
            return Response({"detail": "No such token."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CurrentTokenView(APIView):
    """Revoke the token this request was made with (sign out)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):
            raise ValidationError({"non_field_errors": ["This request was not made with a token."]})
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: UserSerializer}, tags=["auth"])
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(_caller(request)).data)

    @extend_schema(request=UserSerializer, responses={200: UserSerializer}, tags=["auth"])
    def patch(self, request: Request) -> Response:
        caller = _caller(request)
        data = UserSerializer(caller, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update_preferences(
            user=caller,
            full_name=data.validated_data.get("full_name"),
            preferred_language=data.validated_data.get("preferred_language"),
        )
        return Response(UserSerializer(user).data)
