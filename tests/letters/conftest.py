"""Cases with a party who hears from us by post (issue 22, point 2)."""

import pytest

from parties.models import ContactChannel, Participation
from parties.services import party_update
from tests.cases.agreement_helpers import drafted, in_agreement  # noqa: F401 - fixtures
from tests.scheduling.conftest import case, schedule  # noqa: F401 - fixtures

ADDRESS = "Kerkstraat 12\n3511 LX Utrecht"


def jan_of(case) -> Participation:  # noqa: F811 - a function, not the fixture
    return Participation.objects.select_related("party").get(case=case, party__name="Jan de Vries")


def by_post(case, actor, *, language="nl") -> Participation:  # noqa: F811
    """Jan de Vries of `case` asks for post (and reads `language`)."""
    jan = jan_of(case)
    party_update(
        party=jan.party,
        actor=actor,
        case=case,
        contact_channel=ContactChannel.POST,
        postal_address=ADDRESS,
        preferred_language=language,
    )
    return jan_of(case)


@pytest.fixture
def post_case(case, personas):  # noqa: F811
    """The scheduling tests' case (Jan, Fatima, an interpreter), Jan by post, in English."""
    by_post(case, personas.mediator, language="en")
    return case
