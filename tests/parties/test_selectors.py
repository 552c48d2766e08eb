"""What stops the sessions from starting, named in words a mediator understands."""

from datetime import date

import pytest
from django.utils import timezone, translation

from parties.selectors import consent_problems, participation_list, similar_parties
from tests.factories import ParticipationFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_an_empty_case_needs_two_parties(case):
    assert consent_problems(case=case) == ["Add at least two parties (the case has 0)."]


def test_each_party_without_consent_is_named(case):
    ParticipationFactory(case=case, party__name="Wijkraad Oost", consent_signed_on=date(2026, 1, 5))
    ParticipationFactory(case=case, party__name="Gemeente Utrecht")

    assert consent_problems(case=case) == [
        "Record the consent (signed mediation agreement) of Gemeente Utrecht."
    ]


def test_a_withdrawal_and_a_missing_confidentiality_statement_are_named(case):
    ParticipationFactory(case=case, party__name="A. Party", consent_signed_on=date(2026, 1, 5))
    ParticipationFactory(
        case=case,
        party__name="B. Party",
        consent_signed_on=date(2026, 1, 5),
        consent_withdrawn_on=date(2026, 2, 3),
    )
    ParticipationFactory(case=case, role="interpreter", party__name="C. Tolk")

    # Compared as a set: the order follows `participation_list`, which sorts roles by their
    # stored value (interpreter before party), not parties first as its docstring says.
    assert set(consent_problems(case=case)) == {
        "B. Party withdrew their consent on 03-02-2026.",
        "Record the confidentiality statement of C. Tolk (Interpreter).",
    }


def test_one_party_alone_is_not_enough_even_with_consent(case):
    ParticipationFactory(case=case, party__name="Alone", consent_signed_on=date(2026, 1, 5))

    assert consent_problems(case=case) == ["Add at least two parties (the case has 1)."]


def test_removed_participants_do_not_count_and_block_nothing(case):
    for name in ("A", "B"):
        ParticipationFactory(case=case, party__name=name, consent_signed_on=date(2026, 1, 5))
    ParticipationFactory(case=case, party__name="Gone", removed_at=timezone.now())

    assert consent_problems(case=case) == []


def test_everyone_signed_means_no_problems(case):
    for name in ("A", "B"):
        ParticipationFactory(case=case, party__name=name, consent_signed_on=date(2026, 1, 5))
    ParticipationFactory(
        case=case, role="support", party__name="S", confidentiality_signed_on=date(2026, 1, 6)
    )

    assert consent_problems(case=case) == []


def test_participation_list_leaves_out_removed_participants_unless_asked(case):
    here = ParticipationFactory(case=case)
    gone = ParticipationFactory(case=case, removed_at=timezone.now())

    assert list(participation_list(case=case)) == [here]
    assert set(participation_list(case=case, include_removed=True)) == {here, gone}


def test_similar_parties_finds_a_similar_name_only_among_the_given_records():
    known = PartyFactory(name="Stichting BuurtKracht Noord")
    PartyFactory(name="Wijkvereniging Zuid")

    assert similar_parties(name="Stichting Buurtkracht") == [known]
    assert similar_parties(name="Stichting Buurtkracht", among=known.__class__.objects.none()) == []
    assert similar_parties(name="") == []
