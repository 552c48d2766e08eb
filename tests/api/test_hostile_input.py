"""Hostile or broken input is refused cleanly: a clear JSON message, nothing saved, no 500."""

import json

import pytest

from cases.models import Case
from tests.api.conftest import REFERRALS, referral_body

pytestmark = pytest.mark.django_db


def test_a_body_over_the_limit_is_refused_with_413(caller, kind, settings):
    settings.TAFEL_API_MAX_BODY_BYTES = 10_000
    body = referral_body(kind, referral_reason="x" * 20_000)

    response = caller.post(REFERRALS, body)

    assert response.status_code == 413
    assert response.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[" * 100_000 + "]" * 100_000,
        '{"title": NaN}',
        b"\xff\xfe{}",
        "",
        "null",
        "[]",
        '"a string"',
    ],
)
def test_a_body_that_is_not_a_referral_object_is_refused_with_400(caller, raw):
    response = caller.post(REFERRALS, raw)

    assert response.status_code == 400
    assert response.json()
    assert not Case.objects.exists()


def test_other_content_types_are_refused_with_415(caller, kind):
    response = caller.http.post(REFERRALS, {"title": "x"})  # a form post

    assert response.status_code == 415
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ["a list"]},
        {"parties": "not a list"},
        {"parties": [["nested"]]},
        {"parties": [{"name": {"$gt": ""}}]},
        {"kind": 1},
        {"kind": None},
        {"referral_reason": "x" * 5001},
        {"woo_note": "\ud800"},
        # A NUL character, which PostgreSQL text cannot hold: refused, never a 500.
        {"kind": "neighbours\x00"},
        {"title": "Ruzie\x00"},
        {"parties": [{"kind": "person", "name": "Jan\x00"}]},
    ],
)
def test_wrong_types_are_refused_field_by_field(caller, kind, changes):
    body = json.dumps(referral_body(kind, **changes))

    response = caller.post(REFERRALS, body)

    assert response.status_code == 400
    assert set(changes) <= set(response.json())
    assert not Case.objects.exists()


def test_an_unknown_address_under_the_api_is_a_json_404(caller):
    response = caller.get("/api/v1/nothing/here/")

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("method", ["delete", "put", "patch", "options"])
def test_a_method_not_offered_is_a_json_405(caller, method):
    response = getattr(caller.http, method)(REFERRALS)

    assert response.status_code == 405
    assert response.json()["detail"]


def test_an_unexpected_failure_is_a_json_500_without_a_trace(caller, kind, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("SECRET-INTERNALS")

    monkeypatch.setattr("api.services.referral_make", broken)
    caller.http.raise_request_exception = False

    response = caller.post(REFERRALS, referral_body(kind))

    assert response.status_code == 500
    assert "SECRET-INTERNALS" not in response.content.decode()
    assert response.json()["detail"]
