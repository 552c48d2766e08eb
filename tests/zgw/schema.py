"""The VNG Zaken API 1.5.1 request schemas, to validate every body Tafel sends (SOURCE.md).

Validated as OpenAPI 3.0 requests (openapi-schema-validator's write validator: `nullable`,
`readOnly` properties left out of a request, formats checked), with every `$ref` resolved in
the vendored file. A Rol is checked against the schema its `betrokkeneType` names, as the
spec's discriminator says.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30WriteValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC = Path(__file__).with_name("zaken-api-1.5.1.yaml")
BASE = "urn:vng:zaken-api:1.5.1"

# The request body of each call Tafel makes, as the spec's paths name it.
REQUESTS = {
    ("POST", "/zaken"): "Zaak",
    ("PATCH", "/zaken/{uuid}"): "PatchedZaak",
    ("POST", "/rollen"): "Rol",
    ("POST", "/statussen"): "Status",
    ("POST", "/resultaten"): "Resultaat",
}

__all__ = ["REQUESTS", "ValidationError", "request_schema_name", "spec", "validate_request"]


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    with SPEC.open("rb") as file:
        return yaml.load(file, Loader=yaml.CSafeLoader)


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resource = Resource.from_contents(spec(), default_specification=DRAFT4)
    return Registry().with_resource(BASE, resource)


def request_schema_name(method: str, path: str) -> str:
    """The component named by the spec's requestBody of `method path` (a path template)."""
    operation = spec()["paths"][path][method.lower()]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


@lru_cache(maxsize=16)
def _validator(name: str) -> OAS30WriteValidator:
    return OAS30WriteValidator(
        {"$ref": f"{BASE}#/components/schemas/{name}"},
        registry=_registry(),
        format_checker=OAS30WriteValidator.FORMAT_CHECKER,
    )


def validate_request(method: str, path: str, body: Any) -> None:
    """Raise `ValidationError` when `body` is not a valid request body of `method path`."""
    name = request_schema_name(method, path)
    if name == "Rol" and isinstance(body, dict):
        # The discriminator: the schema of the rol's kind of betrokkene.
        name = f"{body.get('betrokkeneType')}_Rol"
        if name not in spec()["components"]["schemas"]:
            raise ValidationError(f"unknown betrokkeneType {body.get('betrokkeneType')!r}")
    _validator(name).validate(body)
