import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from cases.models import Case, CaseStatus, CaseStatusChange, Declaration, Outcome
from cases.permissions import case_access
from cases.services import (
    CaseConflict,
    TransitionNotAllowed,
    TransitionRefused,
    case_assign,
    case_transition,
    conflict_acceptance_record,
    conflict_declare,
)
from parties.models import ParticipantRole
from parties.services import consent_withdraw, participation_add, party_create
from scheduling.models import Session, SessionKind, SessionStatus
from scheduling.services import session_mark_held, session_schedule
from tests.case_fixtures import consent_all, declare_all

pytestmark = pytest.mark.django_db


def refused(case, name, actor, **kwargs) -> list[str]:
    with pytest.raises(TransitionRefused) as error:
        case_transition(case=case, name=name, actor=actor, **kwargs)
    assert Case.objects.get(pk=case.pk).status == case.status  # nothing saved
    return error.value.messages


# Referral


def test_referral_gets_the_next_reference_of_the_year(refer):
    first, second = refer(), refer()

    year = timezone.localdate().year
    assert first.reference == f"MED-{year}-0001"
    assert second.reference == f"MED-{year}-0002"
    assert first.status == CaseStatus.REFERRED


def test_referrer_may_only_view_the_case(refer, personas):
    case = refer()

    assert case_access(personas.coordinator, case).held == {"view_case"}


def test_referral_records_its_parties_and_audits_without_their_names(refer):
    case = refer()

    names = sorted(case.participations.values_list("party__name", flat=True))
    assert names == ["Gemeente Utrecht, afdeling Wonen", "Jan de Vries"]
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {AuditAction.CASE_REFERRED, AuditAction.PARTICIPANT_ADDED} <= actions
    dumped = str(list(AuditEvent.objects.values("details")))
    assert "Jan de Vries" not in dumped and "jan.devries" not in dumped


def test_only_coordinators_refer(refer, personas):
    with pytest.raises(PermissionDenied):
        refer(referred_by=personas.mediator)


def test_a_referral_with_hostile_text_is_refused_whole(refer):
    with pytest.raises(ValidationError):
        refer(title="Twee regels\r\nSet-Cookie: x")
    assert not Case.objects.exists()


# accept


def test_accept_needs_a_lead_mediator(refer, personas):
    case = refer()

    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, name="accept", actor=personas.mediator)
    # A supervisor may see the step's guard too: they cannot run accept at all.
    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, name="accept", actor=personas.supervisor)


def test_accept_names_every_mediator_without_a_declaration(assigned, personas):
    messages = refused(assigned, "accept", personas.mediator)

    assert len(messages) == 2
    assert any(personas.mediator.get_full_name() in message for message in messages)
    assert any(personas.comediator.get_full_name() in message for message in messages)
    assert all("conflict of interest" in message for message in messages)


def test_accept_waits_until_the_parties_accept_a_disclosed_conflict(assigned, personas):
    conflict_declare(case=assigned, mediator=personas.mediator, declaration=Declaration.NO_CONFLICT)
    disclosure = conflict_declare(
        case=assigned,
        mediator=personas.comediator,
        declaration=Declaration.DISCLOSED,
        disclosure="Ik ken de voorzitter van de wijkraad van de voetbalclub.",
    )

    messages = refused(assigned, "accept", personas.mediator)
    conflict_acceptance_record(
        declaration=disclosure, accepted_on=timezone.localdate(), actor=personas.mediator
    )
    case = case_transition(case=assigned, name="accept", actor=personas.mediator)

    assert messages == [
        f"{personas.comediator.get_full_name()} disclosed a conflict of interest: record first "
        "that the parties accepted it."
    ]
    assert case.status == CaseStatus.INTAKE


def test_a_disclosure_needs_its_text(assigned, personas):
    with pytest.raises(ValidationError, match="Describe the conflict"):
        conflict_declare(
            case=assigned, mediator=personas.mediator, declaration=Declaration.DISCLOSED
        )


def test_only_a_mediator_on_the_case_declares(assigned, personas):
    with pytest.raises(PermissionDenied):
        conflict_declare(
            case=assigned, mediator=personas.outsider, declaration=Declaration.NO_CONFLICT
        )


