"""JSON bodies, refused cleanly when too large or too deeply nested."""

import json
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    """JSON of at most `TAFEL_API_MAX_BODY_BYTES`, read no further than that.

    Django's own limit (`DATA_UPLOAD_MAX_MEMORY_SIZE`) does not apply: DRF reads the stream.
    """

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        limit = settings.TAFEL_API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise ParseError(_("The request body is not valid JSON (UTF-8).")) from None
