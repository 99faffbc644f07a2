"""How the API answers errors raised by services.

Services raise Django's ``ValidationError`` (with field names where a field is at
fault); the API answers 400 with those field messages, or 409 when the error's code is
``conflict`` (a state change that the object's current state does not allow). The
caller never sees a 500 for bad input.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

CONFLICT = "conflict"


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail: Any = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        codes = (
            {error.code for error in exc.error_list} if not hasattr(exc, "error_dict") else set()
        )
        if hasattr(exc, "error_dict"):
            codes = {e.code for errors in exc.error_dict.values() for e in errors}
        response = exception_handler(ValidationError(detail), context)
        if response is not None and CONFLICT in codes:
            response.status_code = status.HTTP_409_CONFLICT
        return response
    return exception_handler(exc, context)
