"""Cases in a given state, built through the services as a user would build them (fixtures).

Imported into tests/conftest.py, so every test folder can use them."""

import pytest
from django.utils import timezone

from cases.models import CaseKind, Declaration
from cases.services import case_assign, case_transition, conflict_declare
from parties.services import consent_record, referral_make


@pytest.fixture
def kind(db):
    return CaseKind.objects.get_or_create(
        code="citizen_government",
        defaults={"name_nl": "Burger en overheid", "name_en": "Citizens and government"},
    )[0]


@pytest.fixture
def refer(personas, kind):
    """Refer a case as the coordinator, with two parties unless told otherwise."""

    def make(**overrides):
        fields = {
            "referred_by": personas.coordinator,
            "kind": kind,
            "title": "Wantrouwen rond de herinrichting van het Julianapark",
            "referring_organisation": "Gemeente Utrecht",
            "referral_reason": "Bewoners voelen zich niet gehoord.",
            "urgency": "normal",
            "safety_concern": False,
            "parties": [
                {"kind": "person", "name": "Jan de Vries", "email": "jan.devries@example.nl"},
                {"kind": "government", "name": "Gemeente Utrecht, afdeling Wonen"},
            ],
        }
        fields.update(overrides)
        return referral_make(**fields)

    return make


@pytest.fixture
def assigned(refer, personas):
    """Referred, with the lead mediator and a co-mediator assigned (no declarations yet)."""
    case = refer()
    return case_assign(
        case=case,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )


def declare_all(case, personas):
    for mediator in (personas.mediator, personas.comediator):
        conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)


def consent_all(case, mediator):
    for participation in case.participations.active():
        consent_record(
            participation=participation,
            signed_on=timezone.localdate(),
            signed_by=participation.party.name if participation.is_party else "",
            actor=mediator,
        )


@pytest.fixture
def in_intake(assigned, personas):
    declare_all(assigned, personas)
    return case_transition(case=assigned, name="accept", actor=personas.mediator)


@pytest.fixture
def in_sessions(in_intake, personas):
    consent_all(in_intake, personas.mediator)
    return case_transition(case=in_intake, name="start_sessions", actor=personas.mediator)
