"""The lifecycle's hook points: every guard and after-step is registered, and runs once."""

import pytest

from agreements.services import (
    follow_up_notice_for_joiners,
    follow_up_notice_withdraw,
    follow_up_schedule,
    follow_up_withdraw,
)
from api.webhooks import referral_step_announce
from cases import hooks
from cases.services import TransitionRefused, case_transition
from mediation import jobs
from scheduling.services import case_sessions_cancel, reminders_queue
from surveys.services import survey_send
from tests.case_fixtures import declare_all
from zgw.services import zaak_register, zaak_step

pytestmark = pytest.mark.django_db


def test_every_guarded_transition_has_its_guard_registered_once():
    guarded = {name: len(guards) for name, guards in hooks._guards.items() if guards}

    assert guarded == {
        "accept": 1,
        "start_sessions": 1,
        "reach_agreement": 1,
        "start_follow_up": 1,
        "close": 1,
        "reopen": 1,
    }


def test_the_after_steps_and_panels_of_the_higher_apps_are_registered():
    assert hooks._after_steps["start_follow_up"] == [follow_up_schedule]
    assert case_sessions_cancel in hooks._after_closing
    assert follow_up_withdraw in hooks._after_closing
    assert survey_send in hooks._after_closing
    # scheduling (sessions, feeds) and agreements (the follow-up notices) each take one.
    assert follow_up_notice_withdraw in hooks._mediator_removed
    assert len(hooks._mediator_removed) == 2 and len(hooks._conflict_matchers) == 1
    assert follow_up_notice_for_joiners in hooks._mediators_changed
    assert len(hooks._mediators_changed) == 2
    assert [s.name for s in sorted(hooks._sections.values(), key=lambda s: s.position)] == [
        "agreement",
        "survey",
        "referral",
        "participants",
        "sessions",
        "letters",
        "documents",
        "retention",
    ]
    assert jobs._jobs["session reminders"].run is reminders_queue
    # zgw: a referral becomes a zaak, every step a status of it.
    assert hooks._after_referral == [zaak_register]
    # api: every step of a client's referral is an event for its webhooks.
    assert hooks._after_every_step == [zaak_step, referral_step_announce]


def test_the_steps_of_every_transition_run_after_its_own_and_before_the_closing_ones(
    refer, personas, monkeypatch
):
    ran = []
    monkeypatch.setattr(hooks, "_after_referral", [lambda **kw: ran.append("referral")])
    monkeypatch.setattr(hooks, "_after_every_step", [lambda **kw: ran.append("every")])
    monkeypatch.setattr(hooks, "_after_closing", [lambda **kw: ran.append("closing")])
    monkeypatch.setitem(hooks._after_steps, "decline", [lambda **kw: ran.append("decline")])
    case = refer()
    assert ran == ["referral"]

    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Niet passend.")

    assert ran == ["referral", "decline", "every", "closing"]


def test_a_transition_runs_each_guard_once(assigned, personas, monkeypatch):
    declare_all(assigned, personas)
    calls = []
    (accept_guard,) = hooks._guards["accept"]

    def counting(case):
        calls.append(case.pk)
        return accept_guard(case)

    monkeypatch.setitem(hooks._guards, "accept", [counting])

    case_transition(case=assigned, name="accept", actor=personas.mediator)

    assert calls == [assigned.pk]


def test_a_refusal_names_what_the_guard_found_missing(assigned, personas):
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case=assigned, name="accept", actor=personas.mediator)

    assert len(refused.value.messages) == 2  # neither mediator has declared yet
