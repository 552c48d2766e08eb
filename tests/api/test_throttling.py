"""Rate limits: per address before the token is read, per client after; 429 with Retry-After."""

import pytest
from django.test import Client

from api.throttling import ApiAddressThrottle, ApiClientThrottle
from audit.models import AuditAction, AuditEvent
from tests.api.conftest import REFERRALS

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    # DRF reads the rates once, into the throttle classes; the test sets them there.
    def set_rates(address: str, client: str) -> None:
        rates = {"api_address": address, "api_client": client}
        monkeypatch.setattr(ApiAddressThrottle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(ApiClientThrottle, "THROTTLE_RATES", rates)

    return set_rates


def test_guessing_tokens_from_one_address_is_stopped(rates):
    rates(address="3/m", client="100/m")
    guesser = Client(HTTP_AUTHORIZATION="Bearer tafel_guess")

    answers = [guesser.get(REFERRALS).status_code for _ in range(5)]

    assert answers == [401, 401, 401, 429, 429]
    assert guesser.get(REFERRALS)["Retry-After"]
    # The refusals before the limit are recorded; the throttled ones are not.
    assert AuditEvent.objects.filter(action=AuditAction.API_CALL).count() == 3


def test_one_client_is_limited_wherever_it_calls_from(caller, rates):
    rates(address="100/m", client="2/m")

    answers = [caller.get(REFERRALS).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert caller.get(REFERRALS).json()["detail"]
