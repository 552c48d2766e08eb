"""Brute force on the login page: lockouts per account and per address, unlocking (issue 17).

Real requests to the real login page, through django-axes' middleware and backend, with the
attempts in the test database.
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long and right password"
LOGIN = "/accounts/login/"


@pytest.fixture
def mediator(personas):
    personas.mediator.set_password(PASSWORD)
    personas.mediator.save()
    return personas.mediator


def browser(address: str = "192.0.2.10", language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def events(action: AuditAction):
    return AuditEvent.objects.filter(action=action).order_by("sequence")


def test_101_wrong_passwords_lock_the_account_and_the_right_one_is_refused_during_the_cool_off(
    mediator,
):
    client = browser()

    answers = [sign_in(client, "mediator", f"wrong {n}") for n in range(101)]

    # The first four are ordinary failures; from the fifth on, signing in is paused.
    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert all(answer.status_code == 429 for answer in answers[4:])
    last = answers[-1].content.decode()
    assert "Signing in is paused" in last and "Try again in 15 minutes" in last
    assert 'role="alert"' in last
    assert "Please enter a correct username and password" in answers[0].content.decode()

    right = sign_in(client, "mediator", PASSWORD)

    assert right.status_code == 429
    assert "Signing in is paused" in right.content.decode()
    assert not signed_in(client)
    # The lockout is in the trail once, naming the account; every refused try too.
    locked = list(events(AuditAction.LOCKED_OUT))
    assert len(locked) == 1
    assert locked[0].details["username"] == "mediator"
    assert locked[0].target_id == str(mediator.pk)
    assert locked[0].client_address == "192.0.2.10"
    assert events(AuditAction.LOGIN_FAILED).count() == 102
    assert not events(AuditAction.LOGIN).exists()
    assert not AuditEvent.objects.filter(details__icontains="wrong 1").exists()


def test_the_account_stays_locked_from_another_address(mediator):
    attacker = browser("192.0.2.10")
    for n in range(5):
        sign_in(attacker, "mediator", f"wrong {n}")

    owner = browser("198.51.100.7")
    answer = sign_in(owner, "mediator", PASSWORD)

    assert answer.status_code == 429
    assert not signed_in(owner)


def test_after_the_cool_off_the_right_password_signs_in(mediator):
    client = browser()
    for n in range(5):
        sign_in(client, "mediator", f"wrong {n}")
    assert sign_in(client, "mediator", PASSWORD).status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        answer = sign_in(client, "mediator", PASSWORD)

    assert answer.status_code == 302
    assert signed_in(client)


def test_a_few_mistakes_do_not_lock_anyone_out(mediator):
    client = browser()
    for n in range(4):
        assert sign_in(client, "mediator", f"wrong {n}").status_code == 200

    assert sign_in(client, "mediator", PASSWORD).status_code == 302
    assert signed_in(client)
    assert not events(AuditAction.LOCKED_OUT).exists()


def test_one_address_trying_many_accounts_is_locked_out_for_every_account(mediator, settings):
    assert settings.TAFEL_LOGIN_ADDRESS_FAILURE_LIMIT == 20
    attacker = browser("203.0.113.5")
    answers = [sign_in(attacker, f"user{n}", "guess") for n in range(20)]

    # Each account failed once only: the address is what is locked, at its own limit.
    assert [answer.status_code for answer in answers[:19]] == [200] * 19
    assert answers[19].status_code == 429
    assert sign_in(attacker, "mediator", PASSWORD).status_code == 429
    assert not signed_in(attacker)
    # Someone else, from another address, signs in as usual.
    colleague = browser("203.0.113.6")
    assert sign_in(colleague, "mediator", PASSWORD).status_code == 302
    assert events(AuditAction.LOCKED_OUT).filter(client_address="203.0.113.5").exists()


def test_the_lockout_message_comes_in_dutch(mediator):
    client = browser(language="nl")
    for n in range(5):
        answer = sign_in(client, "mediator", f"wrong {n}")

    page = answer.content.decode()
    assert answer.status_code == 429
    assert '<html lang="nl">' in page
    assert "Inloggen is gepauzeerd" in page


def test_an_unknown_account_is_locked_alike_and_reveals_nothing(mediator):
    client = browser()
    for n in range(5):
        unknown = sign_in(client, "nobody-here", f"wrong {n}")
    for n in range(5):
        known = sign_in(browser("192.0.2.99"), "mediator", f"wrong {n}")

    assert unknown.status_code == known.status_code == 429
    strip = lambda page: page.replace("nobody-here", "X").replace("mediator", "X")  # noqa: E731
    assert strip(unknown.content.decode()).count("paused") == strip(known.content.decode()).count(
        "paused"
    )


def lock(username: str = "mediator", address: str = "192.0.2.10") -> None:
    client = browser(address)
    for n in range(5):
        sign_in(client, username, f"wrong {n}")


def test_a_supervisor_unlocks_an_account_after_confirming(mediator, personas):
    lock()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.supervisor)

    listing = client.get(reverse("lockouts"))
    assert listing.status_code == 200
    assert "Account mediator" in listing.content.decode()
    confirm = client.get(reverse("lockouts"), {"kind": "account", "value": "mediator"})
    assert "Yes, unlock" in confirm.content.decode()
    assert AccessAttempt.objects.filter(username="mediator").exists()  # GET changed nothing

    done = client.post(reverse("lockouts"), {"kind": "account", "value": "mediator"})

    assert done.status_code == 302
    assert not AccessAttempt.objects.filter(username="mediator").exists()
    unlocked = events(AuditAction.UNLOCKED).get()
    assert unlocked.actor == personas.supervisor
    assert unlocked.details == {"kind": "account", "username": "mediator"}
    assert unlocked.target_id == str(mediator.pk)
    owner = browser("192.0.2.10")
    assert sign_in(owner, "mediator", PASSWORD).status_code == 302
    # Both show on the supervisor's audit trail, in words.
    trail = client.get(reverse("audit:trail")).content.decode()
    assert "Signing in paused after failed attempts" in trail
    assert "Signing in unlocked" in trail
    assert (
        "No account or address is locked now." in client.get(reverse("lockouts")).content.decode()
    )


def test_an_administrator_unlocks_an_address(mediator):
    for n in range(20):
        sign_in(browser("203.0.113.5"), f"user{n}", "guess")
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    assert "Address 203.0.113.5" in client.get(reverse("lockouts")).content.decode()

    client.post(reverse("lockouts"), {"kind": "address", "value": "203.0.113.5"})

    assert sign_in(browser("203.0.113.5"), "mediator", PASSWORD).status_code == 302
    assert events(AuditAction.UNLOCKED).get().details == {
        "kind": "address",
        "address": "203.0.113.5",
    }


@pytest.mark.parametrize("who", ["mediator", "coordinator", "outsider"])
def test_nobody_else_sees_or_lifts_lockouts(mediator, personas, who):
    lock()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(getattr(personas, who))

    assert client.get(reverse("lockouts")).status_code == 403
    assert (
        client.post(reverse("lockouts"), {"kind": "account", "value": "mediator"}).status_code
        == 403
    )
    assert AccessAttempt.objects.filter(username="mediator").exists()
    assert not events(AuditAction.UNLOCKED).exists()


def test_unlocking_what_is_not_locked_says_so(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.supervisor)

    page = client.post(
        reverse("lockouts"), {"kind": "account", "value": "mediator"}, follow=True
    ).content.decode()

    assert "This account or address is not locked any more." in page
    assert not events(AuditAction.UNLOCKED).exists()


def test_the_lockouts_page_needs_a_constant_number_of_queries(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.supervisor)
    lock("someone")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("lockouts"))
    for n in range(15):
        lock(f"someone{n}", f"192.0.2.{n + 20}")

    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("lockouts")).content.decode()

    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count("Account someone") == 16


def test_huge_user_names_are_counted_without_breaking_the_page(mediator):
    """Varying what no account can hold (past 150 characters) does not escape the count."""
    client = browser()
    answers = [sign_in(client, "x" * 150 + "y" * (1000 + n), "guess") for n in range(5)]

    assert [answer.status_code for answer in answers] == [200] * 4 + [429]
    assert AccessAttempt.objects.get().username == "x" * 150
