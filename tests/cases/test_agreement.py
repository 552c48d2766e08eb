"""The agreement in the lifecycle: versions, approvals, follow-up, review, outcome, summary."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements.models import AgreementVersion, Approval
from agreements.services import (
    action_add,
    action_review,
    agreement_read,
    agreement_versions,
    agreement_write,
    approval_overview,
    approval_record,
    follow_up_date_set,
    outdated_approvals,
    summary_consent_record,
    summary_consent_withdraw,
    summary_for_referrer,
    summary_write,
)
from audit.models import AuditAction, AuditEvent
from cases.models import CaseStatus, Outcome
from cases.services import TransitionRefused, case_transition
from demo.agreements import demo_agreements_ensure
from demo.data import demo_accounts_ensure, demo_cases_ensure
from mediation.models import OutboxMessage
from mediation.outbox import outbox_drain
from tests.cases.agreement_helpers import approve_all, parties, review_all

pytestmark = pytest.mark.django_db


def start_follow_up(case, personas):
    return case_transition(case=case, name="start_follow_up", actor=personas.mediator)


def refusal(case, personas, name="start_follow_up", **kwargs) -> list[str]:
    with pytest.raises(TransitionRefused) as caught:
        case_transition(case=case, name=name, actor=personas.mediator, **kwargs)
    return caught.value.messages


# 1. Follow-up needs an action and every party's approval; each refusal names what is missing.


def test_follow_up_without_an_agreement_says_to_write_it(in_agreement, personas):
    assert refusal(in_agreement, personas) == ["Write the agreement and its actions first."]


def test_follow_up_refusal_names_the_missing_action_and_every_party_without_approval(
    in_agreement, personas
):
    agreement_write(case=in_agreement, text="Afspraken", actor=personas.mediator)

    problems = refusal(in_agreement, personas)

    assert problems == [
        "Add at least one concrete action: what, who and by when.",
        "Record whether Jan de Vries approves version 1 of the agreement.",
        "Record whether Gemeente Utrecht, afdeling Wonen approves version 1 of the agreement.",
    ]


def test_follow_up_refusal_names_a_party_that_declined(drafted, personas):
    jan, gemeente = parties(drafted.case)
    approval_record(
        agreement=drafted,
        participation=jan,
        decision="declined",
        method="email",
        decided_on=timezone.localdate(),
        actor=personas.mediator,
    )
    approval_record(
        agreement=drafted,
        participation=gemeente,
        decision="approved",
        method="paper",
        decided_on=timezone.localdate(),
        actor=personas.mediator,
    )

    assert refusal(drafted.case, personas) == [
        f"Jan de Vries declined version {drafted.version} of the agreement."
    ]


def test_every_approval_lets_the_follow_up_start_with_a_reminder_on_the_follow_up_date(
    drafted, personas, smtp_server
):
    approved_on = timezone.localdate() - timedelta(days=2)
    approve_all(drafted, personas.mediator, on=approved_on)

    case = start_follow_up(drafted.case, personas)

    drafted.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    assert drafted.follow_up_on == approved_on + timedelta(days=42)
    # A follow-up notice for the lead and one for the co-mediator, held back to the date.
    reminders = list(OutboxMessage.objects.filter(group=f"follow-up:{drafted.pk}"))
    assert len(reminders) == 2
    assert drafted.reminder == reminders[0]
    for reminder in reminders:
        assert timezone.localtime(reminder.next_attempt_at).date() == drafted.follow_up_on
    outbox_drain()  # the status message and the approval notices leave now, the reminders wait
    assert {
        reminder.status
        for reminder in OutboxMessage.objects.filter(group=f"follow-up:{drafted.pk}")
    } == {"pending"}
    sent_before = len(smtp_server.received)

    later = timezone.make_aware(datetime.combine(drafted.follow_up_on, datetime.min.time()))
    outbox_drain(now=later + timedelta(hours=9))

    mails = [r.message for r in smtp_server.received][sent_before:]
    assert {mail["To"] for mail in mails} == {personas.mediator.email, personas.comediator.email}
    for mail in mails:
        assert case.reference in mail["Subject"]
        assert "Actie 1" not in mail.as_string() and "buurthuis" not in mail.as_string()


def test_the_follow_up_days_are_a_setting_and_a_chosen_date_wins(drafted, personas, settings):
    settings.TAFEL_FOLLOW_UP_DAYS = 10
    approve_all(drafted, personas.mediator)
    assert approval_overview(agreement=drafted)[0].current.decision == "approved"
    chosen = timezone.localdate() + timedelta(days=30)
    follow_up_date_set(agreement=drafted, follow_up_on=chosen, actor=personas.mediator)

    start_follow_up(drafted.case, personas)

    drafted.refresh_from_db()
    assert drafted.follow_up_on == chosen


# 2. Changing the agreement invalidates earlier approvals; earlier versions are kept sealed.


def test_changing_the_text_after_approval_makes_a_new_version_and_invalidates_approvals(
    drafted, personas
):
    approve_all(drafted, personas.mediator)
    version = drafted.version

    agreement = agreement_write(case=drafted.case, text="Nieuwe afspraken", actor=personas.mediator)

    assert agreement.version == version + 1
    assert outdated_approvals(agreement=agreement) == 2
    assert all(item.current is None for item in approval_overview(agreement=agreement))
    assert all(item.earlier.version == version for item in approval_overview(agreement=agreement))
    problems = refusal(drafted.case, personas)
    assert f"Record whether Jan de Vries approves version {version + 1} of the agreement." in (
        problems
    )
    texts = [
        text
        for _number, text, _actions in agreement_versions(
            agreement=agreement, reader=personas.mediator
        )
    ]
    assert "Nieuwe afspraken" not in texts and texts[0].startswith("De gemeente")


def test_adding_an_action_after_approval_invalidates_approvals(drafted, personas):
    approve_all(drafted, personas.mediator)

    action_add(
        agreement=drafted,
        description="Nog iets",
        owner=None,
        due_on=timezone.localdate(),
        actor=personas.mediator,
    )

    drafted.refresh_from_db()
    assert outdated_approvals(agreement=drafted) == 2
    assert len(refusal(drafted.case, personas)) == 2


def test_saving_the_same_text_again_keeps_the_version(drafted, personas):
    text = agreement_read(agreement=drafted, reader=personas.mediator).text

    agreement = agreement_write(case=drafted.case, text=text, actor=personas.mediator)

    assert agreement.version == drafted.version
    assert AgreementVersion.objects.filter(agreement=drafted).count() == drafted.version - 1


def test_the_agreement_does_not_change_after_the_follow_up_started(in_follow_up, personas):
    with pytest.raises(ValidationError, match="can only change during the sessions"):
        agreement_write(case=in_follow_up, text="Anders", actor=personas.mediator)


@pytest.mark.parametrize("persona", ["coordinator", "supervisor", "outsider"])
def test_nobody_but_the_mediators_writes_or_reads_the_agreement(drafted, personas, persona):
    user = getattr(personas, persona)

    with pytest.raises(PermissionDenied):
        agreement_write(case=drafted.case, text="x", actor=user)
    with pytest.raises(PermissionDenied):
        agreement_read(agreement=drafted, reader=user)


def test_an_action_owner_must_be_a_party_of_the_case(drafted, personas, refer):
    other = parties(refer(title="Een andere zaak"))[0]

    with pytest.raises(ValidationError, match="Choose a party of this case"):
        action_add(
            agreement=drafted,
            description="x",
            owner=other,
            due_on=timezone.localdate(),
            actor=personas.mediator,
        )


# 3. Closing needs a review of every action, and an outcome of full or partial agreement.


def test_closing_without_a_review_names_each_action_without_one(in_follow_up, personas):
    problems = refusal(in_follow_up, personas, name="close", outcome=Outcome.FULL_AGREEMENT)

    assert len(problems) == 1
    assert problems[0].startswith("Record the follow-up review of action 1 (Jan de Vries, due ")


@pytest.mark.parametrize("outcome", [None, "", Outcome.WITHDRAWN, "anything"])
def test_closing_refuses_an_outcome_other_than_full_or_partial_agreement(
    in_follow_up, personas, outcome
):
    review_all(in_follow_up, personas.mediator)

    problems = refusal(in_follow_up, personas, name="close", outcome=outcome)

    assert problems == ["Choose the outcome of the case: Full agreement, Partial agreement."]


def test_a_reviewed_case_closes_with_the_chosen_outcome_and_an_end_date(in_follow_up, personas):
    review_all(in_follow_up, personas.mediator, status="partly_done")

    case = case_transition(
        case=in_follow_up,
        name="close",
        actor=personas.mediator,
        outcome=Outcome.PARTIAL_AGREEMENT,
    )

    assert case.status == CaseStatus.CLOSED
    assert case.outcome == Outcome.PARTIAL_AGREEMENT
    assert case.ended_on == timezone.localdate()
    event = AuditEvent.objects.filter(action=AuditAction.CASE_TRANSITION).first()
    assert event.details["outcome"] == "partial_agreement"


def test_other_steps_take_no_outcome(in_sessions, personas):
    problems = refusal(
        in_sessions, personas, name="end_without_agreement", reason="x", outcome="full_agreement"
    )

    assert problems == ["This step does not take an outcome."]


def test_actions_are_reviewed_only_during_the_follow_up(drafted, personas):
    with pytest.raises(ValidationError, match="reviewed during the follow-up"):
        action_review(
            action=drafted.actions.first(), status="done", comment="", actor=personas.mediator
        )


def test_every_step_is_audited(in_follow_up, personas):
    review_all(in_follow_up, personas.mediator)
    actions = set(AuditEvent.objects.values_list("action", flat=True))

    assert {
        AuditAction.AGREEMENT_WRITTEN,
        AuditAction.ACTION_ADDED,
        AuditAction.APPROVAL_RECORDED,
        AuditAction.FOLLOW_UP_SCHEDULED,
        AuditAction.ACTION_REVIEWED,
    } <= actions


# 4. The referrer sees the summary only when every party agreed to share it.


def test_the_referrer_reads_the_summary_only_when_every_party_agreed(drafted, personas):
    case = drafted.case
    summary = summary_write(case=case, text="Partijen zijn tevreden.", actor=personas.mediator)
    jan, gemeente = parties(case)
    today = timezone.localdate()

    summary_consent_record(
        summary=summary, participation=jan, agreed_on=today, actor=personas.mediator
    )
    assert summary_for_referrer(case=case, reader=personas.coordinator) is None

    summary_consent_record(
        summary=summary, participation=gemeente, agreed_on=today, actor=personas.mediator
    )
    assert summary_for_referrer(case=case, reader=personas.coordinator) == "Partijen zijn tevreden."
    assert summary_for_referrer(case=case, reader=personas.supervisor) is None

    summary = summary_write(case=case, text="Anders verwoord.", actor=personas.mediator)
    assert summary_for_referrer(case=case, reader=personas.coordinator) is None  # asked again


def test_a_withdrawn_consent_hides_the_summary_again(drafted, personas):
    case = drafted.case
    summary = summary_write(case=case, text="Kort verslag.", actor=personas.mediator)
    for participation in parties(case):
        summary_consent_record(
            summary=summary,
            participation=participation,
            agreed_on=timezone.localdate(),
            actor=personas.mediator,
        )

    summary_consent_withdraw(
        summary=summary, participation=parties(case)[0], actor=personas.mediator
    )

    assert summary_for_referrer(case=case, reader=personas.coordinator) is None


def test_approvals_are_one_per_party_and_version(drafted, personas):
    jan = parties(drafted.case)[0]
    for decision in ("declined", "approved"):
        approval_record(
            agreement=drafted,
            participation=jan,
            decision=decision,
            method="email",
            decided_on=timezone.localdate(),
            actor=personas.mediator,
        )

    assert Approval.objects.get(participation=jan).decision == "approved"


def test_the_demo_adds_a_case_in_follow_up_and_a_closed_case_with_a_review_once():
    users = demo_accounts_ensure()
    cases = demo_cases_ensure(users)

    result = demo_agreements_ensure(users, cases)
    again = demo_agreements_ensure(users, cases)

    follow_up, closed, drafting = result[-3:]
    assert drafting.status == CaseStatus.AGREEMENT
    assert follow_up.status == CaseStatus.FOLLOW_UP
    assert closed.status == CaseStatus.CLOSED
    assert closed.outcome == Outcome.PARTIAL_AGREEMENT
    assert summary_for_referrer(case=follow_up, reader=users["coordinator"])
    assert len(again) == len(result)
