"""The idle timeout on the server (issue 17, point 6): after TAFEL_IDLE_TIMEOUT_SECONDS
without a request the user is signed out, sent to the login page with a message, and the
logout is audited as an idle timeout. The warning's own questions do not keep a session
alive; its "Stay signed in" button does. Pages open to everyone show no warning."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from mediation.idle import LAST_ACTIVITY

TIMEOUT = 30 * 60


def idle_for(client, seconds: int) -> None:
    """Move the session's last activity `seconds` into the past."""
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def signed_in(client, personas):
    client.force_login(personas.mediator)
    assert client.get(reverse("home")).status_code == 200
    return client


def test_the_timeout_is_thirty_minutes_by_default(settings):
    assert settings.TAFEL_IDLE_TIMEOUT_SECONDS == TIMEOUT
    assert 0 < settings.TAFEL_IDLE_WARNING_SECONDS < TIMEOUT


def test_a_request_after_the_idle_time_finds_the_user_signed_out_and_told_why(signed_in, personas):
    idle_for(signed_in, TIMEOUT + 1)

    response = signed_in.get(reverse("cases:list"), follow=True)

    assert response.redirect_chain[0][0] == reverse("login") + "?next=/cases/"
    assert not response.context["user"].is_authenticated
    assert "signed out because nothing happened for 30 minutes" in response.content.decode()
    event = AuditEvent.objects.filter(action=AuditAction.LOGOUT_IDLE).get()
    assert event.actor_id == personas.mediator.pk
    assert not AuditEvent.objects.filter(action=AuditAction.LOGOUT).exists()
    # Signed out for good: the next request is anonymous too.
    assert signed_in.get(reverse("cases:list")).status_code == 302


def test_a_form_sent_after_the_idle_time_is_refused_and_nothing_is_saved(signed_in, in_intake):
    idle_for(signed_in, TIMEOUT + 1)

    response = signed_in.post(
        reverse("cases:note_add", args=[in_intake.pk]),
        {"kind": "dossier", "title": "Te laat", "body": "Tekst"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not in_intake.notes.exists()


def test_a_request_within_the_idle_time_keeps_the_user_signed_in_and_restarts_the_clock(
    signed_in,
):
    idle_for(signed_in, TIMEOUT - 60)

    response = signed_in.get(reverse("cases:list"))

    assert response.status_code == 200
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) <= 2


def test_the_timeout_is_configurable(signed_in, settings):
    settings.TAFEL_IDLE_TIMEOUT_SECONDS = 10 * 60
    settings.TAFEL_IDLE_WARNING_SECONDS = 2 * 60
    idle_for(signed_in, 10 * 60 + 1)

    response = signed_in.get(reverse("cases:list"), follow=True)

    assert "nothing happened for 10 minutes" in response.content.decode()


def test_the_warnings_question_does_not_keep_the_session_alive(signed_in):
    idle_for(signed_in, 20 * 60)
    last = signed_in.session[LAST_ACTIVITY]

    first = signed_in.get(reverse("idle_session")).json()
    second = signed_in.get(reverse("idle_session")).json()

    assert first["signed_in"] and second["signed_in"]
    assert 9 * 60 <= second["remaining"] <= 10 * 60
    assert signed_in.session[LAST_ACTIVITY] == last


def test_the_warnings_question_after_the_idle_time_signs_out_and_says_so(signed_in):
    idle_for(signed_in, TIMEOUT + 1)

    state = signed_in.get(reverse("idle_session")).json()

    assert state == {"signed_in": False, "remaining": 0, "login_url": reverse("login")}
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT_IDLE).count() == 1


def test_stay_signed_in_gives_the_whole_time_again(signed_in):
    idle_for(signed_in, 27 * 60)

    state = signed_in.post(reverse("idle_session"), HTTP_ACCEPT="application/json").json()

    assert state["signed_in"] is True
    assert state["remaining"] >= TIMEOUT - 2


def test_stay_signed_in_without_javascript_comes_back_to_the_page(signed_in):
    idle_for(signed_in, 27 * 60)

    response = signed_in.post(reverse("idle_session"), {"next": "/cases/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/cases/?page=2"
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) <= 2


def test_stay_signed_in_needs_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.mediator)

    assert client.post(reverse("idle_session")).status_code == 403


def test_an_answer_link_after_the_idle_time_is_served_and_signs_out(signed_in, planted):
    idle_for(signed_in, TIMEOUT + 1)

    response = signed_in.get(planted.public_paths["rsvp"])

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_the_warning_is_on_pages_that_need_sign_in_only(signed_in, planted):
    assert 'id="idle-warning-template"' in signed_in.get(reverse("cases:list")).content.decode()
    for path in (
        reverse("accessibility"),
        reverse("login"),
        planted.public_paths["rsvp"],
        planted.public_paths["approval"],
    ):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        assert "idle-warning" not in response.content.decode(), path


def test_without_a_signed_in_user_there_is_no_warning(client):
    assert "idle-warning" not in client.get(reverse("login")).content.decode()