def test_accept_moves_the_case_to_intake_with_history_and_audit(assigned, personas):
    declare_all(assigned, personas)

    case = case_transition(case=assigned, name="accept", actor=personas.mediator)

    assert case.status == CaseStatus.INTAKE
    change = CaseStatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status, change.actor) == (
        "referred",
        "intake",
        personas.mediator,
    )
    event = AuditEvent.objects.get(action=AuditAction.CASE_TRANSITION, case_id=case.pk)
    assert event.details == {"transition": "accept", "from": "referred", "to": "intake"}


# start_sessions


def test_start_sessions_names_each_party_without_consent(in_intake, personas):
    messages = refused(in_intake, "start_sessions", personas.mediator)

    assert messages == [
        "Record the consent (signed mediation agreement) of Jan de Vries.",
        "Record the consent (signed mediation agreement) of Gemeente Utrecht, afdeling Wonen.",
    ]


def test_start_sessions_needs_two_parties(refer, personas):
    case = refer(parties=[{"kind": "person", "name": "Jan de Vries"}])
    case = case_assign(
        case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor
    )
    conflict_declare(case=case, mediator=personas.mediator, declaration=Declaration.NO_CONFLICT)
    case = case_transition(case=case, name="accept", actor=personas.mediator)
    consent_all(case, personas.mediator)

    assert refused(case, "start_sessions", personas.mediator) == [
        "Add at least two parties (the case has 1)."
    ]


def test_start_sessions_needs_confidentiality_of_everyone_else_present(in_intake, personas):
    consent_all(in_intake, personas.mediator)
    party = in_intake.participations.get(party__name="Jan de Vries")
    participation_add(
        case=in_intake,
        party=party_create(actor=personas.mediator, kind="person", name="Fatima el Idrissi"),
        role=ParticipantRole.REPRESENTATIVE,
        represents=party,
        actor=personas.mediator,
    )

    assert refused(in_intake, "start_sessions", personas.mediator) == [
        "Record the confidentiality statement of Fatima el Idrissi (Representative)."
    ]


def test_withdrawn_consent_blocks_the_sessions(in_intake, personas):
    consent_all(in_intake, personas.mediator)
    party = in_intake.participations.get(party__name="Jan de Vries")
    consent_withdraw(
        participation=party, withdrawn_on=timezone.localdate(), actor=personas.mediator
    )

    messages = refused(in_intake, "start_sessions", personas.mediator)

    assert len(messages) == 1 and messages[0].startswith("Jan de Vries withdrew their consent on")


def test_start_sessions_goes_ahead_with_every_consent(in_sessions):
    assert in_sessions.status == CaseStatus.SESSIONS


# Ending and reopening


def test_decline_needs_a_reason_and_records_the_outcome(refer, personas):
    case = refer()

    assert refused(case, "decline", personas.supervisor) == ["Give a reason for this step."]
    case = case_transition(
        case=case, name="decline", actor=personas.supervisor, reason="Geen mediation-vraag."
    )

    assert (case.status, case.outcome, case.ended_on) == (
        CaseStatus.CLOSED,
        Outcome.DECLINED,
        timezone.localdate(),
    )
    assert case.end_ground == "Geen mediation-vraag."


@pytest.mark.parametrize("fixture", ["in_intake", "in_sessions"])
def test_withdraw_closes_from_intake_and_sessions(request, personas, fixture):
    case = request.getfixturevalue(fixture)

    case = case_transition(
        case=case, name="withdraw", actor=personas.comediator, reason="Partij trekt zich terug."
    )

    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.WITHDRAWN)


def test_end_without_agreement_closes_from_sessions(in_sessions, personas):
    case = case_transition(
        case=in_sessions,
        name="end_without_agreement",
        actor=personas.mediator,
        reason="Vastgelopen.",
    )

    assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.NO_AGREEMENT)


