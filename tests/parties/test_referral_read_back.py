"""The referring coordinator reads back their own referral, and nothing the mediators added
(issue 15, part 8)."""

import pytest
from django.urls import reverse

from cases.services import note_write
from parties.selectors import referral_parties
from parties.services import participation_add, party_create, party_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_on(in_intake, personas):
    """The mediators added an interpreter, contact details and a note after the referral."""
    interpreter = party_create(actor=personas.mediator, kind="person", name="Tolk Samira Haddad")
    participation_add(
        case=in_intake, party=interpreter, role="interpreter", actor=personas.mediator
    )
    jan = next(p for p in referral_parties(case=in_intake) if p.party.name == "Jan de Vries")
    party_update(party=jan.party, actor=personas.mediator, case=in_intake, phone="06-99887766")
    note_write(
        case=in_intake, author=personas.mediator, kind="dossier", title="Geheim-7d", body="x"
    )
    return in_intake


def page(client, user, case) -> str:
    client.force_login(user)
    return client.get(
        reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()


def test_the_referrer_reads_back_reason_urgency_and_the_parties_they_named(
    client, personas, worked_on
):
    shown = page(client, personas.coordinator, worked_on)

    assert "Your referral" in shown
    assert worked_on.referral_reason in shown
    assert worked_on.get_urgency_display() in shown
    assert "Jan de Vries" in shown and "Gemeente Utrecht, afdeling Wonen" in shown


def test_the_referrer_sees_nothing_the_mediators_added(client, personas, worked_on):
    shown = page(client, personas.coordinator, worked_on)

    assert "Tolk Samira Haddad" not in shown  # a participant added later
    assert "jan.devries@example.nl" not in shown and "06-99887766" not in shown
    assert "Geheim-7d" not in shown


def test_only_the_parties_named_in_the_referral_are_listed(personas, worked_on):
    names = [p.party.name for p in referral_parties(case=worked_on)]

    assert names == ["Jan de Vries", "Gemeente Utrecht, afdeling Wonen"]


@pytest.mark.parametrize("persona", ["mediator", "supervisor"])
def test_mediators_and_supervisors_keep_the_cases_own_referral_section(
    client, personas, worked_on, persona
):
    shown = page(client, getattr(personas, persona), worked_on)

    assert "Your referral" not in shown
    assert worked_on.referral_reason in shown
