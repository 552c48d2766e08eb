"""The conflict-of-interest search over a mediator's current and past cases."""

import pytest
from django.urls import reverse

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
    assert matches[0].organisation_only == (reason == "the same organisation")


def test_an_unrelated_party_or_another_mediator_finds_nothing(refer, personas, earlier_case):
    new = refer(parties=[{"kind": "person", "name": "Piet de Vries"}])

    assert conflict_matches(case=new, mediator=personas.mediator) == []
    same = refer(parties=[{"kind": "person", "name": "Jan de Vries"}])
    assert conflict_matches(case=same, mediator=personas.comediator) == []


# Departments of one municipality (issue 15, 7e)


def mediators_case(refer, personas, *parties):
    case = refer(parties=list(parties))
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    return case


@pytest.mark.parametrize(
    ("earlier", "now"),
    [
        (
            {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
            {"kind": "government", "name": "Gemeente Utrecht, afdeling Vergunningen"},
        ),
        (
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Sport"},
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Vergunningen"},
        ),
        (
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Sport"},
            {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
        ),
    ],
)
def test_another_department_of_the_same_municipality_is_information_not_a_conflict(
    refer, personas, earlier, now
):
    mediators_case(refer, personas, {"kind": "person", "name": "Anouk Smit"}, earlier)
    new = refer(parties=[{"kind": "person", "name": "Yusuf Demir"}, now])

    matches = conflict_matches(case=new, mediator=personas.mediator)

    assert len(matches) == 1
    assert matches[0].organisation_only
    assert matches[0].reason == "another department of the same organisation"


@pytest.mark.parametrize(
    "now",
    [
        {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
        {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Afdeling Wonen"},
    ],
)
def test_the_same_department_is_a_possible_conflict(refer, personas, now):
    mediators_case(
        refer,
        personas,
        {"kind": "person", "name": "Anouk Smit"},
        {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
    )
    new = refer(parties=[{"kind": "person", "name": "Yusuf Demir"}, now])

    matches = conflict_matches(case=new, mediator=personas.mediator)

    assert [(m.reason, m.organisation_only) for m in matches] == [("the same department", False)]


def test_the_declaration_page_shows_conflicts_apart_from_organisation_level_matches(
    client, refer, personas
):
    mediators_case(
        refer,
        personas,
        {"kind": "person", "name": "Jan de Vries"},
        {"kind": "government", "name": "Gemeente Utrecht, afdeling Sport"},
    )
    new = mediators_case(
        refer,
        personas,
        {"kind": "person", "name": "J. de Vries"},
        {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
    )
    client.force_login(personas.mediator)

    page = client.get(
        reverse("cases:declare", args=[new.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    conflicts, information = page.split("For information, not a conflict")
    assert "J. de Vries" in conflicts and "a similar name" in conflicts
    assert "afdeling Sport" not in conflicts
    assert "afdeling Sport" in information
    assert "another department of the same organisation" in information
