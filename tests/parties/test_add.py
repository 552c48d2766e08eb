"""Adding participants: parties, representatives, duplicates and a closed case."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from parties.models import ParticipantRole, Participation, Party
from tests.factories import CaseFactory, ParticipationFactory, UserFactory
from tests.parties.conftest import add_data, case_url, close

pytestmark = pytest.mark.django_db


def add_url(case) -> str:
    return reverse("parties:add", args=[case.pk])


def test_the_add_form_labels_every_field_and_groups_the_radio_buttons(client, personas, case):
    client.force_login(personas.mediator)

    response = client.get(add_url(case), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    for field in ["name", "organisation", "email", "phone", "postal_address", "other_needs"]:
        assert f'<label for="id_{field}"' in content, field
    assert content.count("<fieldset") >= 6  # four sections, kind and role
    assert "<legend>Kind of party:" in content and "<legend>Role:" in content
    assert 'aria-describedby="id_name_helptext"' in content


def test_mediator_adds_a_party_with_needs_and_is_sent_to_the_case(client, personas, case):
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case),
        add_data(interpreter_language="ar", needs_step_free_access="on"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    participation = Participation.objects.get(case=case)
    assert participation.role == ParticipantRole.PARTY
    party = participation.party
    assert (party.name, party.email, party.interpreter_language) == (
        "Fatima el Amrani",
        "fatima@voorbeeld.nl",
        "ar",
    )
    assert party.needs_step_free_access is True
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The participant was added to the case."
    ]
    assert AuditEvent.objects.filter(
        action=AuditAction.PARTICIPANT_ADDED, case_id=case.pk, actor=personas.mediator
    ).exists()


def test_comediator_adds_a_representative_of_a_party_of_the_same_case(
    client, personas, case, participation
):
    client.force_login(personas.comediator)

    response = client.post(
        add_url(case),
        add_data(
            name="Mr. K. Bakker", email="", role="representative", represents=participation.pk
        ),
    )

    assert response.status_code == 302
    representative = Participation.objects.get(case=case, role=ParticipantRole.REPRESENTATIVE)
    assert representative.represents == participation
    assert representative.party.name == "Mr. K. Bakker"


def test_a_representative_must_name_the_party_they_speak_for(client, personas, case):
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case), add_data(role="representative"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["represents"] == [
        "Choose the party this representative speaks for."
    ]
    content = response.content.decode()
    assert 'role="alert"' in content and 'href="#id_represents"' in content
    assert not Party.objects.exists()  # the party record was rolled back with the refusal


def test_a_representative_cannot_speak_for_a_party_of_another_case(client, personas, case):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    elsewhere = ParticipationFactory(case=other_case)
    client.force_login(personas.mediator)

    response = client.post(add_url(case), add_data(role="representative", represents=elsewhere.pk))

    assert response.status_code == 200
    assert "represents" in response.context["form"].errors
    assert not Participation.objects.filter(case=case).exists()


def test_only_a_representative_speaks_for_someone(client, personas, case, participation):
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case),
        add_data(role="support", represents=participation.pk),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.context["form"].errors["represents"] == [
        "Only a representative speaks for a party."
    ]
    assert Participation.objects.filter(case=case).count() == 1


def test_a_closed_case_refuses_a_new_participant_and_keeps_no_party_record(client, personas, case):
    close(case)
    client.force_login(personas.mediator)

    page = client.get(add_url(case), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(add_url(case), add_data(), HTTP_ACCEPT_LANGUAGE="en")

    message = "The case is closed: its participants can no longer change."
    assert message in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert not Party.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="party.").exists()


# Duplicate suggestions


def test_a_similar_party_in_a_visible_case_is_suggested_before_anything_is_saved(
    client, personas, case
):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    known = ParticipationFactory(
        case=other_case,
        party__kind="group",
        party__name="Stichting BuurtKracht Noord",
        party__organisation="Wijkteam Overvecht",
        party__email="info@buurtkracht.example",
    ).party
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case),
        add_data(kind="group", name="Stichting Buurtkracht", email=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["form"].suggestions == [known]
    content = response.content.decode()
    assert "Is this someone already known?" in content
    assert "<bdi>Stichting BuurtKracht Noord</bdi>" in content
    assert "<bdi>Wijkteam Overvecht</bdi>" in content
    assert "info@buurtkracht.example" not in content  # name and organisation only
    assert "<legend>Use an existing record?" in content
    assert "Choose an existing record, or confirm that this is someone new." in content
    assert not Participation.objects.filter(case=case).exists()


def test_the_mediator_uses_the_existing_record(client, personas, case):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    known = ParticipationFactory(case=other_case, party__name="Stichting BuurtKracht Noord").party
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case),
        add_data(kind="group", name="Stichting Buurtkracht", existing_party=known.pk),
    )

    assert response.status_code == 302
    assert Participation.objects.get(case=case).party == known
    assert Party.objects.count() == 1
    known.refresh_from_db()
    assert known.name == "Stichting BuurtKracht Noord"  # the typed details are not saved


def test_the_mediator_confirms_that_the_participant_is_someone_new(client, personas, case):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    known = ParticipationFactory(case=other_case, party__name="Stichting BuurtKracht Noord").party
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case),
        add_data(kind="group", name="Stichting Buurtkracht", existing_party="new"),
    )

    assert response.status_code == 302
    added = Participation.objects.get(case=case).party
    assert added != known and added.name == "Stichting Buurtkracht"


@pytest.fixture
def unseen_party(personas):
    """A party in a case of another mediator: the mediator of `case` cannot see it."""
    unseen_case = CaseFactory(
        referred_by=personas.coordinator, mediators=[UserFactory(username="another-mediator")]
    )
    return ParticipationFactory(case=unseen_case, party__name="Stichting BuurtKracht Noord").party


def test_a_party_only_in_a_case_the_mediator_cannot_see_is_never_suggested(
    client, personas, case, unseen_party
):
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case), add_data(kind="group", name="Stichting Buurtkracht", email="")
    )

    assert response.status_code == 302
    added = Participation.objects.get(case=case).party
    assert added != unseen_party and added.name == "Stichting Buurtkracht"


def test_an_unseen_record_cannot_be_slipped_in_as_the_existing_one(
    client, personas, case, unseen_party
):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    ParticipationFactory(case=other_case, party__name="Stichting Buurtkracht Zuid")
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case),
        add_data(kind="group", name="Stichting Buurtkracht", existing_party=unseen_party.pk),
    )

    assert response.status_code == 200
    assert "existing_party" in response.context["form"].errors
    assert unseen_party.participations.count() == 1
    assert "BuurtKracht Noord" not in response.content.decode()


def test_the_same_email_address_is_suggested_whatever_the_name(client, personas, case):
    other_case = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    known = ParticipationFactory(
        case=other_case, party__name="Annemarie Visser", party__email="a.visser@example.nl"
    ).party
    client.force_login(personas.mediator)

    response = client.post(
        add_url(case), add_data(name="Ans Visser-de Wit", email="A.Visser@example.nl")
    )

    assert response.status_code == 200
    assert response.context["form"].suggestions == [known]
