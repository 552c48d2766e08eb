"""Rules a mediator expects of the agreement (issue 15, part 8): due dates, the review form,
the follow-up date and its reminder, and the wording of the follow-up panel."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.services import (
    FollowUpBasis,
    action_add,
    action_change,
    follow_up_date_set,
    follow_up_default,
    follow_up_proposal,
)
from audit.models import AuditAction, AuditEvent
from cases.models import CaseStatus
from cases.services import case_transition
from mediation.models import OutboxMessage
from tests.cases.agreement_helpers import approve_all, parties, review_all

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def today():
    return timezone.localdate()


# Due dates


def test_an_action_due_in_the_past_is_refused_with_a_message(drafted, personas):
    with pytest.raises(ValidationError) as refused:
        action_add(
            agreement=drafted,
            description="Te laat",
            owner=None,
            due_on=today() - timedelta(days=1),
            actor=personas.mediator,
        )

    assert refused.value.message_dict["due_on"] == [
        "The date by which the action is done cannot be in the past."
    ]
    assert drafted.actions.count() == 1


def test_an_action_due_today_is_accepted(drafted, personas):
    action_add(
        agreement=drafted,
        description="Vandaag",
        owner=None,
        due_on=today(),
        actor=personas.mediator,
    )

    assert drafted.actions.count() == 2


def test_an_action_past_its_date_keeps_its_date_when_changed_but_cannot_move_to_the_past(
    drafted, personas
):
    action = drafted.actions.get()
    type(action).objects.filter(pk=action.pk).update(due_on=today() - timedelta(days=3))
    action.refresh_from_db()

    action_change(
        action=action,
        description="Anders verwoord",
        owner=None,
        due_on=action.due_on,
        actor=personas.mediator,
    )
    with pytest.raises(ValidationError):
        action_change(
            action=action,
            description="Anders verwoord",
            owner=None,
            due_on=today() - timedelta(days=10),
            actor=personas.mediator,
        )


def test_the_action_page_refuses_a_past_date_with_the_message_at_the_field(
    client, drafted, personas
):
    client.force_login(personas.mediator)

    response = client.post(
        reverse("agreements:action_add", args=[drafted.case.pk]),
        {
            "description": "Te laat",
            "owner": "municipality",
            "due_on": (today() - timedelta(days=1)).isoformat(),
        },
        **EN,
    )

    assert response.status_code == 200
    assert "cannot be in the past" in response.content.decode()
    assert drafted.actions.count() == 1


# The review form says which action


def test_the_review_form_names_the_action_its_owner_and_its_date(client, drafted, personas):
    approve_all(drafted, personas.mediator)
    case_transition(case=drafted.case, name="start_follow_up", actor=personas.mediator)
    action = drafted.actions.get()
    client.force_login(personas.mediator)

    page = client.get(
        reverse("agreements:action_review", args=[drafted.case.pk, action.pk]), **EN
    ).content.decode()

    assert "Actie 1: een overleg plannen" in page
    assert parties(drafted.case)[0].party.name in page
    assert action.due_on.strftime("%Y") in page and "By when" in page


# The follow-up date


def test_the_default_follow_up_date_comes_after_the_last_action_is_due(drafted, personas, settings):
    settings.TAFEL_FOLLOW_UP_DAYS = 10
    action_add(
        agreement=drafted,
        description="Later",
        owner=None,
        due_on=today() + timedelta(days=60),
        actor=personas.mediator,
    )
    drafted.refresh_from_db()
    approve_all(drafted, personas.mediator)

    proposal = follow_up_proposal(drafted)

    assert proposal.on == today() + timedelta(days=67)
    assert proposal.basis == FollowUpBasis.ACTIONS
    assert follow_up_default(drafted) == proposal.on


def test_the_default_follow_up_date_counts_from_the_last_approval_when_that_is_later(
    drafted, personas
):
    approved_on = today() - timedelta(days=1)
    approve_all(drafted, personas.mediator, on=approved_on)

    proposal = follow_up_proposal(drafted)

    assert proposal.on == approved_on + timedelta(days=42)
    assert proposal.basis == FollowUpBasis.APPROVAL


def test_a_follow_up_date_before_the_last_action_is_due_asks_for_confirmation(drafted, personas):
    early = today() + timedelta(days=3)  # the action is due in 14 days

    with pytest.raises(ValidationError) as warned:
        follow_up_date_set(agreement=drafted, follow_up_on=early, actor=personas.mediator)
    assert "before the last action is due" in warned.value.message_dict["follow_up_on"][0]
    drafted.refresh_from_db()
    assert drafted.follow_up_on is None

    follow_up_date_set(
        agreement=drafted, follow_up_on=early, actor=personas.mediator, confirmed=True
    )
    drafted.refresh_from_db()
    assert drafted.follow_up_on == early


def test_the_follow_up_page_warns_then_accepts_the_confirmed_early_date(client, drafted, personas):
    client.force_login(personas.mediator)
    url = reverse("agreements:follow_up_date", args=[drafted.case.pk])
    early = (today() + timedelta(days=3)).isoformat()

    warned = client.post(url, {"follow_up_on": early}, **EN)
    assert warned.status_code == 200
    assert "before the last action is due" in warned.content.decode()
    assert 'name="confirm_early"' in warned.content.decode()

    confirmed = client.post(url, {"follow_up_on": early, "confirm_early": "on"}, **EN)
    assert confirmed.status_code == 302
    drafted.refresh_from_db()
    assert drafted.follow_up_on.isoformat() == early


# The reminder after closing


FOLLOW_UP = "notice.follow_up_due"


def test_the_follow_up_reminder_is_withdrawn_when_the_case_closes_early(in_follow_up, personas):
    assert OutboxMessage.objects.filter(purpose=FOLLOW_UP, status="pending").exists()
    review_all(in_follow_up, personas.mediator)

    closed = case_transition(
        case=in_follow_up, name="close", actor=personas.mediator, outcome="full_agreement"
    )

    assert closed.status == CaseStatus.CLOSED
    assert not OutboxMessage.objects.filter(purpose=FOLLOW_UP, status="pending").exists()
    assert OutboxMessage.objects.filter(purpose=FOLLOW_UP, status="withdrawn").exists()
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_WITHDRAWN).exists()


def test_a_reminder_already_sent_stays_on_record_when_the_case_closes(in_follow_up, personas):
    OutboxMessage.objects.filter(purpose=FOLLOW_UP).update(status="sent")
    review_all(in_follow_up, personas.mediator)

    case_transition(
        case=in_follow_up, name="close", actor=personas.mediator, outcome="full_agreement"
    )

    assert OutboxMessage.objects.filter(purpose=FOLLOW_UP, status="sent").exists()
    assert not OutboxMessage.objects.filter(purpose=FOLLOW_UP, status="withdrawn").exists()


# The wording of the follow-up panel


def test_the_agreement_page_words_the_follow_up_default_for_each_state(client, drafted, personas):
    client.force_login(personas.mediator)
    url = reverse("agreements:agreement", args=[drafted.case.pk])

    before = client.get(url, **EN).content.decode()
    assert "after the last approval" not in before
    assert "Not every party has approved it yet." in before

    approve_all(drafted, personas.mediator)
    after = client.get(url, **EN).content.decode()
    assert "42 days after the last approval" in after
    assert "Not every party has approved it yet." not in after
