"""The participant list on the case page: roles, consent, needs and contact details."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from mediation.models import DataKey
from parties.selectors import participation_list
from tests.factories import ParticipationFactory
from tests.parties.conftest import close

pytestmark = pytest.mark.django_db


def render(case, user, *, can_manage_parties=True) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "case": type(case).objects.get(pk=case.pk),
        "participations": participation_list(case=case, include_removed=True),
        "can_manage_parties": can_manage_parties,
    }
    with translation.override("en"):
        return render_to_string("parties/partials/_participants.html", context, request=request)


def test_an_empty_case_says_so_and_offers_to_add(personas, case):
    html = render(case, personas.mediator)

    assert "No participants yet." in html
    assert "Add a participant" in html
    assert "<table" not in html


def test_the_table_has_a_caption_header_scopes_and_parties_first(personas, case):
    ParticipationFactory(case=case, role="observer", party__name="Observer One")
    ParticipationFactory(case=case, party__name="Party One")

    html = render(case, personas.mediator)

    assert "<caption" in html and "2 participants, parties first" in html
    assert 'scope="col"' in html and 'scope="row"' in html
    assert html.index("Party One") < html.index("Observer One")


def test_roles_consent_and_representation_are_written_out(personas, case):
    party = ParticipationFactory(
        case=case,
        party__name="Wijkraad Oost",
        consent_signed_on=date(2026, 1, 15),
        consent_signed_by="Chair",
    )
    ParticipationFactory(
        case=case, role="representative", represents=party, party__name="Mr. Bakker"
    )
    ParticipationFactory(
        case=case,
        party__name="Gemeente",
        consent_signed_on=date(2026, 1, 10),
        consent_withdrawn_on=date(2026, 2, 1),
    )

    html = render(case, personas.mediator)

    assert "Consent recorded: signed on 15 January 2026" in html
    assert "by <bdi>Chair</bdi>" in html
    assert "speaks for <bdi>Wijkraad Oost</bdi>" in html
    assert "No confidentiality statement yet" in html
    assert "Consent withdrawn on 1 February 2026" in html


def test_needs_show_as_text_markers_and_a_summary_above_the_table(personas, case):
    ParticipationFactory(case=case, party__name="A", party__interpreter_language="ar")
    ParticipationFactory(case=case, party__name="B", party__needs_step_free_access=True)
    ParticipationFactory(case=case, party__name="C", party__interpreter_language="tr")

    html = render(case, personas.mediator)

    summary = html[: html.index("<table")]
    assert "Plan the sessions for these needs" in summary
    assert "Interpreter: Arabic, Turkish" in summary
    assert "Step-free access (1 participant)" in summary
    table = html[html.index("<table") :]
    assert "Interpreter: Arabic" in table and "Step-free access" in table


def test_the_interpreter_language_is_named_in_dutch_for_dutch_users(personas, case):
    ParticipationFactory(case=case, party__interpreter_language="ar")
    request = RequestFactory().get("/")
    request.user = personas.mediator
    context = {
        "case": case,
        "participations": participation_list(case=case, include_removed=True),
        "can_manage_parties": True,
    }

    with translation.override("nl"):
        html = render_to_string("parties/partials/_participants.html", context, request=request)

    assert "Arabisch" in html


def test_no_summary_when_nobody_needs_an_interpreter_or_step_free_access(personas, case):
    ParticipationFactory(case=case, party__other_needs="Quiet room, breaks every hour")
    removed = ParticipationFactory(case=case, party__needs_step_free_access=True)
    removed.removed_at = timezone.now()
    removed.save()

    html = render(case, personas.mediator)

    assert "Plan the sessions" not in html
    assert "Other needs" in html and "Quiet room, breaks every hour" in html


def test_contact_details_and_actions_only_with_the_right_to_manage_parties(personas, case):
    participation = ParticipationFactory(
        case=case, party__email="p.party@voorbeeld.nl", party__phone="06 1234 5678"
    )

    managing = render(case, personas.mediator)
    reading = render(case, personas.mediator, can_manage_parties=False)

    assert "p.party@voorbeeld.nl" in managing and "06 1234 5678" in managing
    assert f"/participants/{participation.pk}/edit/" in managing
    for hidden in ("p.party@voorbeeld.nl", "06 1234 5678", "/edit/", "Add a participant"):
        assert hidden not in reading


def test_removed_participants_are_listed_apart_with_a_restore_button(personas, case):
    ParticipationFactory(case=case, party__name="Still Here")
    gone = ParticipationFactory(case=case, party__name="Gone Away")
    gone.removed_at = timezone.now()
    gone.save()

    html = render(case, personas.mediator)

    active, removed = html.split("Removed participants", 1)
    assert "Still Here" in active and "Gone Away" not in active
    assert "Gone Away" in removed and f"/participants/{gone.pk}/restore/" in removed
    assert "1 participant, parties first" in active


def test_a_closed_case_offers_no_changes(personas, case):
    gone = ParticipationFactory(case=case, party__name="Gone Away")
    gone.removed_at = timezone.now()
    gone.save()
    ParticipationFactory(case=case)
    close(case)

    html = render(case, personas.mediator)

    assert "/restore/" not in html and "/edit/" not in html and "/add/" not in html
    assert "The case is closed: its participants can no longer change." in html


def test_hostile_names_are_escaped_and_isolated(personas, case):
    ParticipationFactory(case=case, party__name="<img src=x onerror=alert(1)>")
    ParticipationFactory(case=case, party__name="سارة", party__organisation="مؤسسة")

    html = render(case, personas.mediator)

    assert "<img" not in html
    assert "<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi>" in html
    assert "<bdi>سارة</bdi>" in html and "<bdi>مؤسسة</bdi>" in html


def test_contact_details_that_cannot_be_opened_say_so(personas, case):
    participation = ParticipationFactory(case=case, party__email="weg@voorbeeld.nl")
    DataKey.objects.filter(pk=participation.party.key_id).update(wrapped=None)

    html = render(case, personas.mediator)

    assert "The contact details cannot be opened." in html
    assert "weg@voorbeeld.nl" not in html


def test_the_list_opens_every_party_s_contact_details_without_a_query_each(
    personas, case, django_assert_num_queries
):
    for number in range(4):
        ParticipationFactory(case=case, party__email=f"partij{number}@voorbeeld.nl")
    participations = list(participation_list(case=case, include_removed=True))

    with django_assert_num_queries(0):  # the keys came with the list
        emails = {participation.party.email for participation in participations}

    assert {f"partij{number}@voorbeeld.nl" for number in range(4)} <= emails
