"""Retention clocks, legal holds and destruction lists, with the clock moved (time-machine)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from agreements.models import Agreement
from audit.models import AuditEvent
from cases.keys import case_data_key
from cases.models import Case, Note, NoteKind
from cases.services import TransitionRefused, case_assign, case_transition, note_read
from dossier.models import DestructionItem, ListStatus, RecordClass, RetentionPolicy
from dossier.services import (
    destruction_approve,
    destruction_execute,
    destruction_proposal_due,
    destruction_propose,
    destruction_reject,
    legal_hold_lift,
    legal_hold_set,
)
from mediation.crypto import CannotOpen
from parties.models import Party
from parties.services import participation_add
from scheduling.models import Session
from surveys.models import SurveyInvitation, SurveyResponse
from surveys.services import SurveyAnswers, survey_answer, survey_token
from tests.case_fixtures import consent_all, declare_all
from tests.cases.agreement_helpers import approve_all, draft, to_agreement
from tests.dossier.conftest import close
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def proposed(today=None):
    """(reference, record class) of every item of a new list; [] when nothing is due."""
    proposal = destruction_propose(actor=None)
    if proposal is None:
        return []
    return sorted(proposal.items.values_list("reference", "record_class"))


def carry_out(proposal, supervisor):
    destruction_approve(proposal=proposal, actor=supervisor)
    return destruction_execute(proposal=proposal, actor=supervisor)


def test_a_dossier_closed_five_years_and_a_day_ago_is_proposed_one_closed_four_years_ago_not(
    clock, closed, refer, personas
):
    clock.years_and_days(1)
    later = to_agreement(_in_sessions(refer, personas))
    approve_all(draft(later, personas.mediator), personas.mediator)
    later = case_transition(case=later, name="start_follow_up", actor=personas.mediator)
    later = close(later, personas.mediator)

    clock.years_and_days(4, days=1)  # five years and a day after the first closing

    items = proposed()
    assert (closed.reference, RecordClass.DOSSIER) in items
    assert (later.reference, RecordClass.DOSSIER) not in items, "closed four years ago"


def test_a_dossier_is_kept_the_full_five_years(clock, closed):
    clock.years_and_days(5)  # the last day of the five years

    assert (closed.reference, RecordClass.DOSSIER) not in proposed()


def test_a_held_case_is_never_proposed(clock, closed, personas):
    legal_hold_set(case=closed, actor=personas.supervisor, reason="Klacht bij de tuchtrechter.")
    clock.years_and_days(6)

    assert proposed() == []


def test_lifting_the_hold_lets_the_clocks_count_again(clock, closed, personas):
    hold = legal_hold_set(case=closed, actor=personas.supervisor, reason="Klacht.")
    clock.years_and_days(6)
    legal_hold_lift(hold=hold, actor=personas.supervisor, reason="Klacht afgehandeld.")

    assert (closed.reference, RecordClass.DOSSIER) in proposed()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dossier.hold_set", "dossier.hold_lifted"} <= actions


def test_only_a_supervisor_sets_a_hold_and_it_needs_a_reason(closed, personas):
    with pytest.raises(PermissionDenied):
        legal_hold_set(case=closed, actor=personas.mediator, reason="Klacht.")
    with pytest.raises(ValidationError, match="reason"):
        legal_hold_set(case=closed, actor=personas.supervisor, reason="  ")


def test_working_notes_go_a_grace_period_after_closing_while_the_dossier_stays(
    clock, closed, personas
):
    clock.years_and_days(0, days=30)
    assert proposed() == [], "kept the 30 days of grace"

    clock.years_and_days(0, days=1)
    proposal = destruction_propose(actor=None)
    assert [i.record_class for i in proposal.items.all()] == [RecordClass.WORKING_NOTES]
    assert Note.objects.filter(case=closed, kind=NoteKind.WORKING).exists(), "not before approval"

    carry_out(proposal, personas.supervisor)

    assert not Note.objects.filter(case=closed, kind=NoteKind.WORKING).exists()
    record = Note.objects.get(case=closed, kind=NoteKind.DOSSIER)
    assert note_read(note=record, reader=personas.mediator).body == "Dossierstuk"
    closed.refresh_from_db()
    assert closed.working_notes_destroyed_on is not None
    assert closed.dossier_destroyed_on is None


def test_a_kind_may_keep_longer(clock, closed):
    RetentionPolicy.objects.create(kind=closed.kind, working_notes_days=30, dossier_years=7)
    clock.years_and_days(6)

    assert (closed.reference, RecordClass.DOSSIER) not in proposed()


def test_a_kind_may_not_keep_the_dossier_less_than_five_years(closed):
    policy = RetentionPolicy(kind=closed.kind, working_notes_days=0, dossier_years=4)

    with pytest.raises(ValidationError):
        policy.full_clean()


def test_nothing_is_destroyed_before_approval(clock, closed, personas):
    clock.years_and_days(5, days=1)
    proposal = destruction_propose(actor=None)

    with pytest.raises(ValidationError, match="approved"):
        destruction_execute(proposal=proposal, actor=personas.supervisor)

    assert Note.objects.filter(case=closed).count() == 2
    assert Agreement.objects.filter(case=closed).exists()


def test_a_rejected_list_destroys_nothing_and_its_records_come_back_next_time(
    clock, closed, personas
):
    clock.years_and_days(5, days=1)
    proposal = destruction_propose(actor=None)
    proposal = destruction_reject(
        proposal=proposal, actor=personas.supervisor, reason="Eerst nakijken."
    )

    assert proposal.status == ListStatus.REJECTED
    assert Note.objects.filter(case=closed).count() == 2
    assert len(proposed()) == 2


def test_four_eyes_need_a_second_supervisor(clock, closed, personas, settings):
    settings.TAFEL_DESTRUCTION_FOUR_EYES = True
    clock.years_and_days(5, days=1)
    proposal = destruction_propose(actor=None)

    destruction_approve(proposal=proposal, actor=personas.supervisor)
    with pytest.raises(ValidationError, match="second supervisor"):
        destruction_approve(proposal=proposal, actor=personas.supervisor)
    with pytest.raises(ValidationError, match="approved"):
        destruction_execute(proposal=proposal, actor=personas.supervisor)

    other = UserFactory(username="supervisor2", roles=["supervisor"])
    proposal = destruction_approve(proposal=proposal, actor=other)
    assert proposal.status == ListStatus.APPROVED


def test_carrying_out_destroys_the_dossier_and_keeps_a_tombstone(clock, closed, personas):
    party_ids = list(closed.participations.values_list("party_id", flat=True))
    notes = list(Note.objects.filter(case=closed))
    reference, kind_id, ended_on, outcome = (
        closed.reference,
        closed.kind_id,
        closed.ended_on,
        closed.outcome,
    )
    invitation = SurveyInvitation.objects.filter(case=closed, sent_on__isnull=False).first()
    survey_answer(
        token=survey_token(invitation),
        answers=SurveyAnswers("yes", "yes", "maybe", "yes", comment="Goed geholpen."),
    )
    clock.years_and_days(5, days=1)

    proposal = carry_out(destruction_propose(actor=None), personas.supervisor)

    case = Case.objects.get(pk=closed.pk)
    assert (case.reference, case.kind_id, case.ended_on, case.outcome) == (
        reference,
        kind_id,
        ended_on,
        outcome,
    )
    assert case.title == "" and case.referral_reason == ""
    assert case.key.wrapped is None, "the case's data key is destroyed"
    assert not Note.objects.filter(case=case).exists()
    assert not Agreement.objects.filter(case=case).exists()
    assert not Session.objects.filter(case=case).exists()
    assert not Party.objects.filter(pk__in=party_ids).exists()
    assert not case.participations.exists()
    assert not SurveyInvitation.objects.filter(case=case).exists()
    [answer] = SurveyResponse.objects.filter(case=case)
    assert bytes(answer.sealed_comment) == b"", "the free text goes, the coded answer stays"
    with pytest.raises(CannotOpen):
        case_data_key(case)
    assert notes, "there were notes to destroy"
    items = DestructionItem.objects.filter(destruction_list=proposal)
    assert all(item.destroyed_at for item in items)
    assert {e.action for e in AuditEvent.objects.filter(case_id=case.pk)} >= {
        "dossier.records_destroyed"
    }
    call_command("verify_audit")  # raises when the chain is broken


def test_a_case_held_after_approval_is_skipped(clock, closed, personas):
    clock.years_and_days(5, days=1)
    proposal = destruction_propose(actor=None)
    destruction_approve(proposal=proposal, actor=personas.supervisor)
    legal_hold_set(case=closed, actor=personas.supervisor, reason="Klacht ingediend.")

    destruction_execute(proposal=proposal, actor=personas.supervisor)

    assert Note.objects.filter(case=closed).count() == 2
    assert set(proposal.items.values_list("skipped", flat=True)) == {"legal hold"}


def test_a_person_in_another_case_keeps_their_record_there(clock, closed, refer, personas):
    shared = closed.participations.first().party
    other = _in_sessions(refer, personas)
    participation_add(case=other, party=shared, role="party", actor=personas.mediator)
    clock.years_and_days(5, days=1)

    carry_out(destruction_propose(actor=None), personas.supervisor)

    shared.refresh_from_db()
    assert shared.key.wrapped is not None, "still needed for the other case"


def test_a_destroyed_case_cannot_be_reopened(clock, closed, personas):
    clock.years_and_days(5, days=1)
    carry_out(destruction_propose(actor=None), personas.supervisor)

    with pytest.raises(TransitionRefused, match="destroyed"):
        case_transition(
            case=Case.objects.get(pk=closed.pk),
            name="reopen",
            actor=personas.supervisor,
            reason="Nieuwe klacht.",
        )


def test_the_worker_proposes_once_a_month(clock, closed):
    clock.years_and_days(5, days=1)

    first = destruction_proposal_due()
    assert first is not None
    assert destruction_proposal_due() is None, "one waits already"


def test_the_command_proposes_a_list(clock, closed, capsys):
    clock.years_and_days(5, days=1)

    call_command("propose_destruction")

    assert "proposed with 2 item(s)" in capsys.readouterr().out


def _in_sessions(refer, personas, **referral):
    case = refer(**referral)
    case_assign(
        case=case,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )
    declare_all(case, personas)
    case = case_transition(case=case, name="accept", actor=personas.mediator)
    consent_all(case, personas.mediator)
    return case_transition(case=case, name="start_sessions", actor=personas.mediator)
