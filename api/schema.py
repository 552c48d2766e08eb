"""The API's place in the OpenAPI schema that drf-spectacular generates."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """`ApiTokenAuthentication` as an HTTP bearer scheme."""

    target_class = "api.authentication.ApiTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "The client's token, made by an administrator and shown once: "
                "`Authorization: Bearer tafel_...`."
            ),
        }


def register() -> None:
    """Nothing to call: defining the extension registers it. Imported from `ready()`."""
