"""The OpenAPI schema, generated from the code, validates without a warning; the docs page
serves its own assets under the site's Content-Security-Policy."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/referrals/",
        "/api/v1/referrals/{case_id}/",
        "/api/v1/case-kinds/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{webhook_id}/",
        "/api/v1/webhooks/{webhook_id}/redeliver/",
        "/api/v1/webhooks/{webhook_id}/secret/",
    }
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    one = schema["paths"]["/api/v1/webhooks/{webhook_id}/"]
    assert {"get", "patch", "delete"} <= set(one) and "put" not in one
    deliveries = schema["components"]["schemas"]["WebhookDelivery"]["properties"]
    assert set(deliveries) == {
        "waiting",
        "delivered",
        "failed",
        "last_delivered_at",
        "last_failure_at",
        "last_failure_error",
        "last_failure_status",
    }


def test_the_answers_describe_no_content_field():
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)
    referral = schema["components"]["schemas"]["Referral"]["properties"]

    assert set(referral) == {
        "id",
        "reference",
        "external_reference",
        "kind",
        "status",
        "referred_on",
        "outcome",
        "ended_on",
        "status_history",
    }


def test_the_schema_is_served_without_a_token():
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Tafel API"


def test_the_docs_page_loads_its_assets_from_here_with_no_inline_script_or_style():
    client = Client()
    page = client.get("/api/v1/docs/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "<script>" not in html and "<style>" not in html
    assert "//" not in html.replace("<!DOCTYPE", "").split("<body>")[0].replace("http-equiv", "")
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