def test_only_a_supervisor_reopens_and_it_clears_the_outcome(in_sessions, personas):
    closed = case_transition(
        case=in_sessions, name="end_without_agreement", actor=personas.mediator, reason="Vast."
    )

    with pytest.raises(TransitionNotAllowed):
        case_transition(case=closed, name="reopen", actor=personas.mediator, reason="Opnieuw.")
    assert refused(closed, "reopen", personas.supervisor) == ["Give a reason for this step."]
    reopened = case_transition(
        case=closed, name="reopen", actor=personas.supervisor, reason="Partijen willen verder."
    )

    assert (reopened.status, reopened.outcome, reopened.ended_on) == (CaseStatus.SESSIONS, "", None)


@pytest.mark.parametrize("name", ["start_sessions", "end_without_agreement", "reopen", "unknown"])
def test_a_step_that_does_not_leave_the_current_status_is_not_allowed(refer, personas, name):
    case = refer()

    with pytest.raises(TransitionNotAllowed, match="not possible"):
        case_transition(case=case, name=name, actor=personas.supervisor, reason="x")


@pytest.mark.parametrize("persona", ["outsider", "coordinator"])
def test_people_off_the_case_run_no_step(in_intake, personas, persona):
    for name in ("start_sessions", "withdraw"):
        with pytest.raises(TransitionNotAllowed):
            case_transition(case=in_intake, name=name, actor=getattr(personas, persona), reason="x")


def test_a_stale_page_gets_a_conflict_message_and_saves_nothing(in_intake, personas):
    with pytest.raises(CaseConflict, match="Someone else changed this case"):
        case_transition(
            case=in_intake,
            name="withdraw",
            actor=personas.mediator,
            reason="x",
            expected_status=CaseStatus.REFERRED,
        )
    assert Case.objects.get(pk=in_intake.pk).status == CaseStatus.INTAKE


def test_the_status_cannot_be_set_directly(refer):
    case = refer()

    with pytest.raises(AttributeError):
        case.status = CaseStatus.CLOSED


def test_graph_transitions_prints_the_lifecycle():
    out = io.StringIO()
    call_command("graph_transitions", "cases", stdout=out)

    graph = out.getvalue()
    assert graph.startswith("digraph")
    for name in ("accept", "decline", "start_sessions", "withdraw", "end_without_agreement"):
        assert re.search(rf"label={name}\]", graph)


def test_a_referral_naming_a_party_with_a_line_break_is_refused_whole(refer):
    with pytest.raises(ValidationError):
        refer(parties=[{"kind": "person", "name": "Jan\r\nSet-Cookie: x"}])
    assert not Case.objects.exists()


# reach_agreement


def _past_session(case, mediator, kind, *, held: bool, days_ago: int):
    # Planned ahead (the services plan nothing in the past), then moved back as if the day
    # had come.
    ahead = timezone.now() + timedelta(days=30 + days_ago)
    session = session_schedule(
        case=case,
        kind=kind,
        starts_at=ahead,
        ends_at=ahead + timedelta(hours=1),
        actor=mediator,
        place="Stadskantoor",
        participations=list(case.participations.active()),
    )
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    start -= timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session_mark_held(session=session, actor=mediator) if held else session


def test_reach_agreement_needs_a_joint_session_that_was_held(in_sessions, personas):
    message = ["Hold a joint session with the parties first, and mark it as held."]
    assert refused(in_sessions, "reach_agreement", personas.mediator) == message
    _past_session(in_sessions, personas.mediator, SessionKind.INTAKE, held=True, days_ago=3)
    _past_session(in_sessions, personas.mediator, SessionKind.JOINT, held=False, days_ago=2)
    assert refused(in_sessions, "reach_agreement", personas.mediator) == message
    _past_session(in_sessions, personas.comediator, SessionKind.GROUP, held=True, days_ago=1)

    case = case_transition(case=in_sessions, name="reach_agreement", actor=personas.mediator)

    assert case.status == CaseStatus.AGREEMENT


def test_closing_a_case_cancels_its_planned_sessions(in_sessions, personas):
    start = timezone.localtime().replace(microsecond=0) + timedelta(days=5)
    session_schedule(
        case=in_sessions,
        kind=SessionKind.JOINT,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        actor=personas.mediator,
        place="Buurthuis",
        participations=list(in_sessions.participations.active()),
    )

    case_transition(case=in_sessions, name="withdraw", actor=personas.mediator, reason="Gestopt.")

    assert Session.objects.get(case=in_sessions).status == SessionStatus.CANCELLED
