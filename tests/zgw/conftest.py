"""A configured municipality and its fake Zaken API, for every ZGW test."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediation.http_outbox import HttpDrainReport, http_outbox_drain
from tests.cases.agreement_helpers import (  # noqa: F401 - fixtures
    drafted,
    in_agreement,
    in_follow_up,
)
from tests.zgw.fake_zaken import FakeZaken
from zgw.models import ZgwConfiguration
from zgw.services import configuration_secret_set

CLIENT_ID = "tafel-test"
SECRET = "a-long-enough-client-secret-for-hs256-tests"
CATALOGI = "http://catalogi.example.nl/catalogi/api/v1"
STEPS = ["referred", "intake", "sessions", "agreement", "follow_up", "closed"]
OUTCOMES = [
    "full_agreement",
    "partial_agreement",
    "no_agreement",
    "withdrawn",
    "declined",
    "referred_elsewhere",
]


def statustype(step: str) -> str:
    return f"{CATALOGI}/statustypen/{step}"


def resultaattype(outcome: str) -> str:
    return f"{CATALOGI}/resultaattypen/{outcome}"


ROLTYPE = f"{CATALOGI}/roltypen/verwijzer"
ZAAKTYPE = f"{CATALOGI}/zaaktypen/mediation"


@pytest.fixture
def zaken():
    """The fake Zaken API, running; stopped after the test."""
    fake = FakeZaken(client_id=CLIENT_ID, secret=SECRET, eindstatus=statustype("closed"))
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def configuration(db, zaken) -> ZgwConfiguration:
    """Gemeente Utrecht registers its referrals in the fake Zaken API."""
    configuration = ZgwConfiguration(
        organisation="Gemeente Utrecht",
        zaken_api_url=zaken.root,
        zaaktype_url=ZAAKTYPE,
        bronorganisatie="002220647",
        verantwoordelijke_organisatie="002220647",
        roltype_url=ROLTYPE,
        client_id=CLIENT_ID,
        **{f"statustype_{step}": statustype(step) for step in STEPS},
        **{f"resultaattype_{outcome}": resultaattype(outcome) for outcome in OUTCOMES},
    )
    configuration_secret_set(configuration=configuration, secret=SECRET)
    configuration.full_clean()
    configuration.save()
    return configuration


def deliver(*, after: timedelta = timedelta(0)) -> HttpDrainReport:
    """Run the worker's HTTP outbox until nothing more is due `after` from now."""
    total = HttpDrainReport()
    for _round in range(20):
        report = http_outbox_drain(now=timezone.now() + after)
        if not report.handled:
            return total
        total.sent += report.sent
        total.retried += report.retried
        total.failed += report.failed
        total.withdrawn += report.withdrawn
        if report.retried and not report.sent:
            return total
    return total
