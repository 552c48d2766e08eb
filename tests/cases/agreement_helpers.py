"""Cases with an agreement, built through the services (shared by the agreement tests)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.services import (
    action_add,
    action_review,
    agreement_write,
    approval_record,
    party_participations,
)
from cases.models import Case, CaseStatus
from cases.services import case_transition

TEXT = "De gemeente en de bewoners spreken elke maand af in het buurthuis."


def parties(case) -> list:
    return list(party_participations(case))


def to_agreement(case) -> Case:
    """Until `reach_agreement` exists: put a case in sessions into the agreement state."""
    # The FSM field is protected on instances only; the queryset update sets it directly.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.AGREEMENT)
    return Case.objects.get(pk=case.pk)


def draft(case, mediator, *, text=TEXT, actions=1):
    agreement = agreement_write(case=case, text=text, actor=mediator)
    owners = [*parties(case), None]
    for number in range(actions):
        action_add(
            agreement=agreement,
            description=f"Actie {number + 1}: een overleg plannen",
            owner=owners[number % len(owners)],
            due_on=timezone.localdate() + timedelta(days=14),
            actor=mediator,
        )
    agreement.refresh_from_db()
    return agreement


def approve_all(agreement, mediator, *, on=None):
    for participation in parties(agreement.case):
        approval_record(
            agreement=agreement,
            participation=participation,
            decision="approved",
            method="paper",
            decided_on=on or timezone.localdate(),
            actor=mediator,
        )


def review_all(case, mediator, *, status="done", comment="Gedaan."):
    for action in case.agreement.actions.all():
        action_review(action=action, status=status, comment=comment, actor=mediator)


@pytest.fixture
def in_agreement(in_sessions):
    return to_agreement(in_sessions)


@pytest.fixture
def drafted(in_agreement, personas):
    return draft(in_agreement, personas.mediator)


@pytest.fixture
def in_follow_up(drafted, personas):
    approve_all(drafted, personas.mediator)
    return case_transition(case=drafted.case, name="start_follow_up", actor=personas.mediator)
