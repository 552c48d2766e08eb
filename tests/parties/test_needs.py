"""A party's needs (AVG art. 9): sealed under the party's key with plain flags, edited, shown
to the case's mediators, exported for the person, and gone with an erasure."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dossier.register import processing_register
from dossier.subjects import person_erase, person_export
from mediation.keys import data_key_destroy
from parties.models import Party
from parties.services import party_create, party_update
from tests.factories import ParticipationFactory
from tests.parties.conftest import case_url, close

pytestmark = pytest.mark.django_db


def _fresh(party) -> Party:
    return Party.objects.select_related("key").get(pk=party.pk)


def test_needs_are_sealed_with_flags_and_open_again(case):
    party = party_create(
        actor=None,
        kind="person",
        name="Aziz",
        interpreter_language="prs",
        other_needs="Slechthorend",
        needs_step_free_access=True,
    )

    party = _fresh(party)

    assert b"Slechthorend" not in bytes(party.sealed_needs)
    assert (party.needs_interpreter, party.has_other_needs, party.needs_step_free_access) == (
        True,
        True,
        True,
    )
    assert (party.interpreter_language, party.other_needs) == ("prs", "Slechthorend")
    # Bound to this party: moved to another row, it does not open.
    other = party_create(actor=None, kind="person", name="Ander", other_needs="x")
    Party.objects.filter(pk=other.pk).update(sealed_needs=party.sealed_needs)
    assert not _fresh(other).needs.readable


def test_a_party_without_needs_has_nothing_sealed():
    party = _fresh(party_create(actor=None, kind="group", name="Buurtraad"))

    assert party.sealed_needs is None and not party.has_needs
    assert (party.interpreter_language, party.other_needs) == ("", "")


def test_changing_and_clearing_needs_keeps_the_flags_true_to_the_text(case, personas):
    participation = ParticipationFactory(case=case, party__other_needs="Rolstoel")
    party = _fresh(participation.party)

    party_update(party=party, actor=personas.mediator, case=case, interpreter_language="ar")
    party = _fresh(party)
    assert (party.interpreter_language, party.other_needs) == ("ar", "Rolstoel")
    party_update(party=party, actor=personas.mediator, case=case, other_needs="")
    party = _fresh(party)
    assert (party.needs_interpreter, party.has_other_needs) == (True, False)
    party_update(party=party, actor=personas.mediator, case=case, interpreter_language="")
    assert _fresh(party).sealed_needs is None


def test_bad_needs_are_refused_with_a_message(case, personas):
    participation = ParticipationFactory(case=case)

    with pytest.raises(ValidationError) as language:
        party_update(
            party=participation.party, actor=personas.mediator, case=case, interpreter_language="xx"
        )
    with pytest.raises(ValidationError) as long_text:
        party_create(actor=None, kind="person", name="Lang", other_needs="a" * 2001)

    assert "interpreter_language" in language.value.message_dict
    assert "other_needs" in long_text.value.message_dict
    assert not Party.objects.filter(name="Lang").exists()


def test_the_mediators_see_the_needs_and_a_shredded_key_says_so(client, case, personas):
    participation = ParticipationFactory(
        case=case, party__interpreter_language="ar", party__other_needs="Rustpauzes"
    )
    client.force_login(personas.mediator)
    page = client.get(case_url(case)).content.decode()
    assert "Rustpauzes" in page and "Arabic" in page

    data_key_destroy(_fresh(participation.party).key)
    page = client.get(case_url(case)).content.decode()

    assert "Rustpauzes" not in page
    assert "The needs cannot be opened." in page
    assert "Other needs" in page  # the flag still tells the sessions something is needed


def test_the_edit_page_shows_the_opened_needs(client, case, personas):
    participation = ParticipationFactory(case=case, party__other_needs="Stille ruimte")
    client.force_login(personas.mediator)

    page = client.get(reverse("parties:edit", args=[case.pk, participation.pk]))

    assert "Stille ruimte" in page.content.decode()


def test_the_persons_export_holds_their_needs_and_erasure_removes_them(personas, case):
    participation = ParticipationFactory(
        case=case,
        party__interpreter_language="ti",
        party__other_needs="Rolstoel",
        party__needs_step_free_access=True,
    )
    party = _fresh(participation.party)

    person = json.loads(json.dumps(person_export(party=party, actor=personas.supervisor).as_dict()))
    assert person["person"]["interpreter_language"] == "ti"
    assert person["person"]["other_needs"] == "Rolstoel"
    assert person["person"]["needs_readable"] is True

    close(case)  # erasure waits for running cases
    person_erase(party=party, actor=personas.supervisor)

    party = _fresh(party)
    assert party.sealed_needs is None
    assert not (party.needs_interpreter or party.has_other_needs or party.needs_step_free_access)


def test_the_register_of_processing_says_which_needs_are_sealed_and_which_are_flags():
    needs = next(row for row in processing_register() if "art. 9" in row.name)

    assert "interpreter's language" in needs.protection and "sealed" in needs.protection
    assert "yes/no flags" in needs.protection
