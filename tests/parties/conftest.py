"""A case with a lead and a co-mediator, and helpers for the participant pages."""

import pytest
from django.urls import reverse

from cases.models import Case, CaseStatus
from tests.factories import CaseFactory, ParticipationFactory


@pytest.fixture
def case(personas):
    """A case referred by the coordinator, led by the mediator, with the co-mediator on it."""
    return CaseFactory(
        referred_by=personas.coordinator, mediators=[personas.mediator, personas.comediator]
    )


@pytest.fixture
def participation(case):
    """One party of the case, without consent yet."""
    return ParticipationFactory(case=case, party__name="Marieke Jansen")


def close(case) -> None:
    # The status field is protected: only transitions change it, so tests set it in the table.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)


def case_url(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def add_data(**overrides) -> dict:
    """A valid POST of the add form: a person who takes part as a party."""
    data = {
        "kind": "person",
        "name": "Fatima el Amrani",
        "organisation": "",
        "email": "fatima@voorbeeld.nl",
        "phone": "+31 6 1234 5678",
        "postal_address": "Dorpsstraat 1\r\n1234 AB Utrecht",
        "preferred_language": "nl",
        "interpreter_language": "",
        "other_needs": "",
        "role": "party",
        "represents": "",
    }
    data.update(overrides)
    return data
