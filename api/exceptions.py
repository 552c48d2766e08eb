"""Errors as JSON with a clear message: never a stack trace, never an HTML page."""

import logging
import traceback
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger(__name__)


def service_errors(error: DjangoValidationError) -> ValidationError:
    """A service's refusal (Django's ValidationError) as the API's 400, field by field."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()
            }
        )
    return ValidationError({"non_field_errors": error.messages})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's answers for what it knows; a clear 500 (logged, not shown) for anything else."""
    if isinstance(exc, DjangoValidationError):
        exc = service_errors(exc)
    response = exception_handler(exc, context)
    if response is not None:
        return response
    # Where it failed, without the exception's message: a database error may quote values.
    frames = traceback.extract_tb(exc.__traceback__)
    where = " < ".join(f"{f.filename}:{f.lineno} {f.name}" for f in reversed(frames[-5:]))
    logger.error("API call failed: %s at %s", type(exc).__name__, where)
    set_rollback()
    return Response(
        {"detail": _("Something went wrong on our side. Nothing was saved; try again later.")},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
