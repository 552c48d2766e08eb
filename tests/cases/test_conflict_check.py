"""The conflict-of-interest search over a mediator's current and past cases."""

import pytest

from cases.services import case_assign, case_transition
from parties.selectors import conflict_matches

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_case(refer, personas):
    """A closed case the mediator led, with Jan de Vries and a housing association."""
    case = refer(
        parties=[
            {"kind": "person", "name": "Jan de Vries", "email": "jan.devries@example.nl"},
            {"kind": "group", "name": "Huurdersvereniging Oost", "organisation": "Woonbond"},
        ]
    )
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    return case_transition(case=case, name="decline", actor=personas.supervisor, reason="x")


@pytest.mark.parametrize(
    ("party", "reason"),
    [
        ({"kind": "person", "name": "J. de Vries"}, "a similar name"),
        (
            {"kind": "person", "name": "J.A. Devries-Smit", "email": "JAN.DEVRIES@example.nl"},
            "the same email address",
        ),
        (
            {"kind": "person", "name": "Karin Bos", "organisation": "Woonbond"},
            "the same organisation",
        ),
    ],
)
def test_the_check_finds_the_same_party_in_a_past_case(
    refer, personas, earlier_case, party, reason
):
    new = refer(parties=[party])

    matches = conflict_matches(case=new, mediator=personas.mediator)

    assert [(m.other_case_reference, m.reason) for m in matches] == [
        (earlier_case.reference, reason)
    ]


def test_an_unrelated_party_or_another_mediator_finds_nothing(refer, personas, earlier_case):
    new = refer(parties=[{"kind": "person", "name": "Piet de Vries"}])

    assert conflict_matches(case=new, mediator=personas.mediator) == []
    same = refer(parties=[{"kind": "person", "name": "Jan de Vries"}])
    assert conflict_matches(case=same, mediator=personas.comediator) == []
